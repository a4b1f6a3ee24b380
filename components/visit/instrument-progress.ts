import type { GdsAnswer } from "@/lib/clinical/constants";
import {
  gds15Band,
  gds15Total,
  phq2Band,
  phq2Total,
  phq9Band,
  phq9Total,
  type Gds15Band,
  type Phq2Band,
  type Phq9Band,
} from "@/lib/clinical/instruments";
import { THRESHOLDS } from "@/lib/clinical/policy";
import type { ItemAnswer } from "./visit-form.utils";

/* Running totals of the questionnaires while they are being answered. */

export interface Phq9Progress {
  answered: number;
  /** Sum of the answered items (a running total while entering). */
  runningTotal: number;
  /** The total when all nine items are answered, else null (no prorating). */
  total: number | null;
  band: Phq9Band | null;
  item9: ItemAnswer;
}

/** Running PHQ-9 total and band (Kroenke 2001 bands; no prorating). */
export function phq9Progress(items: readonly ItemAnswer[]): Phq9Progress {
  const answered = items.filter((a) => a !== null).length;
  const runningTotal = items.reduce<number>((sum, a) => sum + (a ?? 0), 0);
  const total = phq9Total(items);
  return {
    answered,
    runningTotal,
    total,
    band: total === null ? null : phq9Band(total),
    item9: items[8] ?? null,
  };
}

/** Running PHQ-2 total and band (positive at ≥ 3, Kroenke 2003). */
export function phq2Progress(items: readonly ItemAnswer[]): {
  answered: number;
  total: number | null;
  band: Phq2Band | null;
} {
  const total = phq2Total(items);
  return {
    answered: items.filter((a) => a !== null).length,
    total,
    band: total === null ? null : phq2Band(total),
  };
}

/** Running GDS-15 score (Sheikh & Yesavage 1986): points so far; total and band once all 15 are answered. */
export function gds15Progress(answers: readonly (GdsAnswer | null)[]): {
  answered: number;
  runningTotal: number;
  total: number | null;
  band: Gds15Band | null;
} {
  const answered = answers.filter((a) => a !== null).length;
  const filled = answers.map((a) => a ?? null);
  const runningTotal = filled.reduce<number>((sum, answer, index) => {
    if (answer === null) return sum;
    const reverse = THRESHOLDS.gds15.reverseScoredItems.includes(index + 1);
    return sum + ((answer === "no") === reverse ? 1 : 0);
  }, 0);
  const total = gds15Total(filled);
  return { answered, runningTotal, total, band: total === null ? null : gds15Band(total) };
}
