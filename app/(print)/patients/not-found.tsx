import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function PrintNotFound() {
  return (
    <EmptyState
      title="Patient not found"
      action={
        <Link className="btn btn-primary" href="/patients">
          Search patients
        </Link>
      }
    >
      <p>There is no such patient at your sites.</p>
    </EmptyState>
  );
}
