import { BMD_SITES, type BmdSite } from "@/lib/clinical/constants";
import { formatNumber } from "@/lib/clinical/format";
import { THRESHOLDS } from "@/lib/clinical/policy";
import { BMD_SITE_LABEL } from "@/components/clinical/labels";
import type { ChartObservation, TrendModel, TrendSeries } from "./trend.types";
import { describeSeries, mergeByDate, usableOf } from "./trend.utils";

const SITE_LINE: Readonly<Record<BmdSite, Pick<TrendSeries, "color" | "dash">>> = {
  lumbar_spine: { color: "#1f4e8c" },
  total_hip: { color: "#027a48", dash: "6 3" },
  femoral_neck: { color: "#b54708", dash: "2 3" },
  radius_33: { color: "#6941c6", dash: "8 3 2 3" },
};

/**
 * T-scores by site over time, with the WHO categories shaded (normal ≥ −1.0, low bone mass
 * between, osteoporosis ≤ −2.5; WHO 1994) and reference lines at −1.0 and −2.5.
 */
export function tScoreTrend(observations: readonly ChartObservation[]): TrendModel {
  const who = THRESHOLDS.who;
  const entries = usableOf(observations, "bmd").flatMap((o) => {
    const site = o.payload.site;
    const tScore = o.payload.tScore;
    if (typeof tScore !== "number" || !BMD_SITES.includes(site as BmdSite)) return [];
    return [{ date: o.effective, key: site as string, value: tScore }];
  });
  const sites = BMD_SITES.filter((site) => entries.some((e) => e.key === site));
  const series: TrendSeries[] = sites.map((site) => ({
    key: site,
    label: BMD_SITE_LABEL[site],
    ...SITE_LINE[site],
  }));
  const points = mergeByDate(entries, sites);
  const values = entries.map((e) => e.value);
  const low = Math.floor(Math.min(-4, ...values.map((v) => v - 0.5)));
  const high = Math.ceil(Math.max(1, ...values.map((v) => v + 0.5)));
  const format = (v: number): string => formatNumber(v, 1);
  return {
    id: "tscore",
    title: "T-scores by site",
    unit: "T-score",
    series,
    points,
    bands: [
      { from: who.normalMinT, to: high, label: "normal", fill: "#ecfdf3" },
      { from: who.osteoporosisMaxT, to: who.normalMinT, label: "low bone mass", fill: "#fef0c7" },
      { from: low, to: who.osteoporosisMaxT, label: "osteoporosis", fill: "#fee4e2" },
    ],
    references: [
      { y: who.normalMinT, label: "−1.0" },
      { y: who.osteoporosisMaxT, label: "−2.5" },
    ],
    yDomain: [low, high],
    ticks: [...new Set([high, 0, who.normalMinT, who.osteoporosisMaxT, low])].sort((a, b) => b - a),
    legend: "WHO: ≥ −1.0 normal · between −1.0 and −2.5 low bone mass · ≤ −2.5 osteoporosis.",
    summary:
      series.length === 0
        ? "T-score: no DXA results on record."
        : series.map((s) => describeSeries(points, s, format)).join(" "),
    decimals: 1,
  };
}
