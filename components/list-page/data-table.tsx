import type { ReactNode } from "react";

/** A column header: its text, or its text and a numeric (right-aligned) column. */
export type Column = string | { label: string; numeric: true };

/**
 * A table of the list pages (worklist, audit log, users, tokens): it scrolls sideways, has a
 * caption for screen readers and one header row; `actions` adds a last column whose header only
 * they read. `busy` marks the table while newer rows load.
 */
export function DataTable({
  caption,
  columns,
  actions = false,
  className,
  wrapClassName,
  busy,
  children,
}: {
  caption: ReactNode;
  columns: readonly Column[];
  actions?: boolean;
  className?: string;
  wrapClassName?: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : "table-wrap"} aria-busy={busy}>
      <table className={className ? `table ${className}` : "table"}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === "string" ? (
                <th scope="col" key={c}>
                  {c}
                </th>
              ) : (
                <th scope="col" className="num" key={c.label}>
                  {c.label}
                </th>
              ),
            )}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
