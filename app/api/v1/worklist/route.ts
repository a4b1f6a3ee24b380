// GET /api/v1/worklist: patients with open flags, by priority then oldest flag; filters in the query.
import { parseQuery } from "@/lib/api/problem";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { withAuth } from "@/lib/auth/with-auth";
import { listWorklist } from "@/lib/server/worklist";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.read", async (req, { ctx }) => {
  const query = parseQuery(worklistQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listWorklist(ctx, query), {
    headers: { "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
