import type { Metadata } from "next";
import type { PageSearchParams } from "@/components/list-page/url-query";
import { TreatToTargetView } from "@/components/worklist/treat-to-target-view";
import { treatToTargetQuerySchema } from "@/lib/api/treat-to-target";
import { listTreatToTarget } from "@/lib/server/treat-to-target";
import { loadRegistry, RegistryHeader } from "../registry-page";

export const metadata: Metadata = { title: "Treat to target" };

/** The depression registry: everyone in depression care and where each stands against the target. */
export default async function TreatToTargetPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const { invalidFilters, view } = await loadRegistry(
    searchParams,
    ["status", "site", "sort", "dir"],
    treatToTargetQuerySchema,
    listTreatToTarget,
  );
  return (
    <>
      <RegistryHeader
        title="Treat to target"
        intro={
          <>
            Everyone in depression care: remission is a PHQ-9 below 5, response a fall by half or
            more, not improving a PHQ-9 still 10 or more and less than halved after 10 weeks (
            <a href="/evidence#aims-treat-to-target">collaborative care, treat to target</a>).
          </>
        }
        other={{ href: "/worklist/bone", label: "Bone treat to target" }}
        invalidFilters={invalidFilters}
      />
      <TreatToTargetView {...view} />
    </>
  );
}
