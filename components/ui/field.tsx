import { useId, type ComponentProps, type CSSProperties, type ReactNode } from "react";
import { IconHigh } from "./icons";
import styles from "./field.module.css";

type Message = string | null | undefined;

/** What every labelled field takes besides its control's own attributes. */
interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: Message;
  /** A class for the field block (not the control). */
  className?: string;
}

interface FieldIds {
  hintId: string | undefined;
  errorId: string | undefined;
  /** The control's own attributes: its id, class and the aria that ties hint and error to it. */
  control: {
    id: string;
    className: string;
    "aria-invalid": true | undefined;
    "aria-describedby": string | undefined;
  };
}

function useFieldIds(hint: ReactNode, error: Message): FieldIds {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return {
    hintId,
    errorId,
    control: {
      id,
      className: "input",
      "aria-invalid": error ? true : undefined,
      "aria-describedby": describedBy,
    },
  };
}

/** An error message under its field, in red with an icon; nothing when there is none. */
export function FieldError({
  id,
  error,
  style,
}: {
  id: string | undefined;
  error: Message;
  style?: CSSProperties;
}) {
  return error ? (
    <span className={`error ${styles.error}`} id={id} style={style}>
      <IconHigh className={styles.errorIcon} />
      {error}
    </span>
  ) : null;
}

function FieldFrame({
  ids,
  label,
  hint,
  error,
  className,
  children,
}: FieldProps & { ids: FieldIds; children: ReactNode }) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={ids.control.id}>{label}</label>
      {hint ? (
        <span className="hint" id={ids.hintId}>
          {hint}
        </span>
      ) : null}
      {children}
      <FieldError id={ids.errorId} error={error} />
    </div>
  );
}

/** A labelled input with its hint, error and optional unit, wired with aria attributes. */
export function TextField({
  label,
  hint,
  error,
  className,
  unit,
  ...input
}: FieldProps & { unit?: string } & Omit<ComponentProps<"input">, "className">) {
  const ids = useFieldIds(hint, error);
  const control = <input {...ids.control} {...input} />;
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} className={className}>
      {unit ? (
        <span className={styles.unitInput}>
          {control}
          <span className={styles.unit}>{unit}</span>
        </span>
      ) : (
        control
      )}
    </FieldFrame>
  );
}

/** A labelled select of `options`, with an optional empty first choice (`placeholder`). */
export function SelectField({
  label,
  hint,
  error,
  className,
  options,
  placeholder,
  ...select
}: FieldProps & {
  options: readonly { value: string; label: string }[];
  placeholder?: string;
} & Omit<ComponentProps<"select">, "className">) {
  const ids = useFieldIds(hint, error);
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} className={className}>
      <select {...ids.control} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * One answer out of a few, as radio buttons in a fieldset under `legend`. An option with a `key`
 * is picked by typing it anywhere in the group ("y" for Yes), as the questionnaire grids are.
 */
export function ChoiceField<V extends string | boolean | null>({
  legend,
  options,
  value,
  onChange,
  error,
  "data-field": field,
}: {
  legend: ReactNode;
  options: readonly { value: V; label: string; key?: string }[];
  value: V;
  onChange: (value: V) => void;
  error?: Message;
  /** Names the radios for the form's error handling. */
  "data-field"?: string;
}) {
  const name = useId();
  const errorId = error ? `${name}-error` : undefined;
  return (
    <fieldset
      className={styles.choice}
      aria-describedby={errorId}
      onKeyDown={(event) => {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        const index = options.findIndex((o) => o.key === event.key.toLowerCase());
        const option = options[index];
        if (!option) return;
        event.preventDefault();
        onChange(option.value);
        const radios =
          event.currentTarget.querySelectorAll<HTMLInputElement>('input[type="radio"]');
        radios[index]?.focus();
      }}
    >
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
      <FieldError id={errorId} error={error} />
    </fieldset>
  );
}
