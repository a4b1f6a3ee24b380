// GET /api/v1/audit: audit events newest first; filters in the query; keyset cursor (audited).
import { auditQuerySchema } from "@/lib/api/audit";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { listAuditEvents } from "@/lib/server/audit-log";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("audit.read", async (req, { ctx }) => {
  const query = parseQuery(auditQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listAuditEvents(ctx, query), {
    headers: { "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
