"use client";

import { useState, type FormEvent } from "react";
import { InputField, Options, SelectField } from "@/components/list-page/fields";
import {
  CONTACT_KIND_LABEL,
  CONTACT_OUTCOME_LABEL,
  isContactOverdue,
  type ContactKind,
  type ContactOutcome,
} from "@/lib/api/contact-values";
import { formatDateTime } from "@/lib/client/date-time";
import { errorMessage } from "@/lib/client/fetch-json";
import { useContacts, useLogContact } from "@/lib/client/use-contacts";
import { formatDate } from "@/lib/clinical/dates";
import styles from "./worklist.module.css";

export interface ContactDetails {
  phones: { use: string; value: string }[];
  preferredContactTime: string | null;
  language: string | null;
}

/** How to reach the patient: phones (callable links), preferred time, language. */
export function ContactDetailsList({ details }: { details: ContactDetails }) {
  return (
    <dl className={styles.facts}>
      <dt>Phone</dt>
      <dd>
        {details.phones.length ? (
          details.phones.map((p) => (
            <span key={`${p.use}-${p.value}`} className={styles.phone}>
              <a href={`tel:${p.value.replace(/[^+0-9]/g, "")}`}>{p.value}</a>{" "}
              <span className="muted">({p.use})</span>
            </span>
          ))
        ) : (
          <span className="muted">None recorded</span>
        )}
      </dd>
      <dt>Best time</dt>
      <dd>{details.preferredContactTime ?? <span className="muted">Not recorded</span>}</dd>
      <dt>Language</dt>
      <dd>{details.language ?? <span className="muted">Not recorded</span>}</dd>
    </dl>
  );
}

/**
 * The patient's contact log: the next contact due, one click to log an unanswered call (which
 * sets the next attempt), a form for any other contact, and the contacts, newest first.
 */
export function ContactLog({
  patientId,
  today,
  canLog,
  headingLevel = 3,
  timeZone,
}: {
  patientId: string;
  /** The patient's site's zone: each contact's time is shown in it. */
  timeZone: string;
  today: string;
  canLog: boolean;
  headingLevel?: 2 | 3;
}) {
  const contacts = useContacts(patientId);
  const log = useLogContact(patientId);
  const [kind, setKind] = useState<ContactKind>("call");
  const [outcome, setOutcome] = useState<ContactOutcome>("reached");
  const [note, setNote] = useState("");
  const [nextDueOn, setNextDueOn] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const items = contacts.data?.items ?? [];
  const nextDue = items[0]?.nextDueOn ?? null;
  const overdue = isContactOverdue(nextDue, today);

  function send(body: Parameters<typeof log.mutate>[0], message: string) {
    setDone(null);
    log.mutate(body, {
      onSuccess: (saved) => {
        setNote("");
        setNextDueOn("");
        setDone(
          `${message} Next contact due ${saved.nextDueOn ? formatDate(saved.nextDueOn) : "—"}.`,
        );
      },
    });
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send(
      { kind, outcome, note: note || undefined, nextDueOn: nextDueOn || undefined },
      "Contact logged.",
    );
  };

  return (
    <section aria-labelledby={`contacts-${patientId}`} className={styles.contacts}>
      <Heading id={`contacts-${patientId}`}>Contacts</Heading>
      <p className={overdue ? styles.overdue : undefined} data-testid="next-contact">
        {nextDue
          ? `Next contact ${overdue ? "was due" : "due"} ${formatDate(nextDue)}${overdue ? " (overdue)" : ""}.`
          : "No contact logged yet."}
      </p>
      {canLog ? (
        <>
          <button
            type="button"
            className="btn btn-small"
            disabled={log.isPending}
            onClick={() => send({ kind: "call", outcome: "no-answer" }, "No answer logged.")}
          >
            Log call: no answer
          </button>
          <form className={styles.actionRow} onSubmit={onSubmit} aria-label="Log a contact">
            <SelectField
              id={`contact-kind-${patientId}`}
              label="Contact"
              value={kind}
              onChange={(e) => setKind(e.target.value as ContactKind)}
            >
              <Options labels={CONTACT_KIND_LABEL} />
            </SelectField>
            <SelectField
              id={`contact-outcome-${patientId}`}
              label="Outcome"
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as ContactOutcome)}
            >
              <Options labels={CONTACT_OUTCOME_LABEL} />
            </SelectField>
            <InputField
              id={`contact-note-${patientId}`}
              label="Note (optional)"
              value={note}
              maxLength={2000}
              onChange={(e) => setNote(e.target.value)}
              fieldStyle={{ flex: 1, minWidth: "10rem" }}
            />
            <InputField
              id={`contact-next-${patientId}`}
              label="Next contact (optional)"
              type="date"
              min={today}
              value={nextDueOn}
              onChange={(e) => setNextDueOn(e.target.value)}
              hint="Empty: set from the priority"
            />
            <button type="submit" className="btn btn-small btn-primary" disabled={log.isPending}>
              Log contact
            </button>
          </form>
          <div aria-live="polite" className={styles.small}>
            {log.isError ? (
              <span className="error">Not saved: {errorMessage(log.error)}</span>
            ) : (
              done
            )}
          </div>
        </>
      ) : null}
      {contacts.isError ? (
        <p className="error">The contacts could not be loaded: {errorMessage(contacts.error)}</p>
      ) : contacts.isPending ? (
        <p className="muted">Loading contacts…</p>
      ) : items.length === 0 ? null : (
        <ol className={styles.contactList} aria-label="Contact log, newest first">
          {items.map((c) => (
            <li key={c.id}>
              <strong>
                {CONTACT_KIND_LABEL[c.kind]}: {CONTACT_OUTCOME_LABEL[c.outcome]}
              </strong>{" "}
              <span className={styles.small}>
                {formatDateTime(c.at, timeZone)}
                {c.by ? ` · ${c.by}` : ""}
                {c.nextDueOn ? ` · next due ${formatDate(c.nextDueOn)}` : ""}
              </span>
              {c.note ? <div>{c.note}</div> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
