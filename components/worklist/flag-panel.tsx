"use client";

import { useState, type FormEvent } from "react";
import { FlagCard } from "@/components/clinical/flag-card";
import { InputField, Options, SelectField } from "@/components/list-page/fields";
import { IconHigh } from "@/components/ui/icons";
import type { FlagAction, WorklistFlag } from "@/lib/api/worklist";
import { RESOLUTION_REASONS } from "@/lib/api/worklist-values";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { useCareTeam, useFlag, useFlagAction } from "@/lib/client/use-worklist";
import { Timeline } from "./flag-timeline";
import styles from "./worklist.module.css";

const REASON_LABEL: Record<(typeof RESOLUTION_REASONS)[number], string> = {
  treated: "Treated",
  referred: "Referred",
  "patient-declined": "Patient declined",
  "not-clinically-relevant": "Not clinically relevant",
  duplicate: "Duplicate",
  other: "Other (say what)",
};

/** A field that takes the rest of its row. */
const GROW = { flex: 1, minWidth: "10rem" };

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

  /** Sends one action; once saved, says `message` and empties the fields of `clear`. */
  function run(action: FlagAction, message: string, ...clear: ((value: "") => void)[]) {
    setDone(null);
    mutation.mutate(action, {
      onSuccess: () => {
        for (const set of clear) set("");
        setDone(message);
      },
    });
  }
  /** A form's onSubmit that runs the action `build` makes (none while the form is incomplete). */
  const submit =
    (build: () => FlagAction | null, message: string, ...clear: ((value: "") => void)[]) =>
    (e: FormEvent) => {
      e.preventDefault();
      const action = build();
      if (action) run(action, message, ...clear);
    };
  // An action carries the flag's version: none goes while the flag is (re)loading, e.g. just after
  // "Reload this flag", when the version in hand is the one that was refused.
  const busy = mutation.isPending || query.isFetching;
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
            onClick={() => run({ action: "reopen", version }, "Reopened.")}
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
              onClick={() => run({ action: "acknowledge", version }, "Acknowledged.")}
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
                run({ action: "assign", version, assigneeId: "me" }, "Assigned to you.")
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
              onSubmit={submit(
                () => ({
                  action: "assign",
                  version,
                  assigneeId: assignee === "none" ? null : assignee,
                }),
                "Assignment saved.",
                setAssignee,
              )}
            >
              <SelectField
                id={`assign-${flag.id}`}
                label="Assign to"
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
              </SelectField>
              <button type="submit" className="btn btn-small" disabled={busy || !assignee}>
                Assign
              </button>
            </form>
            <form
              onSubmit={submit(() => ({ action: "note", version, note }), "Note added.", setNote)}
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
                onSubmit={submit(
                  () => ({ action: "snooze", version, until: snoozeUntil, reason: snoozeReason }),
                  "Snoozed.",
                  setSnoozeUntil,
                  setSnoozeReason,
                )}
              >
                <InputField
                  id={`snooze-until-${flag.id}`}
                  label="Snooze until"
                  type="date"
                  min={tomorrow(today)}
                  value={snoozeUntil}
                  onChange={(e) => setSnoozeUntil(e.target.value)}
                />
                <InputField
                  id={`snooze-reason-${flag.id}`}
                  label="Snooze reason"
                  fieldStyle={GROW}
                  value={snoozeReason}
                  maxLength={500}
                  onChange={(e) => setSnoozeReason(e.target.value)}
                />
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
              onSubmit={submit(
                () =>
                  reason
                    ? {
                        action: "resolve",
                        version,
                        reason,
                        ...(resolveNote.trim() ? { note: resolveNote.trim() } : {}),
                      }
                    : null,
                "Resolved.",
                setReason,
                setResolveNote,
              )}
            >
              <SelectField
                id={`resolve-reason-${flag.id}`}
                label="Resolution"
                value={reason}
                onChange={(e) => setReason(e.target.value as typeof reason)}
              >
                <option value="">Choose a reason…</option>
                <Options values={RESOLUTION_REASONS} labels={REASON_LABEL} />
              </SelectField>
              <InputField
                id={`resolve-note-${flag.id}`}
                label={`Resolution note${reason === "other" ? " (required)" : ""}`}
                fieldStyle={GROW}
                value={resolveNote}
                maxLength={2000}
                onChange={(e) => setResolveNote(e.target.value)}
              />
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
