import type { Metadata } from "next";
import Link from "next/link";
import { ListPageHeader } from "@/components/list-page/list-page-header";
import { parseListQuery, type PageSearchParams } from "@/components/list-page/url-query";
import { TreatToTargetView } from "@/components/worklist/treat-to-target-view";
import { treatToTargetQuerySchema } from "@/lib/api/treat-to-target";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";
import { listTreatToTarget } from "@/lib/server/treat-to-target";
import { listSites } from "@/lib/server/users";

export const metadata: Metadata = { title: "Treat to target" };

const KEYS = ["status", "site", "sort", "dir"];

/** Keeps the registry's filters that have a value (an empty select means "every"). */
function normalize(raw: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of KEYS) {
    const value = raw.get(key);
    if (value) out.set(key, value);
  }
  return out;
}

/** The depression registry: everyone in depression care and where each stands against the target. */
export default async function TreatToTargetPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const ctx = await requirePage("worklist.read");
  const { query, issues } = parseListQuery(await searchParams, normalize, treatToTargetQuerySchema);
  const [{ items }, sites] = await Promise.all([
    listTreatToTarget(ctx, query),
    listSites(ctx.db, ctx.actor.siteIds),
  ]);
  return (
    <>
      <ListPageHeader
        title="Treat to target"
        intro={
          <>
            Everyone in depression care: remission is a PHQ-9 below 5, response a fall by half or
            more, not improving a PHQ-9 still 10 or more and less than halved after 10 weeks (
            <a href="/evidence#aims-treat-to-target">collaborative care, treat to target</a>).
          </>
        }
        action={
          <>
            <Link className="btn" href="/worklist/bone">
              Bone treat to target
            </Link>{" "}
            <Link className="btn" href="/worklist">
              Back to worklist
            </Link>
          </>
        }
        invalidFilters={Boolean(issues)}
      />
      <TreatToTargetView
        items={items}
        query={query}
        sites={sites}
        canExport={can(ctx.actor.role, "worklist.export")}
        today={todayIso()}
      />
    </>
  );
}
