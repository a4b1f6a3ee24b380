"use client";

import type { ChangeEvent, ComponentProps, ReactNode } from "react";
import { ChoiceField, TextField } from "@/components/ui/field";
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

/** A date no later than `maxDate` (results are never in the future). */
export function DateField({ maxDate, ...props }: TextFieldProps & { maxDate: string }) {
  return <TextField type="date" max={maxDate} {...props} />;
}

/** The date of a result, left empty when it is the visit date. */
export function ResultDateField({
  section,
  name,
  field,
  ...props
}: Omit<TextFieldProps, "name"> & {
  section: SectionProps;
  name: KeysOfType<string>;
  field: FieldKey;
}) {
  return (
    <DateField
      className={styles.narrowField}
      maxDate={section.maxDate}
      {...bindText(section, name, field)}
      {...props}
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
