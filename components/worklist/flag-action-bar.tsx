"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { IconHigh } from "@/components/ui/icons";
import type { FlagAction, FlagState } from "@/lib/api/worklist";
import { RESOLUTION_REASONS, RESOLUTION_REASON_LABEL } from "@/lib/api/worklist-values";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import { useCareTeam, useFlagBatch } from "@/lib/client/use-worklist";
import {
  BAR_ACTIONS,
  BAR_ACTION_LABEL,
  barAvailability,
  dayAfter,
  doneMessage,
  type BarAction,
  type SelectedFlag,
} from "./flag-actions.utils";
import styles from "./worklist.module.css";

/** A flag the bar may act on: its id, title, version and what decides the actions. */
export interface BarFlag extends SelectedFlag {
  id: string;
  title: string;
  version: number;
}

type Reason = (typeof RESOLUTION_REASONS)[number];

/**
 * The drawer's one action bar: acts on the selected flags. Acknowledge acts at once; the other
 * actions open their few fields, the first of them focused. A disabled action says why beside it.
 */
export function FlagActionBar({
  patientId,
  siteId,
  selected,
  canManage,
  today,
  onSaved,
}: {
  patientId: string;
  siteId: string;
  selected: readonly BarFlag[];
  canManage: boolean;
  today: string;
  /** The flags' new state, as each action's answer gives it. */
  onSaved: (states: FlagState[]) => void;
}) {
  const batch = useFlagBatch(patientId);
  const team = useCareTeam(siteId, canManage);
  const [open, setOpen] = useState<Exclude<BarAction, "acknowledge"> | null>(null);
  const [assignee, setAssignee] = useState("");
  const [note, setNote] = useState("");
  const [snoozeUntil, setSnoozeUntil] = useState("");
  const [snoozeReason, setSnoozeReason] = useState("");
  const [reason, setReason] = useState<Reason | "">("");
  const [resolveNote, setResolveNote] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const firstField = useRef<HTMLSelectElement & HTMLTextAreaElement & HTMLInputElement>(null);
  const why = barAvailability(selected, canManage);

  // The field an action needs takes focus when its fields open.
  useEffect(() => {
    if (open) firstField.current?.focus();
  }, [open]);
  // An action whose fields are open closes when the selection no longer allows it.
  const openBlocked = open ? why[open] : null;
  useEffect(() => {
    if (openBlocked) setOpen(null);
  }, [openBlocked]);

  const failed = batch.data?.failed ?? null;
  const failedTitle = failed ? selected.find((f) => f.id === failed.flagId)?.title : undefined;
  const conflict = failed?.error instanceof ApiError && failed.error.status === 409;

  function run(action: BarAction, build: (flag: BarFlag) => FlagAction | null) {
    setDone(null);
    const targets =
      action === "acknowledge"
        ? selected.filter((f) => f.status === "open")
        : selected.filter((f) => f.status !== "resolved");
    const steps = targets.flatMap((f) => {
      const body = build(f);
      return body ? [{ flagId: f.id, action: body }] : [];
    });
    if (steps.length === 0) return;
    batch.mutate(steps, {
      onSuccess: (result) => {
        onSaved(result.saved);
        if (result.saved.length > 0) setDone(doneMessage(action, result.saved.length));
        if (result.failed) return;
        setOpen(null);
        for (const clear of [setAssignee, setNote, setSnoozeUntil, setSnoozeReason, setResolveNote])
          clear("");
        setReason("");
      },
    });
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (open === "assign" && assignee) {
      const assigneeId = assignee === "none" ? null : assignee;
      run("assign", (f) => ({ action: "assign", version: f.version, assigneeId }));
    } else if (open === "note" && note.trim()) {
      run("note", (f) => ({ action: "note", version: f.version, note }));
    } else if (open === "snooze" && snoozeUntil && snoozeReason.trim().length >= 3) {
      run("snooze", (f) => ({
        action: "snooze",
        version: f.version,
        until: snoozeUntil,
        reason: snoozeReason,
      }));
    } else if (open === "resolve" && reason && (reason !== "other" || resolveNote.trim())) {
      const extra = resolveNote.trim() ? { note: resolveNote.trim() } : {};
      run("resolve", (f) => ({ action: "resolve", version: f.version, reason, ...extra }));
    }
  };
  const busy = batch.isPending;
  const ready =
    (open === "assign" && Boolean(assignee)) ||
    (open === "note" && Boolean(note.trim())) ||
    (open === "snooze" && Boolean(snoozeUntil) && snoozeReason.trim().length >= 3) ||
    (open === "resolve" && Boolean(reason) && (reason !== "other" || Boolean(resolveNote.trim())));
  const hints = BAR_ACTIONS.filter((a) => why[a] !== null);
  // One reason for every action (nothing chosen, all resolved) is said once.
  const uniform = hints.length === BAR_ACTIONS.length && hints.every((a) => why[a] === why.assign);
  const whyId = (a: BarAction) => `why-${patientId}-${uniform ? "all" : a}`;

  return (
    <section className={styles.actionBar} aria-labelledby={`bar-${patientId}`}>
      <h3 id={`bar-${patientId}`} className="visually-hidden">
        Actions on the selected flags
      </h3>
      <div role="group" aria-label="Actions on the selected flags" className={styles.barButtons}>
        {BAR_ACTIONS.map((a) => (
          <button
            key={a}
            type="button"
            className={`btn btn-small${open === a ? " btn-primary" : ""}`}
            aria-disabled={why[a] !== null || busy}
            aria-describedby={why[a] !== null ? whyId(a) : undefined}
            aria-expanded={a === "acknowledge" ? undefined : open === a}
            onClick={() => {
              if (why[a] !== null || busy) return;
              if (a === "acknowledge")
                run("acknowledge", (f) => ({ action: "acknowledge", version: f.version }));
              else setOpen(open === a ? null : a);
            }}
          >
            {BAR_ACTION_LABEL[a]}
          </button>
        ))}
      </div>
      {hints.length > 0 ? (
        <ul className={styles.barHints}>
          {uniform ? (
            <li id={whyId("assign")}>{why.assign}</li>
          ) : (
            hints.map((a) => (
              <li key={a} id={whyId(a)}>
                {BAR_ACTION_LABEL[a]}: {why[a]}
              </li>
            ))
          )}
        </ul>
      ) : null}

      {open ? (
        <form
          className={styles.barForm}
          onSubmit={submit}
          aria-label={`${BAR_ACTION_LABEL[open]}: the selected flags`}
        >
          {open === "assign" ? (
            <div className="field">
              <label htmlFor={`bar-assignee-${patientId}`}>Assign to</label>
              <select
                id={`bar-assignee-${patientId}`}
                ref={firstField}
                className="input"
                value={assignee}
                onChange={(e) => setAssignee(e.target.value)}
              >
                <option value="">Choose a care-team member…</option>
                <option value="me">Me</option>
                <option value="none">Nobody (unassign)</option>
                {(team.data?.items ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          ) : open === "note" ? (
            <div className="field">
              <label htmlFor={`bar-note-${patientId}`}>Note</label>
              <textarea
                id={`bar-note-${patientId}`}
                ref={firstField}
                className="input"
                rows={2}
                maxLength={2000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
            </div>
          ) : open === "snooze" ? (
            <>
              <div className="field">
                <label htmlFor={`bar-snooze-reason-${patientId}`}>Snooze reason</label>
                <input
                  id={`bar-snooze-reason-${patientId}`}
                  ref={firstField}
                  className="input"
                  maxLength={500}
                  value={snoozeReason}
                  onChange={(e) => setSnoozeReason(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`bar-snooze-until-${patientId}`}>Snooze until</label>
                <input
                  id={`bar-snooze-until-${patientId}`}
                  type="date"
                  className="input"
                  min={dayAfter(today)}
                  value={snoozeUntil}
                  onChange={(e) => setSnoozeUntil(e.target.value)}
                />
              </div>
            </>
          ) : (
            <>
              <div className="field">
                <label htmlFor={`bar-resolve-reason-${patientId}`}>Resolution</label>
                <select
                  id={`bar-resolve-reason-${patientId}`}
                  ref={firstField}
                  className="input"
                  value={reason}
                  onChange={(e) => setReason(e.target.value as Reason | "")}
                >
                  <option value="">Choose a reason…</option>
                  {RESOLUTION_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {/* "Other" asks for the note that says what. */}
                      {r === "other" ? "Other (say what)" : RESOLUTION_REASON_LABEL[r]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`bar-resolve-note-${patientId}`}>
                  {`Resolution note${reason === "other" ? " (required)" : " (optional)"}`}
                </label>
                <input
                  id={`bar-resolve-note-${patientId}`}
                  className="input"
                  maxLength={2000}
                  value={resolveNote}
                  onChange={(e) => setResolveNote(e.target.value)}
                />
              </div>
            </>
          )}
          <div className={styles.barSubmit}>
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || !ready}>
              {open === "note" ? "Add note" : BAR_ACTION_LABEL[open]}{" "}
              {selected.length === 1 ? "1 flag" : `${selected.length} flags`}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setOpen(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {failed ? (
        <div className="alert alert-error" role="alert">
          <IconHigh />
          <div>
            {conflict ? (
              <>
                <strong>Someone changed {failedTitle ?? "this flag"} first.</strong>{" "}
                {(failed.error as ApiError).problem.detail} Reload the flags, then try again: what
                you typed is kept.
              </>
            ) : (
              <>
                {failedTitle ? `${failedTitle}: ` : ""}
                {errorMessage(failed.error)}
              </>
            )}
            <div>
              <button type="button" className="btn btn-small" onClick={() => batch.reset()}>
                {conflict ? "Reload the flags" : "Dismiss"}
              </button>
            </div>
          </div>
        </div>
      ) : batch.isError ? (
        <div className="alert alert-error" role="alert">
          <IconHigh />
          <span>{errorMessage(batch.error)}</span>
        </div>
      ) : null}
      <p role="status" className={styles.barStatus}>
        {done}
      </p>
    </section>
  );
}
