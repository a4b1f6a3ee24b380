// GET /api/v1/audit.csv: exactly the filtered audit events as CSV (audited as audit.export).
import { auditQuerySchema } from "@/lib/api/audit";
import { csvDownload, exportFileName } from "@/lib/api/csv-download";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { exportAuditCsv } from "@/lib/server/audit-log";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("audit.read", async (req, { ctx }) => {
  const query = parseQuery(auditQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportAuditCsv(ctx, query);
  return csvDownload(csv, exportFileName("audit", query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
