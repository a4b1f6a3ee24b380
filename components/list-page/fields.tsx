import type { CSSProperties, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

interface FieldProps {
  id: string;
  label: ReactNode;
  /** The style of the field's box (the label and the control), e.g. to let it grow in a row. */
  fieldStyle?: CSSProperties;
}

/*
 * The plain fields of the list pages' forms (the worklist's filters and flag actions, the audit
 * log's and quality's filters): a label, the control, then a hint if there is one.
 */

function LabelledField({
  id,
  label,
  fieldStyle,
  hint,
  children,
}: FieldProps & { hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field" style={fieldStyle}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function InputField({
  id,
  label,
  fieldStyle,
  hint,
  ...input
}: FieldProps & { hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <LabelledField id={id} label={label} fieldStyle={fieldStyle} hint={hint}>
      <input
        id={id}
        className="input"
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...input}
      />
    </LabelledField>
  );
}

export function SelectField({
  id,
  label,
  fieldStyle,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <LabelledField id={id} label={label} fieldStyle={fieldStyle}>
      <select id={id} className="input" {...select}>
        {children}
      </select>
    </LabelledField>
  );
}

/** One <option> per value (by default the keys of `labels`, in order), shown by its label. */
export function Options<V extends string>(
  props:
    | { values: readonly V[]; labels?: Readonly<Record<V, string>> }
    | { labels: Readonly<Record<V, string>> },
) {
  const values = "values" in props ? props.values : (Object.keys(props.labels) as V[]);
  return values.map((v) => (
    <option key={v} value={v}>
      {props.labels ? props.labels[v] : v}
    </option>
  ));
}

/** "All my sites", then each site by name. */
export function SiteOptions({ sites }: { sites: readonly { id: string; name: string }[] }) {
  return (
    <>
      <option value="">All my sites</option>
      {sites.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </>
  );
}
