import type { GdsAnswer } from "@/lib/clinical/constants";

/*
 * The self-report's questions and answers without zod, so the patient's page can use them: the
 * instruments, the order of their questions, and how the answers become observations of the
 * assess contract (the same shapes the visit form sends).
 */

export const SELF_REPORT_INSTRUMENTS = ["phq9", "gds15", "steadi"] as const;
export type SelfReportInstrument = (typeof SELF_REPORT_INSTRUMENTS)[number];
export const SELF_REPORT_MODES = ["tablet", "link"] as const;
export type SelfReportMode = (typeof SELF_REPORT_MODES)[number];
export type SelfReportStatus = "pending" | "submitted" | "accepted" | "expired";

export const DEFAULT_EXPIRES_IN_DAYS = 7;
export const MAX_EXPIRES_IN_DAYS = 30;
/** Wrong birth dates a link takes before it locks. */
export const MAX_BIRTH_DATE_TRIES = 5;

export const INSTRUMENT_LABEL: Record<SelfReportInstrument, string> = {
  phq9: "PHQ-9",
  gds15: "GDS-15",
  steadi: "Falls questions (STEADI)",
};

export interface SteadiAnswers {
  countPast12Months: number | null;
  injurious: boolean | null;
  unsteady: boolean | null;
  worriedAboutFalling: boolean | null;
}

/** The answers so far; an instrument not started is absent, an unanswered item null. */
export interface SelfReportAnswers {
  phq9?: (number | null)[];
  gds15?: (GdsAnswer | null)[];
  steadi?: SteadiAnswers;
}

export const STEADI_FIELDS = [
  "countPast12Months",
  "injurious",
  "unsteady",
  "worriedAboutFalling",
] as const;
export type SteadiField = (typeof STEADI_FIELDS)[number];

/** What the patient's page shows: the first name and the questions, nothing more. */
export interface SelfReportSessionView {
  firstName: string;
  mode: SelfReportMode;
  instruments: SelfReportInstrument[];
  /** Link mode: the birth date has been confirmed in this browser. */
  verified: boolean;
  answers: SelfReportAnswers;
  status: "pending" | "submitted";
}

/** One answer, as the patient's page sends it (null takes an answer back). */
export type SaveAnswerBody =
  | { instrument: "phq9"; item: number; value: number | null }
  | { instrument: "gds15"; item: number; value: GdsAnswer | null }
  | { instrument: "steadi"; item: SteadiField; value: number | boolean | null };

/** One question of the session: which instrument, and which item (index, or STEADI field). */
export type SelfReportQuestion =
  | { instrument: "phq9"; item: number }
  | { instrument: "gds15"; item: number }
  | { instrument: "steadi"; item: SteadiField };

/** The questions of the chosen instruments, in the order they are asked. */
export function questionsFor(
  instruments: readonly SelfReportInstrument[],
): readonly SelfReportQuestion[] {
  const list: SelfReportQuestion[] = [];
  for (const instrument of SELF_REPORT_INSTRUMENTS) {
    if (!instruments.includes(instrument)) continue;
    if (instrument === "phq9") for (let i = 0; i < 9; i += 1) list.push({ instrument, item: i });
    if (instrument === "gds15") for (let i = 0; i < 15; i += 1) list.push({ instrument, item: i });
    if (instrument === "steadi") for (const item of STEADI_FIELDS) list.push({ instrument, item });
  }
  return list;
}

/**
 * Whether the question is asked given the answers so far: "was a fall injurious" only after a
 * count above 0 (an injurious fall with no fall would contradict the count).
 */
export function isAsked(question: SelfReportQuestion, answers: SelfReportAnswers): boolean {
  if (question.instrument !== "steadi" || question.item !== "injurious") return true;
  const count = answers.steadi?.countPast12Months;
  return count !== null && count !== undefined && count > 0;
}

/** The stored answer to a question (null: not answered). */
export function answerOf(
  question: SelfReportQuestion,
  answers: SelfReportAnswers,
): number | boolean | GdsAnswer | null {
  if (question.instrument === "phq9") return answers.phq9?.[question.item] ?? null;
  if (question.instrument === "gds15") return answers.gds15?.[question.item] ?? null;
  return answers.steadi?.[question.item] ?? null;
}

/** The PHQ-9 item that asks about thoughts of death or self-harm (item 9, index 8). */
export const SUICIDE_ITEM_INDEX = 8;

/** PHQ-9 item 9 answered above 0. */
export function item9Positive(answers: SelfReportAnswers): boolean {
  return (answers.phq9?.[SUICIDE_ITEM_INDEX] ?? 0) > 0;
}

/**
 * The observations the answers make, dated `effective`, in the assess contract's shapes: PHQ-9
 * items (null where unanswered), GDS-15 answers, and the falls answers when the count was given
 * (the contract needs it). An instrument with no answer at all makes nothing.
 */
export function selfReportObservations(
  answers: SelfReportAnswers,
  effective: string,
): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  const phq9 = answers.phq9;
  if (phq9 && phq9.some((v) => v !== null)) {
    list.push({ kind: "phq9", effective, items: padded(phq9, 9) });
  }
  const gds = answers.gds15;
  if (gds && gds.some((v) => v !== null)) {
    list.push({ kind: "gds15", effective, answers: padded(gds, 15) });
  }
  const steadi = answers.steadi;
  if (steadi && steadi.countPast12Months !== null) {
    list.push({
      kind: "falls",
      effective,
      countPast12Months: steadi.countPast12Months,
      ...(steadi.injurious !== null && steadi.countPast12Months > 0
        ? { injurious: steadi.injurious }
        : {}),
      ...(steadi.unsteady !== null ? { unsteady: steadi.unsteady } : {}),
      ...(steadi.worriedAboutFalling !== null
        ? { worriedAboutFalling: steadi.worriedAboutFalling }
        : {}),
    });
  }
  return list;
}

function padded<T>(values: readonly (T | null)[], length: number): (T | null)[] {
  return Array.from({ length }, (_, i) => values[i] ?? null);
}
