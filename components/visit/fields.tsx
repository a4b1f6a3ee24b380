"use client";

import { useId, useState, type ChangeEvent, type ComponentProps, type ReactNode } from "react";
import { ChoiceField, FieldError, TextField } from "@/components/ui/field";
import { parseDateText } from "@/lib/client/parse-date";
import { formatDate } from "@/lib/clinical/dates";
import type { FieldKey, VisitFormState, YesNo } from "./visit-form.utils";
import styles from "./visit.module.css";

export type Update = (change: (draft: VisitFormState) => VisitFormState) => void;

/** What every section of the visit form is given. */
export interface SectionProps {
  form: VisitFormState;
  update: Update;
  errors: Readonly<Record<FieldKey, string>>;
  /** The latest date a result can have (today). */
  maxDate: string;
}

type KeysOfType<T> = {
  [K in keyof VisitFormState]: VisitFormState[K] extends T
    ? T extends VisitFormState[K]
      ? K
      : never
    : never;
}[keyof VisitFormState];

/** A field's key (for error focus) and its error message, if any. */
export function fieldProps(
  errors: SectionProps["errors"],
  field: FieldKey,
): { "data-field": FieldKey; error: string | undefined } {
  return { "data-field": field, error: errors[field] };
}

/** Ties a control to one value of the form: its field key, value, change and error. */
function bind<K extends keyof VisitFormState>(
  { form, update, errors }: Omit<SectionProps, "maxDate">,
  key: K,
  field: FieldKey,
) {
  return {
    ...fieldProps(errors, field),
    value: form[key],
    onChange: (value: VisitFormState[K]): void => update((f) => ({ ...f, [key]: value })),
  };
}

/** `bind` for a text input. */
export function bindText(
  props: Omit<SectionProps, "maxDate">,
  key: KeysOfType<string>,
  field: FieldKey,
) {
  const bound = bind(props, key, field);
  return {
    ...bound,
    onChange: (event: ChangeEvent<HTMLInputElement>): void => bound.onChange(event.target.value),
  };
}

/** `bind` for a yes / no question. */
export function bindYesNo(
  props: Omit<SectionProps, "maxDate">,
  key: KeysOfType<YesNo>,
  field: FieldKey,
) {
  return bind(props, key, field);
}

type TextFieldProps = ComponentProps<typeof TextField>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How every date field reads what is typed (day first, as the app writes dates). */
export const DATE_HINT = "Day first: 6/12/2026 is 6 Dec 2026. Also 2026-12-06, t (today), t-30.";

/** What a date field holds for `text`: the date (YYYY-MM-DD), "" for none, else the text as typed. */
export function storedDate(text: string, today: string): string {
  const parsed = parseDateText(text, today);
  if (parsed === null) return "";
  return parsed.ok ? parsed.iso : text;
}

/** What a date field shows for a stored value: a date in the clinic's format, else the text. */
function shownText(value: string): string {
  return ISO_DATE.test(value) ? formatDate(value) : value;
}

/**
 * A date typed in one field (one Tab stop), read by `parseDateText`: "6/12/2026" (day first),
 * "2026-12-06", "6 Dec 2026", "t", "t-30". The date understood is shown beside the field, so a
 * slip is seen as it is typed. The form holds the date (YYYY-MM-DD) once it is one, and otherwise
 * the text, so that validation names the problem at the field.
 */
export function DateField({
  label,
  hint,
  error,
  className,
  today,
  value,
  onValue,
  "data-field": field,
  required,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  /** Today at the site (what "t" means). */
  today: string;
  value: string;
  onValue: (value: string) => void;
  "data-field"?: FieldKey;
  required?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(() => shownText(value));
  // A value set from outside (the visit date's default moving past midnight) replaces the text.
  const [held, setHeld] = useState(value);
  if (value !== held) {
    setHeld(value);
    setText(shownText(value));
  }
  const parsed = parseDateText(text, today);
  const understood = parsed?.ok && text.trim() !== parsed.shown ? parsed.shown : null;
  const hintId = `${id}-hint`;
  const shownId = `${id}-shown`;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <span className="hint" id={hintId}>
        {hint ? <>{hint} </> : null}
        {DATE_HINT}
      </span>
      <span className={styles.dateInput}>
        <input
          id={id}
          className="input"
          type="text"
          autoComplete="off"
          spellCheck={false}
          data-field={field}
          required={required}
          value={text}
          onChange={(event) => {
            const next = event.target.value;
            const stored = storedDate(next, today);
            setText(next);
            setHeld(stored);
            onValue(stored);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={[shownId, hintId, errorId].filter(Boolean).join(" ")}
        />
        <span className={styles.dateShown} id={shownId} aria-live="polite">
          {understood ? `= ${understood}` : ""}
        </span>
      </span>
      <FieldError id={errorId} error={error} />
    </div>
  );
}

/** `bind` for a date field. */
export function bindDate(
  props: Omit<SectionProps, "maxDate">,
  key: KeysOfType<string>,
  field: FieldKey,
) {
  const { onChange, ...bound } = bind(props, key, field);
  return { ...bound, onValue: onChange };
}

/** The date of a result, left empty when it is the visit date. */
export function ResultDateField({
  section,
  name,
  field,
  label,
  hint,
}: {
  section: SectionProps;
  name: KeysOfType<string>;
  field: FieldKey;
  label: string;
  hint?: string;
}) {
  return (
    <DateField
      className={styles.dateField}
      today={section.maxDate}
      label={label}
      hint={hint}
      {...bindDate(section, name, field)}
    />
  );
}

/**
 * A number kept as typed ("−2,5" included) until the form is shaped, so that a mistyped value
 * reaches validation instead of disappearing.
 */
export function NumberField(props: TextFieldProps) {
  return <TextField type="text" inputMode="decimal" {...props} />;
}

/** Yes / No / Not asked as radio buttons in a fieldset; "y" and "n" answer it. */
export function YesNoField({
  unansweredLabel = "Not asked",
  ...props
}: Omit<ComponentProps<typeof ChoiceField<YesNo>>, "options"> & { unansweredLabel?: string }) {
  return (
    <ChoiceField<YesNo>
      options={[
        { label: "Yes", value: true, key: "y" },
        { label: "No", value: false, key: "n" },
        { label: unansweredLabel, value: null },
      ]}
      {...props}
    />
  );
}

/** A collapsible form section (heading + disclosure button), in paper order. */
export function FormSection({
  id,
  title,
  open,
  onToggle,
  summary,
  errorCount = 0,
  children,
}: {
  id: string;
  title: string;
  open: boolean;
  onToggle: () => void;
  summary?: string;
  errorCount?: number;
  children: ReactNode;
}) {
  const bodyId = `${id}-body`;
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <h2 className={styles.sectionHeading} id={`${id}-heading`}>
        <button
          type="button"
          className={styles.sectionToggle}
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={onToggle}
        >
          <svg
            className={styles.chevron}
            viewBox="0 0 24 24"
            aria-hidden="true"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <polyline points="9 6 15 12 9 18" />
          </svg>
          <span id={`${id}-title`}>{title}</span>
          {errorCount > 0 ? (
            <span className={styles.sectionError}>
              {errorCount === 1 ? "1 field to check" : `${errorCount} fields to check`}
            </span>
          ) : null}
          {summary ? <span className={styles.sectionSummary}>{summary}</span> : null}
        </button>
      </h2>
      <div id={bodyId} className={styles.sectionBody} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
