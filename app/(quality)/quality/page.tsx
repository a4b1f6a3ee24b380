import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePage } from "@/lib/auth/with-auth";

export const metadata: Metadata = { title: "Quality" };

export default async function QualityPage() {
  await requirePage("quality.read");
  return (
    <>
      <div className="page-header">
        <h1>Quality</h1>
      </div>
      <EmptyState title="Quality metrics are not built yet">
        <p>
          De-identified screening coverage, prevalence, time to action and rule performance arrive
          with the quality feature. No patient-level data will be shown here.
        </p>
      </EmptyState>
    </>
  );
}
