"use client";

import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import { tabStops } from "./focus";
import { fieldProps, type SectionProps } from "./fields";
import type { VisitFormState, YesNo } from "./visit-form.utils";
import styles from "./visit.module.css";

type ListKey = "fractures" | "medications";
type RowOf<L extends ListKey> = VisitFormState[L][number];
type TextKeys<R> = { [K in keyof R]: R[K] extends string ? K : never }[keyof R];
type YesNoKeys<R> = { [K in keyof R]-?: R[K] extends YesNo | undefined ? K : never }[keyof R];
type Bound<T> = ReturnType<typeof fieldProps> & T;

/** What the fields of one row are given to edit it. */
export interface RowEdit<R> {
  /** Changes this row. */
  set: (change: Partial<R>) => void;
  /** A field of this row (`suffix` after the row's key): its field key and error. */
  field: (suffix: string) => ReturnType<typeof fieldProps>;
  /**
   * Ties a text input or a select to `name` of this row; its field key ends in `suffix` (default
   * `name`). A select's options are the values `name` may take.
   */
  text: (
    name: TextKeys<R>,
    suffix?: string,
  ) => Bound<{
    value: string;
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
  }>;
  /** Ties a date field to `name` of this row (its field key is `name`). */
  date: (name: TextKeys<R>) => Bound<{ value: string; onValue: (value: string) => void }>;
  /** Ties a yes/no field to `name` of this row (its field key is `name`); unset is unanswered. */
  yesNo: (name: YesNoKeys<R>) => Bound<{ value: YesNo; onChange: (value: YesNo) => void }>;
}

/**
 * The repeatable rows of one list of the form (fractures, medications): a numbered card per row
 * with its Remove button, then an Add button. Field keys of a row are `${list}.${row.id}.…`.
 */
export function RowList<L extends ListKey>({
  list,
  section,
  noun,
  newRow,
  emptyText,
  children,
}: {
  list: L;
  section: Omit<SectionProps, "maxDate">;
  /** The row's name as a heading starts it ("Fracture"). */
  noun: string;
  newRow: () => RowOf<L>;
  emptyText: string;
  children: (row: RowOf<L>, edit: RowEdit<RowOf<L>>) => ReactNode;
}) {
  type R = RowOf<L>;
  const { form, errors } = section;
  const rows = form[list] as readonly R[];
  const update = (change: (rows: R[]) => R[]): void =>
    section.update((f) => ({ ...f, [list]: change(f[list]) }));
  const lower = noun.toLowerCase();
  const cards = useRef(new Map<string, HTMLDivElement>());
  // A row just added takes the focus on its first field (by click or by Enter on the button).
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    if (added === null) return;
    const card = cards.current.get(added);
    if (card) tabStops(card)[0]?.focus();
    setAdded(null);
  }, [added]);
  const editOf = (row: R): RowEdit<R> => {
    const set = (change: Partial<R>): void =>
      update((current) => current.map((r) => (r.id === row.id ? { ...r, ...change } : r)));
    const field = (suffix: string) => fieldProps(errors, `${list}.${row.id}.${suffix}`);
    return {
      set,
      field,
      text: (name, suffix = String(name)) => ({
        ...field(suffix),
        value: row[name] as string,
        onChange: (event) => set({ [name]: event.target.value } as Partial<R>),
      }),
      date: (name) => ({
        ...field(String(name)),
        value: row[name] as string,
        onValue: (value) => set({ [name]: value } as Partial<R>),
      }),
      yesNo: (name) => ({
        ...field(String(name)),
        value: (row[name] as YesNo | undefined) ?? null,
        onChange: (value) => set({ [name]: value } as Partial<R>),
      }),
    };
  };
  return (
    <>
      {rows.length === 0 ? <p className={styles.keysHint}>{emptyText}</p> : null}
      {rows.map((row, index) => (
        <div
          key={row.id}
          ref={(el) => {
            if (el) cards.current.set(row.id, el);
            else cards.current.delete(row.id);
          }}
          className={styles.rowCard}
          role="group"
          aria-label={`${noun} ${index + 1}`}
        >
          <div className={styles.rowHead}>
            <span>
              {noun} {index + 1}
            </span>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => update((current) => current.filter((r) => r.id !== row.id))}
            >
              Remove<span className="visually-hidden">{` ${lower} ${index + 1}`}</span>
            </button>
          </div>
          {children(row, editOf(row))}
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          const row = newRow();
          update((current) => [...current, row]);
          setAdded(row.id);
        }}
      >
        Add {lower}
      </button>
    </>
  );
}
