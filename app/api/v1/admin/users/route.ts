// GET /api/v1/admin/users: every account with its sites, and the sites (administrators only).
// POST /api/v1/admin/users: create an account with an initial password (409 on a used email).
import { createUserSchema } from "@/lib/api/admin";
import { parseJsonBody } from "@/lib/api/problem";
import { hashPassword } from "@/lib/auth/password";
import { withAuth } from "@/lib/auth/with-auth";
import { createUser, listAdminUsers } from "@/lib/server/user-admin";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("users.manage", async (_req, { ctx }) => {
  return Response.json(await listAdminUsers(ctx), { headers: { "cache-control": "no-store" } });
});

export const POST = withAuth("users.manage", async (req, { ctx }) => {
  const body = await parseJsonBody(req, createUserSchema);
  return Response.json(await createUser(ctx, body, hashPassword), {
    status: 201,
    headers: { "cache-control": "no-store" },
  });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
