import { COMPLEMENT_MARKER, SMALL_CELL_MARKER, type Count } from "@/lib/api/quality";

/*
 * Small-cell suppression: every count the quality metrics publish goes through here, so that no
 * cell of 1–10 patients is shown, nor any count from which such a cell could be worked out.
 */

/** Policy: a cell counting 1–10 patients is never published (shown as "<11"). Zero is shown. */
export const SMALL_CELL_THRESHOLD = 11;

export const SUPPRESSION_POLICY =
  `Any count of 1 to ${SMALL_CELL_THRESHOLD - 1} patients (numerator, denominator, trend point, ` +
  `group or heatmap cell) is shown as "${SMALL_CELL_MARKER}" and its percentage is withheld; ` +
  `zero is shown as 0. A count that would let a hidden one be worked out by subtraction (the ` +
  `rest of a total, or the last visible part of a total) is hidden too ("${COMPLEMENT_MARKER}" in ` +
  `the API and CSV, "hidden" on the page). ` +
  `Flag counts are suppressed when the flags come from fewer than ${SMALL_CELL_THRESHOLD} patients.`;

/** A raw count and how many distinct patients it comes from (the same for patient counts). */
export interface RawCount {
  n: number;
  patients?: number;
}

/** A count of an aggregate row, 0 when the row (a month without events) is absent. */
export const num = (v: number | null | undefined): number =>
  v === null || v === undefined ? 0 : Number(v);

/** A median of an aggregate row with one decimal, null when absent. */
export const numOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;

/** Primary suppression: 0 stays 0; a count from 1–10 patients (or of 1–10 items) becomes "<11". */
export function suppressCount(raw: RawCount): Count {
  if (raw.n <= 0) return 0;
  const patients = raw.patients ?? raw.n;
  if (raw.n < SMALL_CELL_THRESHOLD || patients < SMALL_CELL_THRESHOLD) return SMALL_CELL_MARKER;
  return raw.n;
}

/** Percent with one decimal. */
export function percent(numerator: number, denominator: number): number {
  return Math.round((numerator / denominator) * 1000) / 10;
}

export interface PublishedRate {
  value: number | null;
  numerator: Count;
  denominator: Count;
}

/**
 * A proportion as published: each count suppressed when small, and the numerator also hidden
 * when the rest of the denominator (denominator − numerator) is 1–10, since subtraction would
 * reveal it. The percentage only when both counts are shown.
 */
export function publishRate(numerator: RawCount, denominator: RawCount): PublishedRate {
  const den = suppressCount(denominator);
  let num = suppressCount(numerator);
  const rest = denominator.n - numerator.n;
  if (typeof num === "number" && typeof den === "number" && rest > 0 && rest < SMALL_CELL_THRESHOLD)
    num = COMPLEMENT_MARKER;
  const value =
    typeof num === "number" && typeof den === "number" && denominator.n > 0
      ? percent(numerator.n, denominator.n)
      : null;
  return { value, numerator: num, denominator: den };
}

/**
 * Complementary suppression for parts that add up to a published total: while the hidden parts
 * add up to 1–10 (so one could be worked out as total − visible parts), hide the smallest
 * visible non-zero part too. Returns the parts as published.
 */
export function protectPartition(
  total: Count | null,
  parts: readonly { n: number; shown: Count }[],
): Count[] {
  const out = parts.map((p) => p.shown);
  if (typeof total !== "number") return out;
  let hidden = parts.reduce((sum, p, i) => (typeof out[i] === "number" ? sum : sum + p.n), 0);
  while (hidden > 0 && hidden < SMALL_CELL_THRESHOLD) {
    let pick = -1;
    parts.forEach((p, i) => {
      if (typeof out[i] === "number" && p.n > 0 && (pick < 0 || p.n < parts[pick]!.n)) pick = i;
    });
    if (pick < 0) break;
    out[pick] = COMPLEMENT_MARKER;
    hidden += parts[pick]!.n;
  }
  return out;
}

/** Raw parts of a published total as published: each suppressed, then protected together. */
export function publishParts(total: Count | null, parts: readonly RawCount[]): Count[] {
  return protectPartition(
    total,
    parts.map((raw) => ({ n: raw.n, shown: suppressCount(raw) })),
  );
}

/** When a denominator is hidden, a shown non-zero numerator could still narrow it down: hide it. */
export function hideIfShown(c: Count): Count {
  return typeof c === "number" && c > 0 ? COMPLEMENT_MARKER : c;
}
