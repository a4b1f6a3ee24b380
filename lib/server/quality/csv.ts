import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import { toCsv } from "../csv";

/** One metric as CSV rows, with the same suppression as the JSON. */
export function metricToCsv(metric: QualityMetric, filters: QualityFilters): string {
  const lead = [metric.id, filters.from, filters.to];
  if (metric.crossTab) {
    const rowLabel = new Map(metric.crossTab.rows.map((r) => [r.key, r.label]));
    const colLabel = new Map(metric.crossTab.columns.map((c) => [c.key, c.label]));
    return toCsv([
      ["metric", "from", "to", "depression_band", "bone_category", "patients"],
      ...metric.crossTab.cells.map((c) => [
        ...lead,
        rowLabel.get(c.row) ?? c.row,
        colLabel.get(c.column) ?? c.column,
        c.count,
      ]),
    ]);
  }
  if (metric.countKeys && metric.groups) {
    const keys = metric.countKeys;
    return toCsv([
      ["metric", "from", "to", "group", ...keys.map((k) => k.key)],
      ...metric.groups.map((g) => [...lead, g.label, ...keys.map((k) => g.counts?.[k.key] ?? 0)]),
    ]);
  }
  const rows: (string | number | null)[][] = [
    ["metric", "from", "to", "row", "month", "group", "value", "unit", "numerator", "denominator"],
    [...lead, "period", "", "", metric.value, metric.unit, metric.numerator, metric.denominator],
  ];
  for (const g of metric.groups ?? []) {
    rows.push([...lead, "group", "", g.label, g.value, metric.unit, g.numerator, g.denominator]);
  }
  for (const p of metric.series) {
    rows.push([...lead, "month", p.month, "", p.value, metric.unit, p.numerator, p.denominator]);
  }
  return toCsv(rows);
}
