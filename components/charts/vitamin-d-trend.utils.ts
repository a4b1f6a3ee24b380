import { formatNumber } from "@/lib/clinical/format";
import { THRESHOLDS } from "@/lib/clinical/policy";
import { toNgPerMl } from "@/lib/clinical/vitamin-d";
import type { ChartObservation, TrendModel } from "./trend.types";
import { describeSeries, mergeByDate, usableOf } from "./trend.utils";

/**
 * 25(OH)D over time in ng/mL (nmol/L ÷ 2.496), with the ranges of IOM 2011 and BHOF 2022 shaded:
 * < 12 deficient, 12–20 inadequate, 20–30 sufficient, 30–50 bone target, > 50 above target.
 */
export function vitaminDTrend(observations: readonly ChartObservation[]): TrendModel {
  const t = THRESHOLDS.vitaminD;
  const entries = usableOf(observations, "vitaminD").flatMap((o) => {
    const value = o.payload.value;
    const unit = o.payload.unit;
    if (typeof value !== "number" || (unit !== "ng/mL" && unit !== "nmol/L")) return [];
    return [{ date: o.effective, key: "ngPerMl", value: toNgPerMl(value, unit) }];
  });
  const series = [{ key: "ngPerMl", label: "25(OH)D", color: "#b54708" }];
  const points = mergeByDate(entries, ["ngPerMl"]);
  const top = Math.max(60, ...entries.map((e) => Math.ceil((e.value + 10) / 10) * 10));
  return {
    id: "vitd",
    title: "Vitamin D (25(OH)D) over time",
    unit: "ng/mL",
    series,
    points,
    bands: [
      { from: 0, to: t.deficientBelow, label: "deficiency risk", fill: "#fee4e2" },
      { from: t.deficientBelow, to: t.sufficientFrom, label: "inadequacy risk", fill: "#fef0c7" },
      { from: t.sufficientFrom, to: t.boneTargetFrom, label: "sufficient", fill: "#fefbe8" },
      { from: t.boneTargetFrom, to: t.aboveTargetAbove, label: "bone target", fill: "#ecfdf3" },
      { from: t.aboveTargetAbove, to: top, label: "above target", fill: "#f2f4f7" },
    ],
    references: [
      { y: t.deficientBelow, label: "12" },
      { y: t.sufficientFrom, label: "20" },
      { y: t.boneTargetFrom, label: "30" },
      { y: t.aboveTargetAbove, label: "50" },
    ],
    yDomain: [0, top],
    ticks: [0, t.deficientBelow, t.sufficientFrom, t.boneTargetFrom, t.aboveTargetAbove, top],
    legend:
      "ng/mL: < 12 deficiency risk · 12–< 20 inadequacy risk · 20–< 30 sufficient · 30–50 bone target · > 50 above target (IOM 2011, BHOF 2022).",
    summary: describeSeries(points, series[0]!, (v) => `${formatNumber(v, 1)} ng/mL`),
    decimals: 1,
  };
}
