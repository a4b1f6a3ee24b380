import type { ReactNode } from "react";
import { IconInbox } from "./icons";

/** An empty list or an unbuilt area, saying what to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state card">
      <IconInbox />
      <h2>{title}</h2>
      {children ? <div>{children}</div> : null}
      {action ? <div style={{ marginTop: "1rem" }}>{action}</div> : null}
    </div>
  );
}
