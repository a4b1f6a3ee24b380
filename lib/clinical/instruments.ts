import type { GdsAnswer } from "./constants";
import { fromTable } from "./format";
import { THRESHOLDS } from "./policy";

/*
 * Depression instruments (docs/CLINICAL-RULES.md §3). Policy: no prorating — a questionnaire with an
 * unanswered item has no total.
 */

export type Phq9Band = "minimal" | "mild" | "moderate" | "moderately-severe" | "severe";
export type Phq2Band = "negative" | "positive";
export type Gds15Band = "normal" | "suggests-depression" | "probable-depression";

export const PHQ9_BANDS: readonly Phq9Band[] = [
  "minimal",
  "mild",
  "moderate",
  "moderately-severe",
  "severe",
];
export const GDS15_BANDS: readonly Gds15Band[] = [
  "normal",
  "suggests-depression",
  "probable-depression",
];

function sumComplete(items: readonly (number | null)[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item === null) return null;
    total += item;
  }
  return total;
}

/** PHQ-9 total 0–27 = sum of items 1–9 (0–3 each; Kroenke 2001); null if any item is unanswered (no prorating). */
export function phq9Total(items: readonly (number | null)[]): number | null {
  if (items.length !== 9) return null;
  return sumComplete(items);
}

/**
 * The points of the answered items alone: a lower bound of the total, since an unanswered item
 * can only add (0 points at least). Equals the total when nothing is unanswered.
 */
export function answeredSum(items: readonly (number | null)[]): number {
  let sum = 0;
  for (const item of items) sum += item ?? 0;
  return sum;
}

/** PHQ-9 severity band of a total 0–27 (Kroenke 2001: 0–4, 5–9, 10–14, 15–19, 20–27). */
export function phq9Band(total: number): Phq9Band {
  const t = THRESHOLDS.phq9;
  if (total >= t.severe) return "severe";
  if (total >= t.moderatelySevere) return "moderately-severe";
  if (total >= t.moderate) return "moderate";
  if (total >= t.mild) return "mild";
  return "minimal";
}

/** PHQ-2 total 0–6 = sum of its 2 items (0–3 each; Kroenke 2003); null if an item is unanswered. */
export function phq2Total(items: readonly (number | null)[]): number | null {
  if (items.length !== 2) return null;
  return sumComplete(items);
}

/** PHQ-2 band of a total 0–6: positive at ≥ 3 (Kroenke 2003). */
export function phq2Band(total: number): Phq2Band {
  return total >= THRESHOLDS.phq2.positive ? "positive" : "negative";
}

const GDS_REVERSE: readonly boolean[] = Array.from({ length: 15 }, (_, index) =>
  THRESHOLDS.gds15.reverseScoredItems.includes(index + 1),
);

/**
 * GDS-15 total 0–15 (Sheikh & Yesavage 1986): one point for "no" on items 1, 5, 7, 11, 13 and for
 * "yes" on the others; null if any answer is missing (no prorating).
 */
export function gds15Total(answers: readonly (GdsAnswer | null)[]): number | null {
  if (answers.length !== 15) return null;
  let total = 0;
  for (let index = 0; index < 15; index += 1) {
    const answer = answers[index];
    if (answer === null || answer === undefined) return null;
    if ((answer === "no") === GDS_REVERSE[index]) total += 1;
  }
  return total;
}

/** GDS-15 points of the answered items alone (a lower bound of the total, like `answeredSum`). */
export function gds15AnsweredPoints(answers: readonly (GdsAnswer | null)[]): number {
  let points = 0;
  for (let index = 0; index < answers.length; index += 1) {
    const answer = answers[index];
    if (answer === null || answer === undefined) continue;
    if ((answer === "no") === GDS_REVERSE[index]) points += 1;
  }
  return points;
}

/** GDS-15 display band of a total 0–15: 0–4 normal, 5–9 suggests depression, 10–15 probable depression (Sheikh & Yesavage 1986). */
export function gds15Band(total: number): Gds15Band {
  if (total >= THRESHOLDS.gds15.probable) return "probable-depression";
  if (total >= THRESHOLDS.gds15.suggests) return "suggests-depression";
  return "normal";
}

/** Human label of a PHQ-9 band ("moderately severe"). */
export const phq9BandLabel = fromTable<Phq9Band, string>({
  minimal: "minimal",
  mild: "mild",
  moderate: "moderate",
  "moderately-severe": "moderately severe",
  severe: "severe",
});

/** Human label of a GDS-15 band. */
export const gds15BandLabel = fromTable<Gds15Band, string>({
  normal: "normal",
  "suggests-depression": "suggests depression",
  "probable-depression": "probable depression",
});
