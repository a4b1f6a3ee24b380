import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="shell-main" id="main">
      <EmptyState
        title="Not found"
        action={
          <Link className="btn" href="/">
            Go to your home page
          </Link>
        }
      >
        <p>There is nothing here, or it belongs to a site you do not work at.</p>
      </EmptyState>
    </main>
  );
}
