import type { Metadata } from "next";
import { AuditLogClient } from "@/components/audit/audit-log-client";
import { normalizeAuditParams } from "@/components/audit/audit-log.utils";
import { ListPageHeader } from "@/components/list-page/list-page-header";
import { parseListQuery, type ListPageProps } from "@/components/list-page/url-query";
import { auditQuerySchema } from "@/lib/api/audit";
import { requirePage } from "@/lib/auth/with-auth";
import { listAuditEvents } from "@/lib/server/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: ListPageProps) {
  // The (admin) layout asks for users.manage; reading the log needs audit.read.
  const ctx = await requirePage("audit.read");
  const { query, initialQuery, issues } = parseListQuery(
    await searchParams,
    normalizeAuditParams,
    auditQuerySchema,
  );
  // Audited as audit.read by the use-case.
  const initialData = await listAuditEvents(ctx, query);
  return (
    <>
      <ListPageHeader
        title="Audit log"
        intro={
          "Every sign-in, read and change, newest first. The log cannot be changed or deleted; " +
          "reading and exporting it are recorded too. Times are shown in the patient's site's time " +
          "zone (else the deployment's), each with its abbreviation; the From and To filters are " +
          "UTC dates, as is the CSV."
        }
        invalidFilters={Boolean(issues)}
        invalidDetail={issues?.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
      />
      <AuditLogClient initialData={initialData} initialQuery={initialQuery} />
    </>
  );
}
