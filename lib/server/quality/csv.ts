import type { QualityFilters, QualityMetric, QualitySite } from "@/lib/api/quality";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { toCsv } from "../csv";

/** What a quality export says of itself on every row: the metric, the period and the filters. */
export interface QualityCsvContext {
  /** The sites the figures cover (the chosen one, or all of the reader's). */
  sites: readonly QualitySite[];
  now: Date;
}

const LEAD_COLUMNS = [
  "metric",
  "metric_name",
  "from",
  "to",
  "sites",
  "site_codes",
  "age_band",
  "sex",
] as const;

/**
 * One metric as CSV rows, with the same suppression as the JSON. Each row carries the metric's
 * name beside its id, the period, the sites by name and code, the age band and sex filters, and
 * the export's context (filters, generated time, time zone), so a file read alone says what it
 * counts.
 */
export function metricToCsv(
  metric: QualityMetric,
  filters: QualityFilters,
  context: QualityCsvContext,
): string {
  const lead = [
    metric.id,
    metric.title,
    filters.from,
    filters.to,
    context.sites.map((s) => s.name).join("; "),
    context.sites.map((s) => s.code).join("; "),
    filters.ageBand ?? "all",
    filters.sex ?? "all",
  ];
  const trail = exportContext(
    { ...filters, site: context.sites.map((s) => s.code).join(",") || null },
    context.now,
  );
  const table = (header: string[], rows: (string | number | null)[][]) =>
    toCsv([
      [...LEAD_COLUMNS, ...header, ...EXPORT_CONTEXT_COLUMNS],
      ...rows.map((r) => [...lead, ...r, ...trail]),
    ]);
  if (metric.crossTab) {
    const rowLabel = new Map(metric.crossTab.rows.map((r) => [r.key, r.label]));
    const colLabel = new Map(metric.crossTab.columns.map((c) => [c.key, c.label]));
    return table(
      ["depression_band", "bone_category", "patients"],
      metric.crossTab.cells.map((c) => [
        rowLabel.get(c.row) ?? c.row,
        colLabel.get(c.column) ?? c.column,
        c.count,
      ]),
    );
  }
  if (metric.countKeys && metric.groups) {
    const keys = metric.countKeys;
    return table(
      ["group", "group_code", ...keys.map((k) => k.key)],
      metric.groups.map((g) => [g.label, g.key, ...keys.map((k) => g.counts?.[k.key] ?? 0)]),
    );
  }
  const rows: (string | number | null)[][] = [
    ["period", "", "", metric.value, metric.unit, metric.numerator, metric.denominator],
  ];
  for (const g of metric.groups ?? []) {
    rows.push(["group", "", g.label, g.value, metric.unit, g.numerator, g.denominator]);
  }
  for (const p of metric.series) {
    rows.push(["month", p.month, "", p.value, metric.unit, p.numerator, p.denominator]);
  }
  return table(["row", "month", "group", "value", "unit", "numerator", "denominator"], rows);
}
