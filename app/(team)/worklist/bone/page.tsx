import type { Metadata } from "next";
import type { PageSearchParams } from "@/components/list-page/url-query";
import { BoneRegistryView } from "@/components/worklist/bone-registry-view";
import { boneRegistryQuerySchema } from "@/lib/api/bone-registry";
import { listBoneRegistry } from "@/lib/server/bone-registry";
import { loadRegistry, RegistryHeader } from "../registry-page";

export const metadata: Metadata = { title: "Bone treat to target" };

/** The bone registry: everyone in bone care, their DXA, treatment and follow-up DXA. */
export default async function BoneRegistryPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const { invalidFilters, view } = await loadRegistry(
    searchParams,
    ["show", "site", "sort", "dir"],
    boneRegistryQuerySchema,
    listBoneRegistry,
  );
  return (
    <>
      <RegistryHeader
        title="Bone treat to target"
        intro={
          <>
            Everyone in bone care. DXA due is the rules&apos; flag (
            <a href="/evidence#rule-bone-dxa-due">rules reference</a>); on treatment a follow-up DXA
            falls due two years after the latest (the ruleset&apos;s repeat interval). The app
            records no adherence to treatment, so that column says so rather than guess.
          </>
        }
        other={{ href: "/worklist/treat-to-target", label: "Depression treat to target" }}
        invalidFilters={invalidFilters}
      />
      <BoneRegistryView {...view} />
    </>
  );
}
