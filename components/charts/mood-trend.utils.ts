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
 * PHQ-9 totals over time (complete questionnaires only; no prorating), with the Kroenke 2001 bands
 * shaded and a reference line at 10 (positive screen).
 */
export function phq9Trend(observations: readonly ChartObservation[]): TrendModel {
  const t = THRESHOLDS.phq9;
  const entries = usableOf(observations, "phq9").flatMap((o) => {
    const total = phq9TotalOf(o.payload);
    return total === null ? [] : [{ date: o.effective, key: "phq9", value: total }];
  });
  const series = [{ key: "phq9", label: "PHQ-9", color: "#1f4e8c" }];
  const points = mergeByDate(entries, ["phq9"]);
  const latest = entries[entries.length - 1];
  return {
    id: "phq9",
    title: "PHQ-9 over time",
    unit: "points (0–27)",
    series,
    points,
    bands: [
      { from: 0, to: t.mild, label: "minimal", fill: BAND_FILLS[0]! },
      { from: t.mild, to: t.moderate, label: "mild", fill: BAND_FILLS[1]! },
      { from: t.moderate, to: t.moderatelySevere, label: "moderate", fill: BAND_FILLS[2]! },
      { from: t.moderatelySevere, to: t.severe, label: "moderately severe", fill: BAND_FILLS[3]! },
      { from: t.severe, to: t.max, label: "severe", fill: BAND_FILLS[4]! },
    ],
    references: [{ y: t.positive, label: "10: positive screen" }],
    yDomain: [0, t.max],
    ticks: [0, t.mild, t.moderate, t.moderatelySevere, t.severe, t.max],
    legend:
      "Bands: 0–4 minimal · 5–9 mild · 10–14 moderate · 15–19 moderately severe · 20–27 severe (Kroenke 2001).",
    summary:
      describeSeries(points, series[0]!, (v) => String(v)) +
      (latest ? ` Latest band: ${phq9BandLabel(phq9Band(latest.value))}.` : ""),
    decimals: 0,
  };
}

/** GDS-15 totals over time (complete only), with the display bands and a reference line at 5. */
export function gds15Trend(observations: readonly ChartObservation[]): TrendModel {
  const t = THRESHOLDS.gds15;
  const entries = usableOf(observations, "gds15").flatMap((o) => {
    const total = gds15TotalOf(o.payload);
    return total === null ? [] : [{ date: o.effective, key: "gds15", value: total }];
  });
  const series = [{ key: "gds15", label: "GDS-15", color: "#6941c6" }];
  const points = mergeByDate(entries, ["gds15"]);
  const latest = entries[entries.length - 1];
  return {
    id: "gds15",
    title: "GDS-15 over time",
    unit: "points (0–15)",
    series,
    points,
    bands: [
      { from: 0, to: t.suggests, label: "normal", fill: BAND_FILLS[0]! },
      { from: t.suggests, to: t.probable, label: "suggests depression", fill: BAND_FILLS[2]! },
      { from: t.probable, to: t.max, label: "probable depression", fill: BAND_FILLS[3]! },
    ],
    references: [{ y: t.suggests, label: "5: suggests depression" }],
    yDomain: [0, t.max],
    ticks: [0, t.suggests, t.probable, t.max],
    legend: "Bands: 0–4 normal · 5–9 suggests depression · 10–15 probable depression.",
    summary:
      describeSeries(points, series[0]!, (v) => String(v)) +
      (latest ? ` Latest band: ${gds15BandLabel(gds15Band(latest.value))}.` : ""),
    decimals: 0,
  };
}
