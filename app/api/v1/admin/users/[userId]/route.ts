// PATCH /api/v1/admin/users/:userId: one action (disable | enable | update | reset-password).
import { updateUserSchema } from "@/lib/api/admin";
import { parseJsonBody } from "@/lib/api/problem";
import { hashPassword } from "@/lib/auth/password";
import { withAuth } from "@/lib/auth/with-auth";
import { updateUser } from "@/lib/server/user-admin";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const PATCH = withAuth<{ userId: string }>("users.manage", async (req, { ctx, params }) => {
  const body = await parseJsonBody(req, updateUserSchema);
  return Response.json(await updateUser(ctx, params.userId, body, hashPassword), {
    headers: { "cache-control": "no-store" },
  });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = otherMethods(["PATCH"]);
