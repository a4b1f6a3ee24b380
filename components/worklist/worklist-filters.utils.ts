import { isContactOverdue } from "@/lib/api/contact-values";
import { dateInZone } from "@/lib/time-zone";

/** The URL query keys the worklist understands (everything else is ignored). */
export const WORKLIST_PARAM_KEYS = [
  "priority",
  "code",
  "status",
  "assignee",
  "overdue",
  "site",
  "sort",
] as const;
export type WorklistParamKey = (typeof WORKLIST_PARAM_KEYS)[number];

/** Keeps only worklist filters, in a stable order, dropping empty and default values. */
export function normalizeWorklistParams(input: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of WORKLIST_PARAM_KEYS) {
    const value = input.get(key);
    if (!value) continue;
    if (key === "status" && value === "active") continue;
    if (key === "assignee" && value === "anyone") continue;
    if (key === "overdue" && value !== "true") continue;
    if (key === "sort" && value !== "contact") continue;
    out.set(key, value);
  }
  return out;
}

/** Sets (or clears, with null) one filter and returns the new query string. */
export function withParam(
  current: URLSearchParams,
  key: WorklistParamKey,
  value: string | null,
): string {
  const next = new URLSearchParams(current);
  if (value === null || value === "") next.delete(key);
  else next.set(key, value);
  return normalizeWorklistParams(next).toString();
}

/** Toggles one priority in the comma-separated `priority` filter. */
export function togglePriority(current: URLSearchParams, priority: string): string {
  const set = new Set((current.get("priority") ?? "").split(",").filter(Boolean));
  if (set.has(priority)) set.delete(priority);
  else set.add(priority);
  const order = ["urgent", "high", "medium", "low", "none"];
  return withParam(current, "priority", order.filter((p) => set.has(p)).join(",") || null);
}

/** "overdue by 3 days" / "due today" / "due 20 Nov 2026" */
export function dueText(
  dueOn: string | null,
  overdueDays: number | null,
  today: string,
  format: (iso: string) => string,
): string {
  if (!dueOn) return "no due date";
  if (overdueDays !== null && overdueDays > 0)
    return `overdue by ${overdueDays} day${overdueDays === 1 ? "" : "s"}`;
  if (dueOn === today) return "due today";
  return `due ${format(dueOn)}`;
}

/** Whether the next contact was due before today. */
export function contactOverdue(item: { nextContactDue: string | null }, today: string): boolean {
  return isContactOverdue(item.nextContactDue, today);
}

/** "last 20 Nov 2026 · next overdue since 24 Nov 2026" / "never contacted" */
export function contactText(
  item: { lastContactAt: string | null; nextContactDue: string | null },
  today: string,
  format: (iso: string) => string,
  timeZone: string,
): string {
  if (!item.lastContactAt) return "never contacted";
  const last = `last ${format(dateInZone(item.lastContactAt, timeZone))}`;
  if (!item.nextContactDue) return last;
  return contactOverdue(item, today)
    ? `${last} · next overdue since ${format(item.nextContactDue)}`
    : `${last} · next ${format(item.nextContactDue)}`;
}

/**
 * The flags a row shows under the status filter: `snoozed`, `open` and `acknowledged` show only
 * flags in that status (a snoozed filter must not show the row's other flags); otherwise every
 * unresolved flag.
 */
export function flagsShown<F extends { status: string }>(
  flags: readonly F[],
  status: string | null,
): F[] {
  return status === "snoozed" || status === "open" || status === "acknowledged"
    ? flags.filter((f) => f.status === status)
    : [...flags];
}
