"use client";

import { useId, useState, type FormEvent } from "react";
import {
  PASSWORD_MIN_LENGTH,
  USER_ROLES,
  type AdminSite,
  type AdminUser,
  type AdminUserList,
  type UserRole,
} from "@/lib/api/admin";
import { useAdminUsers, useCreateUser, useUpdateUser } from "@/lib/client/use-admin-users";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { fieldErrorMap, ROLE_NAMES, toggleId } from "./users-admin.utils";
import styles from "./users-admin.module.css";

type Errors = Record<string, string>;

function errorsOf(error: unknown): Errors {
  if (error instanceof ApiError && error.fieldErrors.length) {
    return fieldErrorMap(error.fieldErrors);
  }
  return { form: errorMessage(error) };
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <span className="error" id={id}>
      {message}
    </span>
  ) : null;
}

function SitesFieldset({
  sites,
  value,
  onChange,
  error,
  idPrefix,
}: {
  sites: AdminSite[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  idPrefix: string;
}) {
  const all = sites.map((s) => s.id);
  return (
    <fieldset
      className={styles.sites}
      aria-describedby={error ? `${idPrefix}-sites-error` : `${idPrefix}-sites-hint`}
    >
      <legend>Sites</legend>
      <span className="hint" id={`${idPrefix}-sites-hint`}>
        Clinicians, care teams and quality users see the patients of their sites only.
      </span>
      {sites.map((s) => (
        <label key={s.id} className={styles.check}>
          <input
            type="checkbox"
            checked={value.includes(s.id)}
            onChange={() => onChange(toggleId(value, s.id, all))}
          />
          {s.name}
        </label>
      ))}
      <FieldError id={`${idPrefix}-sites-error`} message={error} />
    </fieldset>
  );
}

function CreateUserForm({
  sites,
  onDone,
  onCancel,
}: {
  sites: AdminSite[];
  onDone: (user: AdminUser) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<UserRole>("clinician");
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    try {
      const user = await create.mutateAsync({ email, name, role, siteIds, password });
      onDone(user);
    } catch (error) {
      setErrors(errorsOf(error));
    }
  }

  const described = (field: string, hint?: boolean) =>
    [hint ? `${id}-${field}-hint` : null, errors[field] ? `${id}-${field}-error` : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} noValidate>
      <h2>New user</h2>
      {errors.form ? (
        <p className="alert alert-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className={styles.grid}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            className="input"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={described("name")}
            required
          />
          <FieldError id={`${id}-name-error`} message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            className="input"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={described("email")}
            required
          />
          <FieldError id={`${id}-email-error`} message={errors.email} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            className="input"
            value={role}
            onChange={(e) => setRole(e.target.value as UserRole)}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={described("role")}
          >
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-role-error`} message={errors.role} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Initial password</label>
          <span className="hint" id={`${id}-password-hint`}>
            At least {PASSWORD_MIN_LENGTH} characters. Give it to the person in a safe way.
          </span>
          <input
            id={`${id}-password`}
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={described("password", true)}
            minLength={PASSWORD_MIN_LENGTH}
            required
          />
          <FieldError id={`${id}-password-error`} message={errors.password} />
        </div>
      </div>
      <SitesFieldset
        sites={sites}
        value={siteIds}
        onChange={setSiteIds}
        error={errors.siteIds}
        idPrefix={id}
      />
      <div className={styles.actions}>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditUserPanel({
  user,
  sites,
  isSelf,
  onMessage,
  onClose,
}: {
  user: AdminUser;
  sites: AdminSite[];
  isSelf: boolean;
  onMessage: (text: string) => void;
  onClose: () => void;
}) {
  const id = useId();
  const update = useUpdateUser();
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<UserRole>(user.role);
  const [siteIds, setSiteIds] = useState<string[]>(user.sites.map((s) => s.id));
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pwErrors, setPwErrors] = useState<Errors>({});

  async function save(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    try {
      const saved = await update.mutateAsync({
        id: user.id,
        action: { action: "update", name, role, siteIds },
      });
      onMessage(`Saved the changes to ${saved.email}.`);
    } catch (error) {
      setErrors(errorsOf(error));
    }
  }

  async function resetPassword(e: FormEvent) {
    e.preventDefault();
    setPwErrors({});
    try {
      await update.mutateAsync({ id: user.id, action: { action: "reset-password", password } });
      setPassword("");
      onMessage(`Set a new password for ${user.email}.`);
    } catch (error) {
      setPwErrors(errorsOf(error));
    }
  }

  return (
    <section className={`card ${styles.form}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Edit {user.email}</h2>
      <form onSubmit={(e) => void save(e)} noValidate>
        {errors.form ? (
          <p className="alert alert-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className={styles.grid}>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? `${id}-name-error` : undefined}
            />
            <FieldError id={`${id}-name-error`} message={errors.name} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>Role</label>
            {isSelf ? (
              <span className="hint" id={`${id}-role-hint`}>
                Another administrator must change your role.
              </span>
            ) : null}
            <select
              id={`${id}-role`}
              className="input"
              value={role}
              disabled={isSelf}
              onChange={(e) => setRole(e.target.value as UserRole)}
              aria-describedby={
                [isSelf ? `${id}-role-hint` : null, errors.role ? `${id}-role-error` : null]
                  .filter(Boolean)
                  .join(" ") || undefined
              }
            >
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_NAMES[r]}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-role-error`} message={errors.role} />
          </div>
        </div>
        <SitesFieldset
          sites={sites}
          value={siteIds}
          onChange={setSiteIds}
          error={errors.siteIds}
          idPrefix={id}
        />
        <div className={styles.actions}>
          <button type="submit" className="btn btn-primary" disabled={update.isPending}>
            Save changes
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      <form className={styles.password} onSubmit={(e) => void resetPassword(e)} noValidate>
        <h3>Reset password</h3>
        {pwErrors.form ? (
          <p className="alert alert-error" role="alert">
            {pwErrors.form}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-password`}>New password</label>
          <span className="hint" id={`${id}-password-hint`}>
            At least {PASSWORD_MIN_LENGTH} characters.
          </span>
          <input
            id={`${id}-password`}
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={pwErrors.password ? true : undefined}
            aria-describedby={[
              `${id}-password-hint`,
              pwErrors.password ? `${id}-password-error` : null,
            ]
              .filter(Boolean)
              .join(" ")}
          />
          <FieldError id={`${id}-password-error`} message={pwErrors.password} />
        </div>
        <button type="submit" className="btn" disabled={update.isPending}>
          Set new password
        </button>
      </form>
    </section>
  );
}

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
            setMessage(`Created ${user.email} (${ROLE_NAMES[user.role]}).`);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
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
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
                    {ROLE_NAMES[u.role]}
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
          </tbody>
        </table>
      </div>
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
