import type { ReactNode } from "react";

/**
 * The head of a list page: its heading, a line saying what it lists, an action (a link), and the
 * alert shown when filters in the address were not valid (the page then shows it unfiltered),
 * naming them when the page gives `invalidDetail`.
 */
export function ListPageHeader({
  title,
  intro,
  action,
  invalidFilters,
  invalidDetail,
}: {
  title: string;
  intro: ReactNode;
  action?: ReactNode;
  invalidFilters: boolean;
  invalidDetail?: string | undefined;
}) {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {intro}
          </p>
        </div>
        {action}
      </div>
      {invalidFilters ? (
        <p className="alert alert-error" role="alert">
          Some filters in the address were not valid and were ignored
          {invalidDetail ? `: ${invalidDetail}` : ""}.
        </p>
      ) : null}
    </>
  );
}
