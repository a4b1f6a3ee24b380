// POST /api/v1/admin/tokens/:tokenId/revoke: revokes the token and disables its service account.
import { withAuth } from "@/lib/auth/with-auth";
import { revokeApiToken } from "@/lib/server/api-tokens";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withAuth<{ tokenId: string }>("tokens.manage", async (_req, { ctx, params }) =>
  Response.json({ item: await revokeApiToken(ctx, params.tokenId) }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
