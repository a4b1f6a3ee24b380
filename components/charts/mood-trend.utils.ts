import type { GdsAnswer } from "@/lib/clinical/constants";
import {
  gds15BandLabel,
  gds15Band,
  gds15Total,
  phq9Band,
  phq9BandLabel,
  phq9Total,
} from "@/lib/clinical/instruments";
import { THRESHOLDS } from "@/lib/clinical/policy";
import type { ChartObservation, TrendModel } from "./trend.types";
import { describeSeries, mergeByDate, usableOf } from "./trend.utils";

/** Total of a stored PHQ-9 payload: its total, or the sum of 9 answered items; null when incomplete. */
export function phq9TotalOf(payload: Record<string, unknown>): number | null {
  if (typeof payload.total === "number") return payload.total;
  const items: unknown = payload.items;
  if (Array.isArray(items)) {
    return phq9Total(items.map((i: unknown) => (typeof i === "number" ? i : null)));
  }
  return null;
}

/** Total of a stored GDS-15 payload: its total, or the score of 15 answers; null when incomplete. */
export function gds15TotalOf(payload: Record<string, unknown>): number | null {
  if (typeof payload.total === "number") return payload.total;
  const answers: unknown = payload.answers;
  if (Array.isArray(answers)) {
    return gds15Total(
      answers.map((a: unknown): GdsAnswer | null => (a === "yes" || a === "no" ? a : null)),
    );
  }
  return null;
}

const BAND_FILLS = ["#ecfdf3", "#fefbe8", "#fef0c7", "#fee4e2", "#fdd3d0"];

/**
 * A questionnaire's totals over time: complete questionnaires only (no prorating), one series from
 * 0 to `max`, its bands shaded, and the latest band in the summary.
 */
function totalsTrend(
  observations: readonly ChartObservation[],
  spec: {
    kind: "phq9" | "gds15";
    label: string;
    color: string;
    max: number;
    totalOf: (payload: Record<string, unknown>) => number | null;
    bandOf: (total: number) => string;
    /** Each band from its lower bound; it runs to the next band's bound, the last one to `max`. */
    cuts: readonly (readonly [from: number, label: string, fill: number])[];
  } & Pick<TrendModel, "references" | "legend">,
): TrendModel {
  const { kind, label, color, max, totalOf, bandOf, cuts, ...rest } = spec;
  const bands = cuts.map(([from, bandLabel, fill], i) => ({
    from,
    to: cuts[i + 1]?.[0] ?? max,
    label: bandLabel,
    fill: BAND_FILLS[fill]!,
  }));
  const shown = { ...rest, bands, ticks: [...cuts.map(([from]) => from), max] };
  const entries = usableOf(observations, kind).flatMap((o) => {
    const total = totalOf(o.payload);
    return total === null ? [] : [{ date: o.effective, key: kind, value: total }];
  });
  const series = [{ key: kind, label, color }];
  const points = mergeByDate(entries, [kind]);
  const latest = entries[entries.length - 1];
  return {
    id: kind,
    title: `${label} over time`,
    unit: `points (0–${max})`,
    series,
    points,
    ...shown,
    yDomain: [0, max],
    summary:
      describeSeries(points, series[0]!, (v) => String(v)) +
      (latest ? ` Latest band: ${bandOf(latest.value)}.` : ""),
    decimals: 0,
  };
}

/** PHQ-9 totals with the Kroenke 2001 bands shaded and a reference line at 10 (positive screen). */
export function phq9Trend(observations: readonly ChartObservation[]): TrendModel {
  const t = THRESHOLDS.phq9;
  return totalsTrend(observations, {
    kind: "phq9",
    label: "PHQ-9",
    color: "#1f4e8c",
    max: t.max,
    totalOf: phq9TotalOf,
    bandOf: (total) => phq9BandLabel(phq9Band(total)),
    cuts: [
      [0, "minimal", 0],
      [t.mild, "mild", 1],
      [t.moderate, "moderate", 2],
      [t.moderatelySevere, "moderately severe", 3],
      [t.severe, "severe", 4],
    ],
    references: [{ y: t.positive, label: "10: positive screen" }],
    legend:
      "Bands: 0–4 minimal · 5–9 mild · 10–14 moderate · 15–19 moderately severe · 20–27 severe (Kroenke 2001).",
  });
}

/** GDS-15 totals with the display bands and a reference line at 5. */
export function gds15Trend(observations: readonly ChartObservation[]): TrendModel {
  const t = THRESHOLDS.gds15;
  return totalsTrend(observations, {
    kind: "gds15",
    label: "GDS-15",
    color: "#6941c6",
    max: t.max,
    totalOf: gds15TotalOf,
    bandOf: (total) => gds15BandLabel(gds15Band(total)),
    cuts: [
      [0, "normal", 0],
      [t.suggests, "suggests depression", 2],
      [t.probable, "probable depression", 3],
    ],
    references: [{ y: t.suggests, label: "5: suggests depression" }],
    legend: "Bands: 0–4 normal · 5–9 suggests depression · 10–15 probable depression.",
  });
}
