// POST /api/v1/admin/tokens/:tokenId/revoke: revokes the token and disables its service account.
import { withAuth } from "@/lib/auth/with-auth";
import { revokeApiToken } from "@/lib/server/api-tokens";

export const POST = withAuth<{ tokenId: string }>("tokens.manage", async (_req, { ctx, params }) =>
  Response.json({ item: await revokeApiToken(ctx, params.tokenId) }),
);
