import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users/users-admin";
import { requirePage } from "@/lib/auth/with-auth";
import { listAdminUsers } from "@/lib/server/user-admin";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await requirePage("users.manage");
  // Audited as users.list by the use-case.
  const data = await listAdminUsers(ctx);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted" style={{ margin: 0 }}>
            Create accounts, set their role and sites, and disable those who should no longer sign
            in. A disabled user is refused at their next request.
          </p>
        </div>
      </div>
      <UsersAdmin initialData={data} currentUserId={ctx.actor.userId} />
    </>
  );
}
