// GET /api/v1/audit.csv: exactly the filtered audit events as CSV (audited as audit.export).
import { auditQuerySchema } from "@/lib/api/audit";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { exportAuditCsv } from "@/lib/server/audit-log";

export const GET = withAuth("audit.read", async (req, { ctx }) => {
  const query = parseQuery(auditQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportAuditCsv(ctx, query);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
});
