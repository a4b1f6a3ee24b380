/**
 * The contact log's value lists and scheduling, without zod: the browser imports them from here.
 */
import type { Priority } from "@/lib/clinical/constants";

export const CONTACT_KINDS = ["call", "message", "visit"] as const;
export const CONTACT_OUTCOMES = ["reached", "no-answer", "left-message"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const CONTACT_KIND_LABEL: Readonly<Record<ContactKind, string>> = {
  call: "Call",
  message: "Message",
  visit: "Visit",
};
export const CONTACT_OUTCOME_LABEL: Readonly<Record<ContactOutcome, string>> = {
  reached: "Reached",
  "no-answer": "No answer",
  "left-message": "Left message",
};

/**
 * Days from a contact in which the patient was reached to the next one, by the patient's worklist
 * priority. Product policy (docs/CLINICAL-RULES.md §12), not a clinical threshold.
 */
export const CONTACT_INTERVAL_DAYS: Readonly<Record<Priority, number>> = {
  urgent: 1,
  high: 7,
  medium: 14,
  low: 30,
  none: 90,
};
/** Days to the next attempt when the patient was not reached (never later than the interval). */
export const CONTACT_RETRY_DAYS = 2;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The day the next contact is due after one on `on` (the clinic's date) with this outcome. */
export function nextContactDue(on: string, priority: Priority, outcome: ContactOutcome): string {
  const interval = CONTACT_INTERVAL_DAYS[priority];
  const days = outcome === "reached" ? interval : Math.min(interval, CONTACT_RETRY_DAYS);
  return addDays(on, days);
}

/** True when a next contact was due before `today` (a patient never contacted is not overdue). */
export function isContactOverdue(nextDue: string | null, today: string): boolean {
  return nextDue !== null && nextDue < today;
}

export const PHONE_USES = ["mobile", "home", "work", "other"] as const;
export type PhoneUse = (typeof PHONE_USES)[number];
