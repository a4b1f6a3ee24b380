import type { ReactNode } from "react";

/**
 * A table of the admin screens (users, tokens, audit log): it scrolls sideways, has a caption for
 * screen readers and one header row; `actions` adds a last column whose header only they read.
 */
export function AdminTable({
  caption,
  columns,
  actions = false,
  className,
  children,
}: {
  caption: ReactNode;
  columns: readonly string[];
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : "table"}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
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
