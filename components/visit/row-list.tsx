"use client";

import type { ReactNode } from "react";
import styles from "./visit.module.css";

/**
 * Repeatable rows of one kind (fractures, medications): a numbered card per row with its Remove
 * button, then an Add button. The rows live in the form; `update` changes them.
 */
export function RowList<R extends { id: string }>({
  noun,
  rows,
  update,
  newRow,
  emptyText,
  children,
}: {
  /** The row's name as a heading starts it ("Fracture"). */
  noun: string;
  rows: readonly R[];
  update: (change: (rows: R[]) => R[]) => void;
  newRow: () => R;
  emptyText: string;
  /** The fields of one row; `set` changes that row. */
  children: (row: R, set: (change: Partial<R>) => void) => ReactNode;
}) {
  const lower = noun.toLowerCase();
  return (
    <>
      {rows.length === 0 ? <p className={styles.keysHint}>{emptyText}</p> : null}
      {rows.map((row, index) => {
        const set = (change: Partial<R>): void =>
          update((list) => list.map((r) => (r.id === row.id ? { ...r, ...change } : r)));
        return (
          <div
            key={row.id}
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
                onClick={() => update((list) => list.filter((r) => r.id !== row.id))}
              >
                Remove<span className="visually-hidden">{` ${lower} ${index + 1}`}</span>
              </button>
            </div>
            {children(row, set)}
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => update((list) => [...list, newRow()])}
      >
        Add {lower}
      </button>
    </>
  );
}
