"use client";

import { useRef, useState, type CSSProperties, type KeyboardEvent } from "react";
import { FieldError } from "@/components/ui/field";
import { flushSync } from "react-dom";
import { focusNextStop, focusRadioGroup } from "./focus";
import styles from "./visit.module.css";

export interface GridOption<V extends string | number> {
  value: V;
  /** What the answer cell shows ("2", "Yes"). */
  face: string;
  /** The answer in words ("More than half the days"). */
  label: string;
  /** The key that picks it ("2", "y"). */
  key: string;
}

/**
 * A questionnaire grid in paper order: one radio group per item. A key of an answer ("0"–"3", or
 * "y"/"n") picks it and moves focus to the next item; after the last item focus moves on to the
 * next field of the form.
 */
export function ItemGrid<V extends string | number>({
  name,
  items,
  options,
  values,
  onAnswer,
  errors,
  fieldPrefix,
  firstNumber = 1,
  emphasize,
  label,
}: {
  name: string;
  items: readonly string[];
  options: readonly GridOption<V>[];
  values: readonly (V | null)[];
  onAnswer: (index: number, value: V) => void;
  errors: Readonly<Record<string, string>>;
  /** Field keys of the items are `${fieldPrefix}.${index}`. */
  fieldPrefix: string;
  firstNumber?: number | null;
  /** Items to emphasize when answered above their first option (PHQ-9 item 9). */
  emphasize?: (index: number, value: V | null) => boolean;
  label: string;
}) {
  const rows = useRef<(HTMLDivElement | null)[]>([]);
  // A key that is not an answer (a 7 on a 0–3 item) says why it was not taken, on its item.
  const [refused, setRefused] = useState<{ index: number; message: string } | null>(null);
  const keyList = options.map((o) => o.key).join(", ");
  const container = useRef<HTMLDivElement | null>(null);

  const advance = (index: number): void => {
    const next = rows.current[index + 1];
    if (next) {
      focusRadioGroup(next);
      return;
    }
    const grid = container.current;
    const form = grid?.closest("form");
    if (grid && form) focusNextStop(form, grid);
  };

  const onKeyDown = (index: number, event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const option = options.find((o) => o.key === event.key.toLowerCase());
    if (!option) {
      if (/^[0-9a-z]$/i.test(event.key)) {
        event.preventDefault();
        setRefused({ index, message: `${event.key} is not an answer here: type ${keyList}.` });
      }
      return;
    }
    event.preventDefault();
    setRefused(null);
    // Commit the answer now, so that the next digit (typed fast) already lands on the next item.
    flushSync(() => onAnswer(index, option.value));
    advance(index);
  };

  const cols = { "--cols": String(options.length) } as CSSProperties;
  return (
    <div className={styles.grid} ref={container} role="group" aria-label={label}>
      {options.some((o) => o.label !== o.face) ? (
        <ul className={styles.answerKey} aria-hidden="true">
          {options.map((o) => (
            <li key={String(o.value)}>
              <strong>{o.face}</strong> {o.label}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {refused?.message ?? ""}
      </p>
      <div className={styles.gridHead} style={cols} aria-hidden="true">
        <span>Item</span>
        {options.map((o) => (
          <span key={String(o.value)}>{o.face}</span>
        ))}
      </div>
      {items.map((text, index) => {
        const value = values[index] ?? null;
        const textId = `${name}-q${index}`;
        const error =
          errors[`${fieldPrefix}.${index}`] ??
          (refused?.index === index ? refused.message : undefined);
        const errorId = error ? `${textId}-error` : undefined;
        const number = firstNumber === null ? null : firstNumber + index;
        const strong = emphasize?.(index, value) ?? false;
        return (
          <div
            key={textId}
            ref={(el) => {
              rows.current[index] = el;
            }}
            role="radiogroup"
            aria-labelledby={textId}
            aria-describedby={errorId}
            className={`${styles.gridRow} ${value !== null ? styles.answered : ""}`}
            style={cols}
            onKeyDown={(e) => onKeyDown(index, e)}
          >
            <div id={textId} className={`${styles.itemText} ${strong ? styles.flagItem : ""}`}>
              {number !== null ? <span className={styles.itemNumber}>{number}.</span> : null}
              {text}
              <FieldError id={errorId} error={error} />
            </div>
            {options.map((o) => (
              <label key={String(o.value)} className={styles.option}>
                <input
                  type="radio"
                  name={`${name}-${index}`}
                  value={String(o.value)}
                  checked={value === o.value}
                  onChange={() => onAnswer(index, o.value)}
                  data-field={`${fieldPrefix}.${index}`}
                  aria-invalid={error ? true : undefined}
                />
                <span className={styles.optionFace} aria-hidden="true">
                  {o.face}
                </span>
                <span className="visually-hidden">
                  {o.label === o.face ? o.face : `${o.face} ${o.label}`}
                </span>
              </label>
            ))}
          </div>
        );
      })}
    </div>
  );
}
