import { useId } from "react";
import { TextField } from "@/components/ui/field";
import { PASSWORD_MIN_LENGTH, USER_ROLES, type AdminSite, type UserRole } from "@/lib/api/admin";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { toggleId } from "./users-admin.utils";
import styles from "./users-admin.module.css";

/** Field errors of a form, by field name; `form` holds the one without a field. */
export type Errors = Record<string, string>;

/** An account's fields as the forms hold them: email and password only when creating. */
export interface UserFieldValues {
  name: string;
  email: string;
  role: UserRole;
  siteIds: string[];
  password: string;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <span className="error" id={id}>
      {message}
    </span>
  ) : null;
}

/** The error of a whole form (not of one field), announced. */
export function FormError({ errors }: { errors: Errors }) {
  return errors.form ? (
    <p className="alert alert-error" role="alert">
      {errors.form}
    </p>
  ) : null;
}

/** A password field with the length rule as its hint. */
export function PasswordField({
  label,
  advice,
  value,
  onChange,
  error,
  required = false,
}: {
  label: string;
  advice?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  required?: boolean;
}) {
  return (
    <TextField
      label={label}
      hint={`At least ${PASSWORD_MIN_LENGTH} characters.${advice ? ` ${advice}` : ""}`}
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      minLength={required ? PASSWORD_MIN_LENGTH : undefined}
      required={required}
    />
  );
}

function SitesFieldset({
  sites,
  value,
  onChange,
  error,
}: {
  sites: AdminSite[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const id = useId();
  const all = sites.map((s) => s.id);
  return (
    <fieldset
      className={styles.sites}
      aria-describedby={error ? `${id}-sites-error` : `${id}-sites-hint`}
    >
      <legend>Sites</legend>
      <span className="hint" id={`${id}-sites-hint`}>
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
      <FieldError id={`${id}-sites-error`} message={error} />
    </fieldset>
  );
}

/**
 * The fields of an account, for the new-user form (name, email, role, initial password, sites)
 * and the edit form (name, role, sites; the password is reset apart). `roleLocked` keeps an
 * administrator from changing their own role.
 */
export function UserFields({
  mode,
  sites,
  value,
  onChange,
  errors,
  roleLocked = false,
}: {
  mode: "create" | "edit";
  sites: AdminSite[];
  value: UserFieldValues;
  onChange: (value: UserFieldValues) => void;
  errors: Errors;
  roleLocked?: boolean;
}) {
  const id = useId();
  const creating = mode === "create";
  const set = <K extends keyof UserFieldValues>(key: K, v: UserFieldValues[K]) =>
    onChange({ ...value, [key]: v });
  return (
    <>
      <div className={styles.grid}>
        <TextField
          label="Name"
          autoComplete={creating ? "off" : undefined}
          value={value.name}
          onChange={(e) => set("name", e.target.value)}
          error={errors.name}
          required={creating}
        />
        {creating ? (
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            value={value.email}
            onChange={(e) => set("email", e.target.value)}
            error={errors.email}
            required
          />
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          {roleLocked ? (
            <span className="hint" id={`${id}-role-hint`}>
              Another administrator must change your role.
            </span>
          ) : null}
          <select
            id={`${id}-role`}
            className="input"
            value={value.role}
            disabled={roleLocked}
            onChange={(e) => set("role", e.target.value as UserRole)}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={
              [roleLocked ? `${id}-role-hint` : null, errors.role ? `${id}-role-error` : null]
                .filter(Boolean)
                .join(" ") || undefined
            }
          >
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-role-error`} message={errors.role} />
        </div>
        {creating ? (
          <PasswordField
            label="Initial password"
            advice="Give it to the person in a safe way."
            value={value.password}
            onChange={(v) => set("password", v)}
            error={errors.password}
            required
          />
        ) : null}
      </div>
      <SitesFieldset
        sites={sites}
        value={value.siteIds}
        onChange={(ids) => set("siteIds", ids)}
        error={errors.siteIds}
      />
    </>
  );
}
