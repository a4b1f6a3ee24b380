import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePage } from "@/lib/auth/with-auth";

export const metadata: Metadata = { title: "Worklist" };

export default async function WorklistPage() {
  await requirePage("worklist.read");
  return (
    <>
      <div className="page-header">
        <h1>Worklist</h1>
      </div>
      <EmptyState title="The worklist is not built yet">
        <p>
          Flagged patients, sorted by risk, with assignment and follow-up, arrive with the care-team
          feature. Until then, open patients from a clinician account.
        </p>
      </EmptyState>
    </>
  );
}
