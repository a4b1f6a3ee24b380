import {
  GDS15_ITEMS,
  GDS15_STEM,
  PHQ9_ITEMS,
  PHQ9_STEM,
  PHQ_ANSWERS,
} from "@/components/visit/instrument-items";
import type { SelfReportQuestion, SteadiField } from "@/lib/api/self-report-values";

/*
 * What the patient sees and hears for each question: the instrument's own wording (the same text
 * as the paper forms and the visit form) and the answers as large buttons.
 */

export interface AnswerChoice {
  value: number | boolean | "yes" | "no";
  label: string;
}

export interface QuestionText {
  /** The instruction above the question (the instrument's stem). */
  stem: string;
  text: string;
  choices: readonly AnswerChoice[];
}

const YES_NO: readonly AnswerChoice[] = [
  { value: true, label: "Yes" },
  { value: false, label: "No" },
];

const GDS_YES_NO: readonly AnswerChoice[] = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

/** The number of falls as buttons; "5 or more" is recorded as 5 (a lower bound). */
const FALL_COUNTS: readonly AnswerChoice[] = [
  { value: 0, label: "None" },
  { value: 1, label: "1" },
  { value: 2, label: "2" },
  { value: 3, label: "3" },
  { value: 4, label: "4" },
  { value: 5, label: "5 or more" },
];

const STEADI_STEM = "These questions are about falls and your balance.";

const STEADI_TEXT: Record<SteadiField, { text: string; choices: readonly AnswerChoice[] }> = {
  countPast12Months: {
    text: "How many times have you fallen in the past 12 months?",
    choices: FALL_COUNTS,
  },
  injurious: { text: "Were you hurt in any of these falls?", choices: YES_NO },
  unsteady: { text: "Do you feel unsteady when standing or walking?", choices: YES_NO },
  worriedAboutFalling: { text: "Do you worry about falling?", choices: YES_NO },
};

export function questionText(question: SelfReportQuestion): QuestionText {
  if (question.instrument === "phq9") {
    return { stem: PHQ9_STEM, text: PHQ9_ITEMS[question.item] ?? "", choices: PHQ_ANSWERS };
  }
  if (question.instrument === "gds15") {
    return { stem: GDS15_STEM, text: GDS15_ITEMS[question.item] ?? "", choices: GDS_YES_NO };
  }
  return { stem: STEADI_STEM, ...STEADI_TEXT[question.item] };
}

/** What the read-aloud button says: the instruction, the question and the answers. */
export function spokenText(question: SelfReportQuestion): string {
  const { stem, text, choices } = questionText(question);
  return `${stem} ${text} The answers are: ${choices.map((c) => c.label).join(", ")}.`;
}

/** The crisis line, in the words the printed plan uses (US 988, or the local line). */
export const CRISIS_TEXT =
  "If you have thoughts of harming yourself or that you would be better off dead, talk to someone now: call or text 988 (Suicide & Crisis Lifeline, US) or your local crisis line, or go to the nearest emergency department. You are not alone.";
