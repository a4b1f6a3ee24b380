import type { Metadata } from "next";
import { ListPageHeader } from "@/components/list-page/list-page-header";
import { parseListQuery, type ListPageProps } from "@/components/list-page/url-query";
import { WorklistClient } from "@/components/worklist/worklist-client";
import { normalizeWorklistParams } from "@/components/worklist/worklist-filters.utils";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";
import { listSites } from "@/lib/server/users";
import { listWorklist } from "@/lib/server/worklist";
import { ViewLinks } from "./registry-page";

export const metadata: Metadata = { title: "Worklist" };

export default async function WorklistPage({ searchParams }: ListPageProps) {
  const ctx = await requirePage("worklist.read");
  const { query, initialQuery, issues } = parseListQuery(
    await searchParams,
    normalizeWorklistParams,
    worklistQuerySchema,
  );
  const [initialData, sites] = await Promise.all([
    listWorklist(ctx, query),
    listSites(ctx.db, ctx.actor.siteIds),
  ]);
  return (
    <>
      <ListPageHeader
        title="Worklist"
        intro="Patients with open flags, most urgent first, then the longest waiting."
        action={
          <ViewLinks
            links={[
              { href: "/worklist/treat-to-target", label: "Treat-to-target view" },
              { href: "/worklist/bone", label: "Bone treat to target" },
            ]}
          />
        }
        invalidFilters={Boolean(issues)}
      />
      <WorklistClient
        initialData={initialData}
        initialQuery={initialQuery}
        sites={sites}
        canManage={can(ctx.actor.role, "flags.manage")}
        canExport={can(ctx.actor.role, "worklist.export")}
        today={todayIso()}
      />
    </>
  );
}
