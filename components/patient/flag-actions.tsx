"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { SAFETY_PLAN_DONE, SUICIDE_RISK_FLAG } from "@/lib/api/worklist-values";
import { ApiError, errorMessage, fetchJson } from "@/lib/client/fetch-json";
import styles from "./patient.module.css";

/** A stored flag as its actions need it. */
export interface ActionableFlag {
  id: string;
  code: string;
  status: "open" | "acknowledged" | "snoozed";
  version: number;
}

/** What the signed-in role may do to a flag (PATCH /api/v1/flags/:id). */
export interface FlagAbilities {
  acknowledge: boolean;
  manage: boolean;
}

type Action =
  | { action: "acknowledge" }
  | { action: "resolve"; reason: typeof SAFETY_PLAN_DONE }
  | { action: "assign"; assigneeId: string }
  | { action: "note"; note: string };

/**
 * The actions on one flag of the patient page that the role allows: acknowledge, "safety plan
 * done" (the suicide-risk flag's coded resolution), assign to the care team, a note. Each carries
 * the version shown; a 409 says who changed the flag, and the page reloads the flag.
 */
export function FlagActions({
  flag,
  siteId,
  can,
}: {
  flag: ActionableFlag;
  siteId: string;
  can: FlagAbilities;
}) {
  const router = useRouter();
  const noteId = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [note, setNote] = useState("");
  const [team, setTeam] = useState<{ id: string; name: string }[] | null>(null);
  const [assignee, setAssignee] = useState("");

  const run = async (body: Action, done: string): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      await fetchJson(`/api/v1/flags/${encodeURIComponent(flag.id)}`, {
        method: "PATCH",
        body: { ...body, version: flag.version },
      });
      setMessage({ error: false, text: done });
      if (body.action === "note") setNote("");
    } catch (error) {
      setMessage({
        error: true,
        text:
          error instanceof ApiError && error.status === 409
            ? error.message
            : `Not done: ${errorMessage(error)}`,
      });
    } finally {
      setBusy(false);
      router.refresh();
    }
  };

  const loadTeam = async (): Promise<void> => {
    if (team !== null) return;
    try {
      const body = await fetchJson<{ items: { id: string; name: string }[] }>(
        `/api/v1/sites/${encodeURIComponent(siteId)}/care-team`,
      );
      setTeam(body.items);
    } catch (error) {
      setMessage({ error: true, text: `Care team not loaded: ${errorMessage(error)}` });
    }
  };

  const onNote = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (note.trim() !== "") void run({ action: "note", note: note.trim() }, "Note added.");
  };

  const suicide = flag.code === SUICIDE_RISK_FLAG;
  if (!can.acknowledge && !can.manage) return null;
  return (
    <div className={styles.flagActions}>
      <div className={styles.flagActionRow}>
        {can.acknowledge && flag.status === "open" ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void run({ action: "acknowledge" }, "Acknowledged.")}
          >
            Acknowledge
          </button>
        ) : null}
        {suicide && can.acknowledge ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={busy}
            onClick={() =>
              void run(
                { action: "resolve", reason: SAFETY_PLAN_DONE },
                "Resolved: safety plan done.",
              )
            }
          >
            Safety plan done
          </button>
        ) : null}
        {can.manage ? (
          <>
            <label className="visually-hidden" htmlFor={`${noteId}-assignee`}>
              Assign to
            </label>
            <select
              id={`${noteId}-assignee`}
              className="input"
              value={assignee}
              onFocus={() => void loadTeam()}
              onChange={(e) => setAssignee(e.target.value)}
            >
              <option value="">Assign to…</option>
              <option value="me">Me</option>
              {(team ?? []).map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy || assignee === ""}
              onClick={() => void run({ action: "assign", assigneeId: assignee }, "Assigned.")}
            >
              Assign
            </button>
          </>
        ) : null}
      </div>
      {can.manage ? (
        <form className={styles.flagActionRow} onSubmit={onNote}>
          <label className="visually-hidden" htmlFor={`${noteId}-note`}>
            Note on this flag
          </label>
          <input
            id={`${noteId}-note`}
            className="input"
            placeholder="Add a note"
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="btn btn-small" disabled={busy || note.trim() === ""}>
            Add note
          </button>
        </form>
      ) : null}
      {message ? (
        <p role={message.error ? "alert" : "status"} className={message.error ? "error" : "muted"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
