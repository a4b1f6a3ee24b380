"use client";

import { useState, type FormEvent } from "react";
import { FlagCard } from "@/components/clinical/flag-card";
import { IconHigh } from "@/components/ui/icons";
import type { FlagAction, FlagWithTimeline, WorklistFlag } from "@/lib/api/worklist";
import { RESOLUTION_REASONS } from "@/lib/api/worklist-values";
import { formatDateTime } from "@/lib/client/date-time";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { useCareTeam, useFlag, useFlagAction } from "@/lib/client/use-worklist";
import { formatDate } from "@/lib/clinical/dates";
import styles from "./worklist.module.css";

const REASON_LABEL: Record<(typeof RESOLUTION_REASONS)[number], string> = {
  treated: "Treated",
  referred: "Referred",
  "patient-declined": "Patient declined",
  "not-clinically-relevant": "Not clinically relevant",
  duplicate: "Duplicate",
  other: "Other (say what)",
};

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

function tomorrow(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** One flag in the drawer: what the rules said, its timeline, and the care team's actions. */
export function FlagPanel({
  flag,
  patientId,
  siteId,
  canManage,
  today,
}: {
  flag: WorklistFlag;
  patientId: string;
  siteId: string;
  canManage: boolean;
  today: string;
}) {
  const query = useFlag(flag.id);
  const mutation = useFlagAction(flag.id, patientId);
  const team = useCareTeam(siteId, canManage);
  const [note, setNote] = useState("");
  const [snoozeUntil, setSnoozeUntil] = useState("");
  const [snoozeReason, setSnoozeReason] = useState("");
  const [reason, setReason] = useState<(typeof RESOLUTION_REASONS)[number] | "">("");
  const [resolveNote, setResolveNote] = useState("");
  const [assignee, setAssignee] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const current = query.data;
  const version = current?.version ?? flag.version;
  const conflict =
    mutation.error instanceof ApiError && mutation.error.status === 409 ? mutation.error : null;

  function run(action: FlagAction, after: () => void, message: string) {
    setDone(null);
    mutation.mutate(action, {
      onSuccess: () => {
        after();
        setDone(message);
      },
    });
  }
  const submit = (e: FormEvent, action: () => void) => {
    e.preventDefault();
    action();
  };
  const busy = mutation.isPending;
  const isCritical = flag.severity === "critical";
  if (current?.status === "resolved") {
    return (
      <section
        className={styles.flagBlock}
        aria-label={`${flag.title} (resolved)`}
        data-flag-id={flag.id}
      >
        <p style={{ margin: 0 }}>
          <strong>{flag.title}</strong> was resolved ({current.resolutionCode ?? "resolved"}
          {current.resolutionNote ? `: ${current.resolutionNote}` : ""}) and has left the worklist.
        </p>
        {done ? (
          <p className="alert alert-success" role="status" style={{ marginTop: "0.5rem" }}>
            {done}
          </p>
        ) : null}
        <Timeline flag={current} />
        {canManage ? (
          <button
            type="button"
            className="btn btn-small"
            style={{ marginTop: "0.5rem" }}
            disabled={busy}
            onClick={() => run({ action: "reopen", version }, () => undefined, "Reopened.")}
          >
            Reopen
          </button>
        ) : null}
      </section>
    );
  }

  return (
    <section
      className={styles.flagBlock}
      aria-labelledby={`flag-${flag.id}-title`}
      data-flag-id={flag.id}
    >
      <h3 id={`flag-${flag.id}-title`} className="visually-hidden">
        {flag.title}
      </h3>
      <FlagCard
        code={flag.code}
        severity={flag.severity}
        detail={current?.detail ?? null}
        headingLevel={4}
        workflow={{
          status: current?.status ?? flag.status,
          openedAt: flag.openedAt,
          dueOn: flag.dueOn,
          assigneeName: current?.assigneeName ?? flag.assigneeName,
          snoozedUntil: current?.snoozedUntil ?? flag.snoozedUntil,
          firing: true,
        }}
      />
      {conflict ? (
        <div className="alert alert-error" role="alert" style={{ marginTop: "0.5rem" }}>
          <IconHigh />
          <div>
            <strong>Someone changed this flag first.</strong> {conflict.problem.detail}
            <div style={{ marginTop: "0.4rem" }}>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  mutation.reset();
                  void query.refetch();
                }}
              >
                Reload this flag
              </button>
            </div>
          </div>
        </div>
      ) : mutation.error ? (
        <div className="alert alert-error" role="alert" style={{ marginTop: "0.5rem" }}>
          <IconHigh />
          <span>{errorMessage(mutation.error)}</span>
        </div>
      ) : done ? (
        <p className="alert alert-success" role="status" style={{ marginTop: "0.5rem" }}>
          {done}
        </p>
      ) : null}

      <div className={styles.actions}>
        <div className={styles.actionRow}>
          {flag.status === "open" ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() =>
                run({ action: "acknowledge", version }, () => undefined, "Acknowledged.")
              }
            >
              Acknowledge
            </button>
          ) : null}
          {canManage ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() =>
                run(
                  { action: "assign", version, assigneeId: "me" },
                  () => undefined,
                  "Assigned to you.",
                )
              }
            >
              Assign to me
            </button>
          ) : null}
        </div>
        {canManage ? (
          <>
            <form
              className={styles.actionRow}
              onSubmit={(e) =>
                submit(e, () =>
                  run(
                    {
                      action: "assign",
                      version,
                      assigneeId: assignee === "none" ? null : assignee,
                    },
                    () => setAssignee(""),
                    "Assignment saved.",
                  ),
                )
              }
            >
              <div className="field">
                <label htmlFor={`assign-${flag.id}`}>Assign to</label>
                <select
                  id={`assign-${flag.id}`}
                  className="input"
                  value={assignee}
                  onChange={(e) => setAssignee(e.target.value)}
                >
                  <option value="">Choose a care-team member…</option>
                  <option value="none">Nobody (unassign)</option>
                  {(team.data?.items ?? []).map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="btn btn-small" disabled={busy || !assignee}>
                Assign
              </button>
            </form>
            <form
              onSubmit={(e) =>
                submit(e, () =>
                  run({ action: "note", version, note }, () => setNote(""), "Note added."),
                )
              }
            >
              <div className="field" style={{ marginBottom: "0.4rem" }}>
                <label htmlFor={`note-${flag.id}`}>Note</label>
                <textarea
                  id={`note-${flag.id}`}
                  className="input"
                  rows={2}
                  value={note}
                  maxLength={2000}
                  onChange={(e) => setNote(e.target.value)}
                />
              </div>
              <button type="submit" className="btn btn-small" disabled={busy || !note.trim()}>
                Add note
              </button>
            </form>
            {isCritical ? (
              <p className={styles.small}>
                A critical flag cannot be snoozed: it needs action today.
              </p>
            ) : (
              <form
                className={styles.actionRow}
                onSubmit={(e) =>
                  submit(e, () =>
                    run(
                      { action: "snooze", version, until: snoozeUntil, reason: snoozeReason },
                      () => {
                        setSnoozeUntil("");
                        setSnoozeReason("");
                      },
                      "Snoozed.",
                    ),
                  )
                }
              >
                <div className="field">
                  <label htmlFor={`snooze-until-${flag.id}`}>Snooze until</label>
                  <input
                    id={`snooze-until-${flag.id}`}
                    type="date"
                    className="input"
                    min={tomorrow(today)}
                    value={snoozeUntil}
                    onChange={(e) => setSnoozeUntil(e.target.value)}
                  />
                </div>
                <div className="field" style={{ flex: 1, minWidth: "10rem" }}>
                  <label htmlFor={`snooze-reason-${flag.id}`}>Snooze reason</label>
                  <input
                    id={`snooze-reason-${flag.id}`}
                    className="input"
                    value={snoozeReason}
                    maxLength={500}
                    onChange={(e) => setSnoozeReason(e.target.value)}
                  />
                </div>
                <button
                  type="submit"
                  className="btn btn-small"
                  disabled={busy || !snoozeUntil || snoozeReason.trim().length < 3}
                >
                  Snooze
                </button>
              </form>
            )}
            <form
              className={styles.actionRow}
              onSubmit={(e) =>
                submit(
                  e,
                  () =>
                    reason &&
                    run(
                      {
                        action: "resolve",
                        version,
                        reason,
                        ...(resolveNote.trim() ? { note: resolveNote.trim() } : {}),
                      },
                      () => {
                        setReason("");
                        setResolveNote("");
                      },
                      "Resolved.",
                    ),
                )
              }
            >
              <div className="field">
                <label htmlFor={`resolve-reason-${flag.id}`}>Resolution</label>
                <select
                  id={`resolve-reason-${flag.id}`}
                  className="input"
                  value={reason}
                  onChange={(e) => setReason(e.target.value as typeof reason)}
                >
                  <option value="">Choose a reason…</option>
                  {RESOLUTION_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {REASON_LABEL[r]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field" style={{ flex: 1, minWidth: "10rem" }}>
                <label htmlFor={`resolve-note-${flag.id}`}>
                  Resolution note{reason === "other" ? " (required)" : ""}
                </label>
                <input
                  id={`resolve-note-${flag.id}`}
                  className="input"
                  value={resolveNote}
                  maxLength={2000}
                  onChange={(e) => setResolveNote(e.target.value)}
                />
              </div>
              <button
                type="submit"
                className="btn btn-small btn-primary"
                disabled={busy || !reason || (reason === "other" && !resolveNote.trim())}
              >
                Resolve
              </button>
            </form>
          </>
        ) : null}
      </div>

      <Timeline flag={current} />
    </section>
  );
}

/** A flag's history from flag_events, oldest first. */
function Timeline({ flag: current }: { flag: FlagWithTimeline | undefined }) {
  return (
    <details style={{ marginTop: "0.6rem" }}>
      <summary>History ({current?.events.length ?? "…"})</summary>
      {current ? (
        <ol className={styles.timeline}>
          {current.events.map((e) => (
            <li key={e.id}>
              <strong>{EVENT_LABEL[e.type] ?? e.type}</strong> {eventText(e.type, e.data)}
              <div className={styles.timelineWhen}>
                {formatDateTime(e.at)}
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
