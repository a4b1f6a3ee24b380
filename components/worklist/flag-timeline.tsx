import type { FlagWithTimeline } from "@/lib/api/worklist";
import { formatDateTime } from "@/lib/client/date-time";
import { formatDate } from "@/lib/clinical/dates";
import styles from "./worklist.module.css";

const EVENT_LABEL: Record<string, string> = {
  opened: "Opened",
  "severity-changed": "Severity changed",
  acknowledged: "Acknowledged",
  assigned: "Assigned",
  note: "Note",
  snoozed: "Snoozed",
  unsnoozed: "Came back from snooze",
  resolved: "Resolved",
  "auto-resolved": "Resolved automatically (no longer met)",
  reopened: "Reopened",
};

function eventText(type: string, data: Record<string, unknown>): string {
  const str = (k: string) => (typeof data[k] === "string" ? data[k] : "");
  switch (type) {
    case "note":
      return str("note");
    case "snoozed":
      return `until ${formatDate(str("until"))}: ${str("reason")}`;
    case "resolved":
      return `${str("reason")}${str("note") ? `: ${str("note")}` : ""}`;
    case "severity-changed":
      return `${str("from")} → ${str("to")}`;
    case "unsnoozed":
      return str("reason") === "new-observation" ? "new data arrived" : "snooze ended";
    case "assigned":
      return data.assigneeId ? "" : "unassigned";
    default:
      return "";
  }
}

/** A flag's history from flag_events, oldest first. */
export function Timeline({
  flag: current,
  timeZone,
}: {
  flag: FlagWithTimeline | undefined;
  /** The patient's site's zone: each event's time is shown in it. */
  timeZone: string;
}) {
  return (
    <details style={{ marginTop: "0.6rem" }}>
      <summary>History ({current?.events.length ?? "…"})</summary>
      {current ? (
        <ol className={styles.timeline} aria-label="Flag history, oldest first">
          {current.events.map((e) => (
            <li key={e.id}>
              <strong>{EVENT_LABEL[e.type] ?? e.type}</strong> {eventText(e.type, e.data)}
              <div className={styles.timelineWhen}>
                {formatDateTime(e.at, timeZone)}
                {e.actorName ? ` · ${e.actorName}` : " · automatic"}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p className={styles.small}>Loading…</p>
      )}
    </details>
  );
}
