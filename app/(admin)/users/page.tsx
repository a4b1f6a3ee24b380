import type { Metadata } from "next";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { recordAudit } from "@/lib/server/audit";
import { listUsers } from "@/lib/server/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await requirePage("users.manage");
  const users = await listUsers(ctx);
  await recordAudit(ctx.db, ctx.actor, { action: "users.list", detail: { count: users.length } });
  return (
    <>
      <div className="page-header">
        <h1>Users</h1>
        <p className="muted">{users.length} accounts</p>
      </div>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">
            User accounts with their role, sites and state
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Sites</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{ROLE_LABEL[u.role]}</td>
                <td>
                  {u.sites.map((s) => s.name).join(", ") || <span className="muted">none</span>}
                </td>
                <td>{u.disabled ? "Disabled" : "Active"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
