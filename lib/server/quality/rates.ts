import type { MetricPoint, MetricSection, QualityMetric, QualityMetricId } from "@/lib/api/quality";
import { metricHead, type Definition } from "./definitions";
import { hideIfShown, num, percent, protectPartition, publishRate } from "./suppression";

/*
 * Metrics that are rates (percent of a denominator), published for the period and for each of
 * its months. Two kinds: measured at a point in time (each month on its own, so the months do
 * not add up to the period), or counting events dated in the period, whose months partition it
 * and are therefore protected together.
 */

/** A numerator and denominator as counted (before suppression). */
export interface RawRate {
  num: number;
  den: number;
}

/** The published part of a rate metric: its period value and its monthly trend. */
export type RateParts = Pick<QualityMetric, "value" | "numerator" | "denominator" | "series">;

/** A rate of a period: a month (YYYY-MM) or 'total' for the whole period. */
export type RateAt = (period: string) => RawRate;

/** The columns of a row type that hold counts. */
export type CountColumn<R> = { [K in keyof R]-?: R[K] extends number ? K : never }[keyof R];

/** A rate read from rows keyed by period; a period without a row counts 0 of 0. */
export function rateOf<R extends { period: string }>(
  rows: readonly R[],
  columns: { numerator: CountColumn<R>; denominator: CountColumn<R> },
): RateAt {
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  return (period) => {
    const r = byPeriod.get(period);
    return {
      num: num(r?.[columns.numerator] as number | undefined),
      den: num(r?.[columns.denominator] as number | undefined),
    };
  };
}

/** A rate measured at a point in time, for the period and for each month on its own. */
export function pointInTimeRate(months: readonly string[], at: RateAt): RateParts {
  const published = (period: string) => {
    const r = at(period);
    return publishRate({ n: r.num }, { n: r.den });
  };
  return {
    ...published("total"),
    series: months.map((month) => ({ month, ...published(month) })),
  };
}

/** A rate series whose months partition the total (events dated in a month). */
export function partitionedRateSeries(
  months: readonly string[],
  at: RateAt,
  total: Pick<QualityMetric, "numerator" | "denominator">,
): MetricPoint[] {
  const raw = months.map((month) => at(month));
  const points = raw.map((r) => publishRate({ n: r.num }, { n: r.den }));
  const dens = protectPartition(
    total.denominator,
    raw.map((r, i) => ({ n: r.den, shown: points[i]!.denominator })),
  );
  const nums = protectPartition(
    total.numerator,
    raw.map((r, i) => ({ n: r.num, shown: points[i]!.numerator })),
  );
  return months.map((month, i) => {
    const numerator = typeof dens[i] === "number" ? nums[i]! : hideIfShown(nums[i]!);
    const denominator = dens[i]!;
    const r = raw[i]!;
    return {
      month,
      numerator,
      denominator,
      value:
        typeof numerator === "number" && typeof denominator === "number" && r.den > 0
          ? percent(r.num, r.den)
          : null,
    };
  });
}

/** A rate of events dated in the period whose months partition it. */
export function partitionedRate(months: readonly string[], at: RateAt): RateParts {
  const t = at("total");
  const total = publishRate({ n: t.num }, { n: t.den });
  return { ...total, series: partitionedRateSeries(months, at, total) };
}

/** One rate metric of a family: its id, its texts, and the columns it counts. */
export interface RateMetric<R> extends Definition {
  id: QualityMetricId;
  numerator: CountColumn<R>;
  denominator: CountColumn<R>;
}

/** The rate metrics of a family (in percent, higher is better) from its rows keyed by period. */
export function rateMetrics<R extends { period: string }>(
  months: readonly string[],
  rows: readonly R[],
  section: MetricSection,
  measure: (months: readonly string[], at: RateAt) => RateParts,
  metrics: readonly RateMetric<R>[],
): QualityMetric[] {
  return metrics.map((m) => ({
    ...metricHead(m.id, m, { section, unit: "percent", higherIsBetter: true }),
    ...measure(months, rateOf(rows, m)),
  }));
}
