"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/field";
import { SubmitCancel } from "@/components/ui/submit-cancel";
import { errorMessage } from "@/lib/client/fetch-json";
import { useRetractObservation } from "@/lib/client/use-retract-observation";
import { formatDate } from "@/lib/clinical/dates";
import { formatDateTime } from "@/lib/time-zone";
import { describeObservation, observationKindName } from "./observation-text";
import { groupByVisit, type HistoryObservation } from "./visit-history.utils";
import styles from "./patient.module.css";

const MIN_REASON = 3;

function RetractForm({
  observation,
  label,
  onDone,
  onCancel,
  patientId,
}: {
  observation: HistoryObservation;
  label: string;
  onDone: (message: string) => void;
  onCancel: () => void;
  patientId: string;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const mutation = useRetractObservation(patientId);
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON) {
      setError("Say why it was entered in error (at least 3 characters).");
      return;
    }
    mutation.mutate(
      { observationId: observation.id, reason: reason.trim() },
      {
        onSuccess: () => onDone(`${label} retracted. The flags were re-assessed.`),
        onError: (e) => setError(errorMessage(e)),
      },
    );
  };
  return (
    <form className={styles.retractForm} onSubmit={onSubmit} aria-label={`Retract ${label}`}>
      <TextField
        label="Reason it was entered in error (required)"
        value={reason}
        autoFocus
        maxLength={500}
        onChange={(e) => {
          setReason(e.target.value);
          setError(null);
        }}
        error={error}
      />
      <SubmitCancel
        label="Retract"
        pendingLabel="Retracting…"
        pending={mutation.isPending}
        variant="danger"
        onCancel={onCancel}
      />
    </form>
  );
}

/**
 * Visit history, newest first: each entered value, retracted ones struck through with their reason,
 * and a "Retract…" action that asks for a reason and then refreshes the page (flags re-assessed).
 */
export function VisitHistory({
  patientId,
  observations,
  canRetract,
  timeZone = "UTC",
}: {
  patientId: string;
  observations: HistoryObservation[];
  canRetract: boolean;
  /** The patient's site's zone: when a visit was recorded is read on its clock. */
  timeZone?: string;
}) {
  const router = useRouter();
  const [retracting, setRetracting] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const visits = groupByVisit(observations);
  if (visits.length === 0) {
    return (
      <p className="muted">No visits recorded yet. Use “New visit” to enter the first results.</p>
    );
  }
  return (
    <div>
      <p role="status" className={styles.status}>
        {message}
      </p>
      {visits.map((visit) => (
        <article
          key={visit.key}
          className={styles.visit}
          aria-label={`Visit of ${formatDate(visit.date)}`}
        >
          <div className={styles.visitHead}>
            <h3>Visit of {formatDate(visit.date)}</h3>
            <span className="muted">
              Recorded {formatDateTime(visit.recordedAt, timeZone)}
              {visit.recordedBy ? ` by ${visit.recordedBy}` : ""}
            </span>
          </div>
          <ul className={styles.obsList}>
            {visit.observations.map((o) => {
              const kind = observationKindName(o.payload);
              const text = describeObservation(o.payload);
              const label = `${kind} ${text.split(";")[0] ?? ""}`.trim();
              return (
                <li
                  key={o.id}
                  className={`${styles.obs} ${o.enteredInError ? styles.retracted : ""}`}
                >
                  <span className={styles.obsKind}>{kind}</span>
                  <span className={styles.obsValue}>
                    {o.enteredInError ? <span className="visually-hidden">Retracted: </span> : null}
                    {text}
                    {o.payload.kind !== "fracture" && o.effective !== visit.date
                      ? ` (dated ${formatDate(o.effective)})`
                      : ""}
                    {o.method ? ` (${o.method})` : ""}
                  </span>
                  {o.enteredInError ? (
                    <span className={styles.retractNote}>
                      Entered in error ({formatDateTime(o.enteredInError.at, timeZone)}):{" "}
                      {o.enteredInError.reason ?? "no reason given"}
                    </span>
                  ) : canRetract && retracting !== o.id ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        setRetracting(o.id);
                        setMessage(null);
                      }}
                    >
                      Retract…<span className="visually-hidden"> {label}</span>
                    </button>
                  ) : null}
                  {retracting === o.id && !o.enteredInError ? (
                    <RetractForm
                      observation={o}
                      label={label}
                      patientId={patientId}
                      onCancel={() => setRetracting(null)}
                      onDone={(text) => {
                        setRetracting(null);
                        setMessage(text);
                        router.refresh();
                      }}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </article>
      ))}
    </div>
  );
}
