// GET /api/v1/worklist/treat-to-target: the depression registry (baseline and latest PHQ-9, change,
// weeks in care, status against the target, last and next contact), filtered and sorted.
import { parseQuery } from "@/lib/api/problem";
import { treatToTargetQuerySchema } from "@/lib/api/treat-to-target";
import { withAuth } from "@/lib/auth/with-auth";
import { listTreatToTarget } from "@/lib/server/treat-to-target";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.read", async (req, { ctx }) => {
  const query = parseQuery(treatToTargetQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listTreatToTarget(ctx, query), {
    headers: { "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
