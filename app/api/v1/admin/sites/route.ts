// GET /api/v1/admin/sites: every site with its time zone (administrators).
import { withAuth } from "@/lib/auth/with-auth";
import { listSiteZones } from "@/lib/server/sites";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("users.manage", async (_req, { ctx }) => {
  return Response.json(
    { items: await listSiteZones(ctx.db) },
    { headers: { "cache-control": "no-store" } },
  );
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
