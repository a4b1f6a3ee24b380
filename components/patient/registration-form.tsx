"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ChoiceField, SelectField, TextField } from "@/components/ui/field";
import { IconHigh } from "@/components/ui/icons";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { createPatientSchema, useCreatePatient } from "@/lib/client/use-patients";
import { SEXES, type Sex } from "@/lib/clinical/constants";
import { formatDate } from "@/lib/clinical/dates";
import type { DuplicatePatient } from "@/lib/api/patients";
import { localToday } from "@/components/visit/visit-form.utils";
import { SEX_LABEL } from "./labels";
import styles from "./patient.module.css";

type Menopause = "yes" | "no" | "unknown";

const SEX_OPTIONS = SEXES.map((sex) => ({ value: sex, label: SEX_LABEL[sex] }));
const MENOPAUSE_OPTIONS: readonly { value: Menopause; label: string }[] = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
  { value: "unknown", label: "Not recorded" },
];

interface RegistrationState {
  siteId: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex | "";
  postmenopausal: Menopause;
  /** How to reach the patient (optional; the care team's contact log). */
  phone?: string;
  preferredContactTime?: string;
  language?: string;
}

/** Whether the postmenopausal question applies (female, other or unknown sex). */
export function asksMenopause(sex: Sex | ""): boolean {
  return sex === "female" || sex === "other" || sex === "unknown";
}

/** The registration form as the API body (the shared schema checks it). */
export function toCreateBody(state: RegistrationState): Record<string, unknown> {
  return {
    siteId: state.siteId,
    mrn: state.mrn,
    givenName: state.givenName,
    familyName: state.familyName,
    birthDate: state.birthDate,
    sex: state.sex === "" ? undefined : state.sex,
    postmenopausal: !asksMenopause(state.sex)
      ? null
      : state.postmenopausal === "unknown"
        ? null
        : state.postmenopausal === "yes",
    phones: state.phone?.trim() ? [{ use: "mobile", value: state.phone }] : [],
    preferredContactTime: state.preferredContactTime,
    language: state.language,
  };
}

/** The match a 409 names (`duplicateOf`), if the reply has one. */
function duplicateOf(body: unknown): DuplicatePatient | null {
  if (typeof body !== "object" || body === null || !("duplicateOf" in body)) return null;
  const match = body.duplicateOf;
  if (typeof match !== "object" || match === null) return null;
  const m = match as Record<string, unknown>;
  const fields = ["id", "mrn", "givenName", "familyName", "birthDate"] as const;
  if (!fields.every((f) => typeof m[f] === "string")) return null;
  return m as unknown as DuplicatePatient;
}

/** Registers a patient; on success goes to the new patient's visit entry. */
export function RegistrationForm({
  sites,
  today,
}: {
  sites: { id: string; code: string; name: string }[];
  today: string;
}) {
  const router = useRouter();
  const mutation = useCreatePatient();
  const [state, setState] = useState<RegistrationState>({
    siteId: sites.length === 1 ? (sites[0]?.id ?? "") : "",
    mrn: "",
    givenName: "",
    familyName: "",
    birthDate: "",
    sex: "",
    postmenopausal: "unknown",
    phone: "",
    preferredContactTime: "",
    language: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // A patient of the same name and birth date already registered at the site: shown, and asked.
  const [duplicate, setDuplicate] = useState<DuplicatePatient | null>(null);
  const duplicateRef = useRef<HTMLDivElement | null>(null);
  // The match takes the focus when it is shown, so that it is read before anything else.
  useEffect(() => {
    if (duplicate) duplicateRef.current?.focus();
  }, [duplicate]);
  const formRef = useRef<HTMLFormElement | null>(null);

  const set = <K extends keyof RegistrationState>(key: K, value: RegistrationState[K]): void => {
    setState((s) => ({ ...s, [key]: value }));
    setDuplicate(null);
    setErrors((e) => {
      if (!(key in e)) return e;
      const next = { ...e };
      delete next[key];
      return next;
    });
  };

  /** Ties a text field or the site select to one value of the form, with its error. */
  const bind = (
    key:
      | "siteId"
      | "mrn"
      | "givenName"
      | "familyName"
      | "birthDate"
      | "preferredContactTime"
      | "language",
  ) => ({
    value: state[key] ?? "",
    onChange: (event: { target: { value: string } }) => set(key, event.target.value),
    error: errors[key],
  });

  const focusFirstError = (): void => {
    window.setTimeout(() => {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }, 0);
  };

  const register = (confirmDuplicate: boolean): void => {
    setFormError(null);
    const found: Record<string, string> = {};
    if (state.birthDate && state.birthDate > localToday()) {
      found.birthDate = "Birth date cannot be in the future";
    }
    const parsed = createPatientSchema.safeParse(toCreateBody(state));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "form");
        if (!(key in found)) {
          found[key] =
            key === "birthDate" && issue.message.startsWith("must be")
              ? "Enter the birth date"
              : key === "sex"
                ? "Choose the sex"
                : issue.message;
        }
      }
    }
    if (Object.keys(found).length > 0 || !parsed.success) {
      setErrors(found);
      focusFirstError();
      return;
    }
    const body = confirmDuplicate ? { ...parsed.data, confirmDuplicate: true } : parsed.data;
    mutation.mutate(body, {
      onSuccess: (patient) => router.push(`/patients/${patient.id}/visits/new`),
      onError: (error) => {
        const match = error instanceof ApiError ? duplicateOf(error.body) : null;
        if (match) {
          setDuplicate(match);
          return;
        }
        if (error instanceof ApiError && error.fieldErrors.length > 0) {
          const fromServer: Record<string, string> = {};
          for (const e of error.fieldErrors) {
            const key = e.path.split(".")[0] ?? "form";
            if (!(key in fromServer)) fromServer[key] = e.message;
          }
          setErrors(fromServer);
          focusFirstError();
        }
        setFormError(errorMessage(error));
      },
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    register(false);
  };

  return (
    <form ref={formRef} className={`card ${styles.formCard}`} onSubmit={onSubmit} noValidate>
      {formError ? (
        <div className="alert alert-error" role="alert" style={{ marginBottom: "1rem" }}>
          <IconHigh />
          <div>
            <strong>Not registered.</strong> {formError}
          </div>
        </div>
      ) : null}
      <SelectField
        label="Site"
        {...bind("siteId")}
        placeholder="Choose a site"
        options={sites.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))}
      />
      <TextField
        label="MRN"
        hint="Medical record number at this site."
        {...bind("mrn")}
        autoComplete="off"
      />
      <div className={styles.formGrid}>
        <TextField label="Given name" {...bind("givenName")} autoComplete="off" />
        <TextField label="Family name" {...bind("familyName")} autoComplete="off" />
      </div>
      <TextField label="Birth date" type="date" max={today} {...bind("birthDate")} />
      <ChoiceField<Sex | "">
        legend="Sex"
        options={SEX_OPTIONS}
        value={state.sex}
        onChange={(sex) => set("sex", sex)}
        error={errors.sex}
      />
      {asksMenopause(state.sex) ? (
        <ChoiceField<Menopause>
          legend="Postmenopausal"
          options={MENOPAUSE_OPTIONS}
          value={state.postmenopausal}
          onChange={(value) => set("postmenopausal", value)}
          error={errors.postmenopausal}
        />
      ) : null}
      <TextField
        label="Phone (optional)"
        type="tel"
        value={state.phone ?? ""}
        onChange={(event) => set("phone", event.target.value)}
        error={errors.phones}
        autoComplete="off"
      />
      <div className={styles.formGrid}>
        <TextField
          label="Best time to call (optional)"
          {...bind("preferredContactTime")}
          autoComplete="off"
        />
        <TextField label="Language (optional)" {...bind("language")} autoComplete="off" />
      </div>
      {duplicate ? (
        <div
          ref={duplicateRef}
          tabIndex={-1}
          className={`alert ${styles.duplicateAlert}`}
          role="region"
          aria-labelledby="duplicate-heading"
          style={{ marginBottom: "1rem" }}
        >
          <IconHigh />
          <div>
            <strong id="duplicate-heading">Already registered?</strong>{" "}
            <Link href={`/patients/${duplicate.id}`}>
              {duplicate.givenName} {duplicate.familyName} · MRN {duplicate.mrn} · born{" "}
              {formatDate(duplicate.birthDate)}
            </Link>{" "}
            has the same name and birth date at this site. Open that record, or register this
            patient as another person.
            <div style={{ marginTop: "0.5rem" }}>
              <button
                type="button"
                className="btn"
                disabled={mutation.isPending}
                onClick={() => register(true)}
              >
                Register as another person
              </button>
            </div>
          </div>
        </div>
      ) : null}
      <div style={{ display: "flex", gap: "0.75rem", marginTop: "0.5rem" }}>
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? "Registering…" : "Register and start a visit"}
        </button>
        <Link className="btn" href="/patients">
          Cancel
        </Link>
      </div>
    </form>
  );
}
