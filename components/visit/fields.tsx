"use client";

import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import type { YesNo } from "./visit-form.utils";
import styles from "./visit.module.css";

/** A labelled input with an optional unit, hint and error; `field` names it for error focus. */
export function InputField({
  label,
  field,
  hint,
  error,
  unit,
  className,
  ...input
}: {
  label: ReactNode;
  field: string;
  hint?: ReactNode;
  error?: string | undefined;
  unit?: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const control = (
    <input
      id={id}
      className="input"
      data-field={field}
      aria-invalid={error ? true : undefined}
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      {...input}
    />
  );
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {unit ? (
        <span className={styles.unitInput}>
          {control}
          <span className={styles.unit}>{unit}</span>
        </span>
      ) : (
        control
      )}
      {error ? (
        <span className="error" id={errorId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled select with its error. */
export function SelectField({
  label,
  field,
  error,
  value,
  onChange,
  options,
  placeholder,
  hint,
}: {
  label: ReactNode;
  field: string;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  placeholder?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      <select
        id={id}
        className="input"
        data-field={field}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <span className="error" id={errorId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** Yes / No / Not asked as radio buttons in a fieldset. */
export function YesNoField({
  legend,
  field,
  value,
  onChange,
  error,
  unansweredLabel = "Not asked",
}: {
  legend: ReactNode;
  field: string;
  value: YesNo;
  onChange: (value: YesNo) => void;
  error?: string | undefined;
  unansweredLabel?: string;
}) {
  const name = useId();
  const errorId = error ? `${name}-error` : undefined;
  const options: { label: string; value: YesNo }[] = [
    { label: "Yes", value: true },
    { label: "No", value: false },
    { label: unansweredLabel, value: null },
  ];
  return (
    <fieldset className={styles.choice} aria-describedby={errorId}>
      <legend>{legend}</legend>
      <div className={styles.choiceOptions}>
        {options.map((o) => (
          <label key={o.label}>
            <input
              type="radio"
              name={name}
              data-field={field}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              aria-invalid={error ? true : undefined}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? (
        <span className="error" id={errorId}>
          {error}
        </span>
      ) : null}
    </fieldset>
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
