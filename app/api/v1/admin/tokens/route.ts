// GET|POST /api/v1/admin/tokens: list API tokens (and the sites to choose from); issue one (the token is in the answer once).
import { parseJsonBody } from "@/lib/api/problem";
import { issueTokenSchema } from "@/lib/api/tokens";
import { withAuth } from "@/lib/auth/with-auth";
import { issueApiToken, listApiTokens } from "@/lib/server/api-tokens";
import { listSites } from "@/lib/server/users";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export const GET = withAuth("tokens.manage", async (_req, { ctx }) =>
  Response.json(
    { items: await listApiTokens(ctx), sites: await listSites(ctx.db) },
    { headers: { "cache-control": "no-store" } },
  ),
);

export const POST = withAuth("tokens.manage", async (req, { ctx }) => {
  const body = await parseJsonBody(req, issueTokenSchema);
  const issued = await issueApiToken(ctx, body);
  return Response.json(issued, { status: 201, headers: { "cache-control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
