/** The actions of the drawer's one action bar, in the order shown. */
export const BAR_ACTIONS = ["acknowledge", "assign", "note", "snooze", "resolve"] as const;
export type BarAction = (typeof BAR_ACTIONS)[number];

export const BAR_ACTION_LABEL: Record<BarAction, string> = {
  acknowledge: "Acknowledge",
  assign: "Assign",
  note: "Note",
  snooze: "Snooze",
  resolve: "Resolve",
};

/** What the bar needs to know of a selected flag. */
export interface SelectedFlag {
  severity: string;
  status: "open" | "acknowledged" | "snoozed" | "resolved";
}

/**
 * Whether each action can act on the selection, and when not, why in words a person can act on:
 * a disabled button always says what is missing. Acknowledge acts on the open flags among the
 * selected ones; a critical flag refuses a snooze (it needs action today), as the API does.
 */
export function barAvailability(
  selected: readonly SelectedFlag[],
  canManage: boolean,
): Record<BarAction, string | null> {
  const none = "Choose one or more flags first.";
  const role = "Your role may acknowledge flags but not manage them.";
  if (selected.length === 0) {
    return { acknowledge: none, assign: none, note: none, snooze: none, resolve: none };
  }
  const unresolved = selected.filter((f) => f.status !== "resolved");
  const gone =
    unresolved.length === 0 ? "The selected flags are resolved: reopen one to act on it." : null;
  const manage = gone ?? (canManage ? null : role);
  return {
    acknowledge:
      gone ??
      (selected.some((f) => f.status === "open")
        ? null
        : "Only an open flag can be acknowledged; the selected ones already are, or are snoozed."),
    assign: manage,
    note: manage,
    snooze:
      manage ??
      (unresolved.some((f) => f.severity === "critical")
        ? "A critical flag cannot be snoozed: it needs action today. Unselect it to snooze the others."
        : null),
    resolve: manage,
  };
}

/** "Acknowledged 2 flags." / "Note added to 1 flag." */
export function doneMessage(action: BarAction, count: number): string {
  const flags = `${count} flag${count === 1 ? "" : "s"}`;
  switch (action) {
    case "acknowledge":
      return `Acknowledged ${flags}.`;
    case "assign":
      return `Assignment saved on ${flags}.`;
    case "note":
      return `Note added to ${flags}.`;
    case "snooze":
      return `Snoozed ${flags}.`;
    case "resolve":
      return `Resolved ${flags}.`;
  }
}

/** The day after `today` (ISO dates): the earliest a snooze may end. */
export function dayAfter(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
