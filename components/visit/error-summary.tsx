"use client";

import { forwardRef, type MouseEvent } from "react";
import { IconHigh } from "@/components/ui/icons";
import { focusRadioGroup } from "./focus";
import type { FieldKey } from "./visit-form.utils";
import styles from "./visit.module.css";

/** Focuses the field of `key` in `form` (its radio group as one stop, or its first sub-field). */
export function focusField(form: ParentNode | null | undefined, key: FieldKey): boolean {
  if (!form) return false;
  const target =
    form.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`) ??
    form.querySelector<HTMLElement>(`[data-field^="${CSS.escape(`${key}.`)}"]`);
  if (!target) return false;
  if (target instanceof HTMLInputElement && target.type === "radio") {
    return focusRadioGroup(target.closest('[role="radiogroup"], fieldset'));
  }
  target.scrollIntoView?.({ block: "center" });
  target.focus();
  return true;
}

/**
 * The problems of a save, at the top of the form: each names its field and is a link that moves
 * the focus there. Everything entered is kept.
 */
export const ErrorSummary = forwardRef<
  HTMLDivElement,
  {
    saveError: string | null;
    problems: readonly { key: FieldKey; name: string; message: string }[];
    formMessage: string | undefined;
    onGo: (key: FieldKey) => void;
  }
>(function ErrorSummary({ saveError, problems, formMessage, onGo }, ref) {
  const show = saveError !== null || problems.length > 0 || formMessage !== undefined;
  const go = (event: MouseEvent<HTMLAnchorElement>, key: FieldKey): void => {
    event.preventDefault();
    onGo(key);
  };
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className={styles.errorSummary}
      aria-live="assertive"
      aria-labelledby={show ? "error-summary-title" : undefined}
      role={show ? "region" : undefined}
    >
      {show ? (
        <div className="alert alert-error">
          <IconHigh />
          <div>
            <strong id="error-summary-title">
              {saveError
                ? `Not saved: ${saveError}`
                : problems.length === 1
                  ? "Not saved yet: 1 problem"
                  : `Not saved yet: ${problems.length || 1} problems`}
            </strong>
            <ul>
              {formMessage ? <li>{formMessage}</li> : null}
              {problems.map((p) => (
                <li key={p.key}>
                  <a href={`#field-${p.key}`} onClick={(e) => go(e, p.key)}>
                    {p.name}: {p.message}
                  </a>
                </li>
              ))}
              <li>Everything you entered is kept.</li>
            </ul>
          </div>
        </div>
      ) : null}
    </div>
  );
});
