import {
  COMPLEMENT_MARKER,
  SMALL_CELL_MARKER,
  qualityFiltersToSearch,
  qualityMetricsQuerySchema,
  resolveQualityFilters,
  type Count,
  type MetricSection,
  type QualityFilters,
  type QualityMetric,
  type QualityMetricId,
} from "@/lib/api/quality";
import { formatDate } from "@/lib/clinical/dates";

/** Shaping for the /quality page: plain functions, unit-tested. */

export const SECTION_TITLES: Record<MetricSection, string> = {
  screening: "Screening coverage",
  prevalence: "Prevalence",
  "time-to-action": "Time to action",
  "fracture-liaison": "Fracture liaison (IOF KPIs)",
  "depression-outcomes": "Depression outcomes",
  "rule-performance": "Rule performance",
  "cross-tab": "Depression × bone",
};

/** Sections shown as tiles, in order. */
export const TILE_SECTIONS: readonly MetricSection[] = [
  "screening",
  "prevalence",
  "time-to-action",
  "fracture-liaison",
  "depression-outcomes",
];

/** A count for people: numbers with thousands separators, markers as they are. */
export function formatCount(count: Count | null): string {
  if (count === null) return "—";
  if (count === COMPLEMENT_MARKER) return "hidden";
  if (count === SMALL_CELL_MARKER) return SMALL_CELL_MARKER;
  return count.toLocaleString("en-GB");
}

/** True when a count is withheld by the small-cell rule (directly or by subtraction). */
export function isSuppressed(count: Count | null): boolean {
  return count === SMALL_CELL_MARKER || count === COMPLEMENT_MARKER;
}

/** A metric value with its unit: "85.9 %", "2.5 days", "48"; "<11" or "—" when not shown. */
export function formatValue(
  metric: Pick<QualityMetric, "unit">,
  value: number | null,
  counts: { numerator: Count | null; denominator: Count | null },
): string {
  if (value === null) {
    if (isSuppressed(counts.numerator) || isSuppressed(counts.denominator)) {
      return counts.denominator === SMALL_CELL_MARKER || counts.numerator === SMALL_CELL_MARKER
        ? SMALL_CELL_MARKER
        : "hidden";
    }
    return "—";
  }
  switch (metric.unit) {
    case "percent":
      return `${value.toLocaleString("en-GB", { maximumFractionDigits: 1 })} %`;
    case "days":
      return `${value.toLocaleString("en-GB", { maximumFractionDigits: 1 })} ${value === 1 ? "day" : "days"}`;
    case "count":
      return value.toLocaleString("en-GB");
  }
}

/** "70 of 81 patients", "34 flags", "No patients counted". */
export function formatBasis(metric: QualityMetric): string {
  const unitWord =
    metric.section === "time-to-action" || metric.section === "rule-performance"
      ? "flags"
      : "patients";
  if (metric.unit === "percent") {
    if (metric.denominator === 0) return `No ${unitWord} counted`;
    return `${formatCount(metric.numerator)} of ${formatCount(metric.denominator)} ${unitWord}`;
  }
  if (metric.unit === "days") {
    if (metric.denominator === 0) return `No ${unitWord} acted on`;
    return `median of ${formatCount(metric.denominator)} ${unitWord}`;
  }
  return `${formatCount(metric.numerator ?? metric.denominator)} ${unitWord}`;
}

/** "2026-03" → "Mar 2026". */
export function formatMonth(month: string): string {
  return formatDate(`${month}-01`).replace(/^1 /, "");
}

/** The filters in the URL, with defaults; a broken link falls back to the defaults. */
export function filtersFromSearch(
  search: URLSearchParams,
  today: string,
): { filters: QualityFilters; invalid: boolean } {
  const raw: Record<string, string> = {};
  for (const key of ["from", "to", "site", "ageBand", "sex"]) {
    const value = search.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = qualityMetricsQuerySchema.safeParse(raw);
  if (parsed.success) {
    try {
      return { filters: resolveQualityFilters(parsed.data, today), invalid: false };
    } catch {
      // A reversed or too long period: fall through to the defaults.
    }
  }
  return { filters: resolveQualityFilters({}, today), invalid: true };
}

/** The filter form's fields as the page's query string (empty fields left out). */
export function qualitySearchOfFields(fields: URLSearchParams): string {
  return qualityFiltersToSearch(Object.fromEntries(fields));
}

/** The CSV export link of a metric for the current filters. */
export function exportHref(metricId: QualityMetricId, filters: QualityFilters): string {
  return `/api/v1/quality/metrics.csv?${qualityFiltersToSearch(filters, { metric: metricId })}`;
}

/** The sparkline's points in a width × height box; null values break the line into segments. */
export function sparklineSegments(
  values: readonly (number | null)[],
  width: number,
  height: number,
  domain?: { min: number; max: number },
): string[] {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return [];
  const min = domain?.min ?? Math.min(...known);
  const max = domain?.max ?? Math.max(...known);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(" "));
      current = [];
      return;
    }
    const x = values.length > 1 ? i * step : width / 2;
    const y = height - ((v - min) / span) * height;
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(" "));
  return segments;
}

/** A one-sentence text alternative of a trend. */
export function summarizeTrend(metric: QualityMetric): string {
  const shown = metric.series.filter((p) => p.value !== null);
  const hidden = metric.series.length - shown.length;
  const value = formatValue(metric, metric.value, metric);
  const parts = [`${metric.title}: ${value} over the period (${formatBasis(metric)}).`];
  const first = shown[0];
  const last = shown[shown.length - 1];
  if (first && last && first !== last) {
    parts.push(
      `Monthly: ${formatValue(metric, first.value, first)} in ${formatMonth(first.month)}, ` +
        `${formatValue(metric, last.value, last)} in ${formatMonth(last.month)}.`,
    );
  } else if (first) {
    parts.push(`Only ${formatMonth(first.month)} can be shown by month.`);
  }
  if (hidden > 0) {
    parts.push(
      `${hidden} ${hidden === 1 ? "month is" : "months are"} not shown (no patients or small numbers).`,
    );
  }
  return parts.join(" ");
}

/** Rows for a multi-line trend chart: one per month, one key per metric id. */
export function trendRows(
  metrics: readonly QualityMetric[],
): Record<string, string | number | null>[] {
  const months = metrics[0]?.series.map((p) => p.month) ?? [];
  return months.map((month) => {
    const row: Record<string, string | number | null> = { month: formatMonth(month) };
    for (const m of metrics) row[m.id] = m.series.find((p) => p.month === month)?.value ?? null;
    return row;
  });
}

/** Heatmap shade 0–1 of a cell (suppressed cells get none). */
export function heatShade(count: Count, max: number): number {
  if (typeof count !== "number" || max <= 0) return 0;
  return Math.min(1, count / max);
}

/** An sRGB channel (0–255) as linear light. */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an RGB colour. */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours. */
export function contrastRatio(
  a: readonly [number, number, number],
  b: readonly [number, number, number],
): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const HEAT_BLUE = [31, 78, 140] as const;
const DARK_TEXT = [16, 24, 40] as const;
const WHITE = [255, 255, 255] as const;

/**
 * A heatmap cell's background and text colour for its shade (0–1). The blue is mixed into white
 * in two bands with a gap between them: light cells (up to 40 % blue) take dark text, dark cells
 * (from 80 %) white text, so text on colour keeps a contrast of at least 4.5:1 everywhere; the
 * middle band, where neither text colour reaches it, is never used.
 */
export function heatColours(shade: number): {
  background: string;
  color: string;
  rgb: [number, number, number];
  text: readonly [number, number, number];
} {
  const s = Math.max(0, Math.min(1, shade));
  const mix = s <= 0.5 ? 0.08 + (s / 0.5) * 0.32 : 0.8 + ((s - 0.5) / 0.5) * 0.2;
  const rgb = WHITE.map((w, i) => Math.round(w + (HEAT_BLUE[i]! - w) * mix)) as [
    number,
    number,
    number,
  ];
  const text = s <= 0.5 ? DARK_TEXT : WHITE;
  const hex = (c: readonly number[]) =>
    `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  return { background: hex(rgb), color: hex(text), rgb, text };
}
