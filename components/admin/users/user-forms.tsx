import { useId, useState, type FormEvent } from "react";
import type { AdminSite, AdminUser } from "@/lib/api/admin";
import { SubmitCancel } from "@/components/ui/submit-cancel";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { useCreateUser, useUpdateUser } from "@/lib/client/use-admin-users";
import {
  FormError,
  PasswordField,
  UserFields,
  type Errors,
  type UserFieldValues,
} from "./user-fields";
import { fieldErrorMap } from "./users-admin.utils";
import styles from "./users-admin.module.css";

function errorsOf(error: unknown): Errors {
  if (error instanceof ApiError && error.fieldErrors.length) {
    return fieldErrorMap(error.fieldErrors);
  }
  return { form: errorMessage(error) };
}

/** The new-user form. */
export function CreateUserForm({
  sites,
  onDone,
  onCancel,
}: {
  sites: AdminSite[];
  onDone: (user: AdminUser) => void;
  onCancel: () => void;
}) {
  const create = useCreateUser();
  const [value, setValue] = useState<UserFieldValues>({
    name: "",
    email: "",
    role: "clinician",
    siteIds: [],
    password: "",
  });
  const [errors, setErrors] = useState<Errors>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    try {
      const { email, name, role, siteIds, password } = value;
      onDone(await create.mutateAsync({ email, name, role, siteIds, password }));
    } catch (error) {
      setErrors(errorsOf(error));
    }
  }

  return (
    <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} noValidate>
      <h2>New user</h2>
      <FormError errors={errors} />
      <UserFields mode="create" sites={sites} value={value} onChange={setValue} errors={errors} />
      <div className={styles.actions}>
        <SubmitCancel
          label="Create user"
          pendingLabel="Creating…"
          pending={create.isPending}
          variant="primary"
          onCancel={onCancel}
        />
      </div>
    </form>
  );
}

/** Editing one account: its name, role and sites, and a password reset apart. */
export function EditUserPanel({
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
  const [value, setValue] = useState<UserFieldValues>({
    name: user.name,
    email: user.email,
    role: user.role,
    siteIds: user.sites.map((s) => s.id),
    password: "",
  });
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pwErrors, setPwErrors] = useState<Errors>({});

  async function save(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    try {
      const { name, role, siteIds } = value;
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
        <FormError errors={errors} />
        <UserFields
          mode="edit"
          sites={sites}
          value={value}
          onChange={setValue}
          errors={errors}
          roleLocked={isSelf}
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
        <FormError errors={pwErrors} />
        <PasswordField
          label="New password"
          value={password}
          onChange={setPassword}
          error={pwErrors.password}
        />
        <button type="submit" className="btn" disabled={update.isPending}>
          Set new password
        </button>
      </form>
    </section>
  );
}
