/** The URL query keys the worklist understands (everything else is ignored). */
export const WORKLIST_PARAM_KEYS = [
  "priority",
  "code",
  "status",
  "assignee",
  "overdue",
  "site",
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
