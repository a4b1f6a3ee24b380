import type { Metadata } from "next";
import { AuditLogClient } from "@/components/audit/audit-log-client";
import { normalizeAuditParams } from "@/components/audit/audit-log.utils";
import { parseListQuery, type PageSearchParams } from "@/components/list-page/url-query";
import { auditQuerySchema } from "@/lib/api/audit";
import { requirePage } from "@/lib/auth/with-auth";
import { listAuditEvents } from "@/lib/server/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
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
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted" style={{ margin: 0 }}>
            Every sign-in, read and change, newest first. The log cannot be changed or deleted;
            reading and exporting it are recorded too. Times are shown in the patient's site's time
            zone (else the deployment's), each with its abbreviation; the From and To filters are
            UTC dates, as is the CSV.
          </p>
        </div>
      </div>
      {issues ? (
        <p className="alert alert-error" role="alert">
          Some filters in the address were not valid and were ignored:{" "}
          {issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.
        </p>
      ) : null}
      <AuditLogClient initialData={initialData} initialQuery={initialQuery} />
    </>
  );
}
