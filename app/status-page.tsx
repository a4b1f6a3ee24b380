import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";

/** A page that only says why there is nothing to show here, with the way back to the home page. */
export function StatusPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="shell-main" id="main">
      <EmptyState
        title={title}
        action={
          <Link className="btn" href="/">
            Go to your home page
          </Link>
        }
      >
        <p>{children}</p>
      </EmptyState>
    </main>
  );
}
