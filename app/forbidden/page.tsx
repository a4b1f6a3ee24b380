import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function ForbiddenPage() {
  return (
    <main className="shell-main" id="main">
      <EmptyState
        title="This page is not part of your role"
        action={
          <Link className="btn" href="/">
            Go to your home page
          </Link>
        }
      >
        <p>
          Your account does not have permission to open that page. If you need it, ask an
          administrator.
        </p>
      </EmptyState>
    </main>
  );
}
