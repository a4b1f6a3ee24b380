import { dayNumber, formatDate } from "@/lib/clinical/dates";
import { formatNumber } from "@/lib/clinical/format";
import type { ChartObservation, TrendPoint, TrendSeries } from "./trend.types";

/** Observations that count: not entered in error, of `kind`, oldest first. */
export function usableOf(
  observations: readonly ChartObservation[],
  kind: string,
): ChartObservation[] {
  return observations
    .filter((o) => !o.enteredInError && o.payload.kind === kind)
    .sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0));
}

/** Day number → ISO date (inverse of `dayNumber`). */
export function isoOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Merges dated values of several series into points by date. Two values of one series on one
 * date keep the last one given (the caller orders them).
 */
export function mergeByDate(
  entries: readonly { date: string; key: string; value: number }[],
  seriesKeys: readonly string[],
): TrendPoint[] {
  const byDate = new Map<string, TrendPoint>();
  for (const entry of entries) {
    let point = byDate.get(entry.date);
    if (!point) {
      point = {
        date: entry.date,
        day: dayNumber(entry.date),
        values: Object.fromEntries(seriesKeys.map((k) => [k, null])),
      };
      byDate.set(entry.date, point);
    }
    point.values[entry.key] = entry.value;
  }
  return [...byDate.values()].sort((a, b) => a.day - b.day);
}

/** "3 results from 14 Jan 2025 to 20 Nov 2026; latest 14 on 20 Nov 2026" for one series. */
export function describeSeries(
  points: readonly TrendPoint[],
  series: TrendSeries,
  format: (value: number) => string,
): string {
  const dated = points.filter(
    (p) => p.values[series.key] !== null && p.values[series.key] !== undefined,
  );
  const first = dated[0];
  const last = dated[dated.length - 1];
  if (!first || !last) return `${series.label}: no results on record.`;
  const lastValue = last.values[series.key] ?? 0;
  if (dated.length === 1) {
    return `${series.label}: 1 result, ${format(lastValue)} on ${formatDate(last.date)}.`;
  }
  const firstValue = first.values[series.key] ?? 0;
  return `${series.label}: ${dated.length} results from ${formatDate(first.date)} to ${formatDate(last.date)}; first ${format(firstValue)}, latest ${format(lastValue)} on ${formatDate(last.date)}.`;
}

/** A value for a table cell or a summary, typographic minus, fixed decimals. */
export function formatValue(value: number, decimals: number): string {
  return formatNumber(value, decimals);
}
