import type { Metadata } from "next";
import Link from "next/link";
import { ListPageHeader } from "@/components/list-page/list-page-header";
import { parseListQuery, type PageSearchParams } from "@/components/list-page/url-query";
import { BoneRegistryView } from "@/components/worklist/bone-registry-view";
import { boneRegistryQuerySchema } from "@/lib/api/bone-registry";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { listBoneRegistry } from "@/lib/server/bone-registry";
import { todayIso } from "@/lib/server/dates";
import { listSites } from "@/lib/server/users";

export const metadata: Metadata = { title: "Bone treat to target" };

const KEYS = ["show", "site", "sort", "dir"];

/** Keeps the registry's filters that have a value (an empty select means "every"). */
function normalize(raw: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of KEYS) {
    const value = raw.get(key);
    if (value) out.set(key, value);
  }
  return out;
}

/** The bone registry: everyone in bone care, their DXA, treatment and follow-up DXA. */
export default async function BoneRegistryPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const ctx = await requirePage("worklist.read");
  const { query, issues } = parseListQuery(await searchParams, normalize, boneRegistryQuerySchema);
  const [{ items }, sites] = await Promise.all([
    listBoneRegistry(ctx, query),
    listSites(ctx.db, ctx.actor.siteIds),
  ]);
  return (
    <>
      <ListPageHeader
        title="Bone treat to target"
        intro={
          <>
            Everyone in bone care. DXA due is the rules&apos; flag (
            <a href="/evidence#rule-bone-dxa-due">rules reference</a>); on treatment a follow-up DXA
            falls due two years after the latest (the ruleset&apos;s repeat interval). The app
            records no adherence to treatment, so that column says so rather than guess.
          </>
        }
        action={
          <>
            <Link className="btn" href="/worklist/treat-to-target">
              Depression treat to target
            </Link>{" "}
            <Link className="btn" href="/worklist">
              Back to worklist
            </Link>
          </>
        }
        invalidFilters={Boolean(issues)}
      />
      <BoneRegistryView
        items={items}
        query={query}
        sites={sites}
        canExport={can(ctx.actor.role, "worklist.export")}
        today={todayIso()}
      />
    </>
  );
}
