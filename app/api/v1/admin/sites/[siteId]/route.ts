// PATCH /api/v1/admin/sites/:siteId { "timeZone": "America/New_York" } (administrators).
import { updateSiteSchema } from "@/lib/api/sites";
import { parseJsonBody } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { updateSite } from "@/lib/server/sites";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const PATCH = withAuth<{ siteId: string }>("users.manage", async (req, { ctx, params }) => {
  const body = await parseJsonBody(req, updateSiteSchema);
  return Response.json(await updateSite(ctx, params.siteId, body), {
    headers: { "cache-control": "no-store" },
  });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = otherMethods(["PATCH"]);
