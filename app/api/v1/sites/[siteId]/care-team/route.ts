// GET /api/v1/sites/:siteId/care-team: active care-team members of one of the caller's sites.
import { withAuth } from "@/lib/auth/with-auth";
import { listCareTeam } from "@/lib/server/flags";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ siteId: string }>("flags.manage", async (_req, { ctx, params }) => {
  return Response.json({ items: await listCareTeam(ctx, params.siteId) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
