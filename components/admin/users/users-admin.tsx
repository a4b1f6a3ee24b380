"use client";

import { useState } from "react";
import type { AdminUser, AdminUserList } from "@/lib/api/admin";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { errorMessage } from "@/lib/client/fetch-json";
import { useAdminUsers, useUpdateUser } from "@/lib/client/use-admin-users";
import { DataTable } from "@/components/list-page/data-table";
import { CreateUserForm, EditUserPanel } from "./user-forms";
import styles from "./users-admin.module.css";

export interface UsersAdminProps {
  initialData: AdminUserList;
  currentUserId: string;
}

/** The administrator's user list with create, edit, disable / enable, password reset and unlock. */
export function UsersAdmin({ initialData, currentUserId }: UsersAdminProps) {
  const query = useAdminUsers(initialData);
  const update = useUpdateUser();
  const data = query.data ?? initialData;
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const editing = data.items.find((u) => u.id === editingId) ?? null;

  async function toggleDisabled(user: AdminUser) {
    setMessage(null);
    setActionError(null);
    try {
      const saved = await update.mutateAsync({
        id: user.id,
        action: { action: user.disabled ? "enable" : "disable" },
      });
      setMessage(
        saved.disabled
          ? `Disabled ${saved.email}: they are signed out at their next request.`
          : `Enabled ${saved.email}.`,
      );
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }

  async function unlock(user: AdminUser) {
    setMessage(null);
    setActionError(null);
    try {
      await update.mutateAsync({ id: user.id, action: { action: "unlock" } });
      setMessage(`Cleared the sign-in delays of ${user.email}.`);
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }

  return (
    <>
      <div className={styles.toolbar}>
        <p className="muted">
          {data.items.length} accounts · {data.items.filter((u) => u.disabled).length} disabled
        </p>
        {!creating ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setCreating(true);
              setMessage(null);
            }}
          >
            New user
          </button>
        ) : null}
      </div>
      <div role="status" className={styles.status}>
        {message ? <p className="alert alert-success">{message}</p> : null}
      </div>
      {actionError ? (
        <p className="alert alert-error" role="alert">
          {actionError}
        </p>
      ) : null}
      {creating ? (
        <CreateUserForm
          sites={data.sites}
          onDone={(user) => {
            setCreating(false);
            setMessage(`Created ${user.email} (${ROLE_LABEL[user.role]}).`);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <DataTable
        caption="User accounts with their role, sites and state"
        columns={["Name", "Email", "Role", "Sites", "State"]}
        actions
      >
        {data.items.map((u) => {
          const self = u.id === currentUserId;
          return (
            <tr key={u.id} data-email={u.email}>
              <td>
                {u.name}
                {self ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{u.email}</td>
              <td>
                {ROLE_LABEL[u.role]}
                {u.serviceAccount ? <div className="muted">API token account</div> : null}
              </td>
              <td>
                {u.sites.map((s) => s.name).join(", ") || <span className="muted">none</span>}
              </td>
              <td>
                <span className={`badge ${u.disabled ? styles.disabled : styles.active}`}>
                  {u.disabled ? "Disabled" : "Active"}
                </span>
              </td>
              <td className={styles.rowActions}>
                {u.serviceAccount ? (
                  <span className="muted">Managed under API tokens</span>
                ) : (
                  <>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Edit ${u.email}`}
                      onClick={() => {
                        setEditingId(u.id);
                        setMessage(null);
                      }}
                    >
                      Edit
                    </button>
                    {self ? null : (
                      <button
                        type="button"
                        className={`btn btn-small ${u.disabled ? "" : "btn-danger"}`}
                        aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.email}`}
                        disabled={update.isPending}
                        onClick={() => void toggleDisabled(u)}
                      >
                        {u.disabled ? "Enable" : "Disable"}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Unlock sign-in for ${u.email}`}
                      title="Clear the delays that failed sign-ins put on this account"
                      disabled={update.isPending}
                      onClick={() => void unlock(u)}
                    >
                      Unlock sign-in
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {editing ? (
        <EditUserPanel
          key={editing.id}
          user={editing}
          sites={data.sites}
          isSelf={editing.id === currentUserId}
          onMessage={setMessage}
          onClose={() => setEditingId(null)}
        />
      ) : null}
    </>
  );
}
