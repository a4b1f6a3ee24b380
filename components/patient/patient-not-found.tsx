import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";

/** The 404 of a patient's pages: no such patient at the actor's sites. */
export function PatientNotFound({ children }: { children: ReactNode }) {
  return (
    <EmptyState
      title="Patient not found"
      action={
        <Link className="btn btn-primary" href="/patients">
          Search patients
        </Link>
      }
    >
      <p>{children}</p>
    </EmptyState>
  );
}
