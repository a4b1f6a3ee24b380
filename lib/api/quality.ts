import { z } from "zod";
import { dayNumber, isoDateSchema, SEXES, type Sex } from "@/lib/clinical";
import { AppError } from "./errors";

/*
 * GET /api/v1/quality/metrics and /api/v1/quality/metrics.csv: query schemas and the response
 * shape. Shared by the route handlers, the use-case and the /quality page.
 */

/** Age bands of the filter, by whole years on the last day of the period. */
export const AGE_BANDS = ["<65", "65-74", "75-84", "85+"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Longest period one request may cover (five years): bounds the monthly series. */
export const MAX_QUALITY_PERIOD_DAYS = 5 * 366;

/** The marker of a count of 1–10 patients (primary small-cell suppression). */
export const SMALL_CELL_MARKER = "<11";
/**
 * The marker of a count that is not small itself but is hidden so that a small one cannot be
 * worked out by subtraction (complementary suppression).
 */
export const COMPLEMENT_MARKER = "suppressed";

/** A count as published: a number, or a suppression marker. */
export type Count = number | typeof SMALL_CELL_MARKER | typeof COMPLEMENT_MARKER;

/** "" from an empty form field means "not given". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** "85+" arrives as "85 " when a client forgets to encode "+" in a query string. */
const normaliseAgeBand = (v: unknown) => {
  const value = blankToUndefined(v);
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "85" ? "85+" : trimmed;
};

const filterShape = {
  from: z.preprocess(blankToUndefined, isoDateSchema.optional()),
  to: z.preprocess(blankToUndefined, isoDateSchema.optional()),
  site: z.preprocess(blankToUndefined, z.uuid("site must be a site id").optional()),
  ageBand: z.preprocess(
    normaliseAgeBand,
    z.enum(AGE_BANDS, "ageBand must be one of <65, 65-74, 75-84, 85+").optional(),
  ),
  sex: z.preprocess(
    blankToUndefined,
    z.enum(SEXES, "sex must be female, male, other or unknown").optional(),
  ),
};

/** GET /api/v1/quality/metrics query (every field optional; defaults are resolved later). */
export const qualityMetricsQuerySchema = z.strictObject(filterShape);
export type QualityMetricsQuery = z.infer<typeof qualityMetricsQuerySchema>;

/** Every metric id the API answers, in page order. */
export const QUALITY_METRIC_IDS = [
  "screening.depression",
  "screening.dxa",
  "screening.both",
  "prevalence.depression-positive",
  "prevalence.bone-any",
  "prevalence.bone-osteopenia",
  "prevalence.bone-osteoporosis",
  "prevalence.bone-severe-osteoporosis",
  "prevalence.bone-low-for-age",
  "prevalence.bone-high-fracture-risk",
  "prevalence.comorbidity-bone-brain",
  "time-to-action.acknowledge",
  "time-to-action.resolve",
  "time-to-action.critical-acknowledged-24h",
  "fracture-liaison.dxa-12-weeks",
  "fracture-liaison.treatment-16-weeks",
  "depression-outcomes.response-6-months",
  "depression-outcomes.remission-6-months",
  "rule-performance",
  "cross-tab.depression-bone",
] as const;
export type QualityMetricId = (typeof QUALITY_METRIC_IDS)[number];

/** GET /api/v1/quality/metrics.csv query: the same filters and one metric. */
export const qualityExportQuerySchema = z.strictObject({
  ...filterShape,
  metric: z.enum(QUALITY_METRIC_IDS, "metric must be one of the metric ids of /metrics"),
});
export type QualityExportQuery = z.infer<typeof qualityExportQuerySchema>;

/** Filters with defaults applied: the period is always known. */
export interface QualityFilters {
  from: string;
  to: string;
  site: string | null;
  ageBand: AgeBand | null;
  sex: Sex | null;
}

/** `iso` moved by whole calendar months, clamped to the month's last day (2026-03-31 − 1 → 02-28). */
export function addMonths(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const d = Number(iso.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * Applies the defaults (to = today, from = to − 12 months) and checks the period: from on or
 * before to, at most MAX_QUALITY_PERIOD_DAYS long. Throws a 400 with field paths otherwise.
 */
export function resolveQualityFilters(query: QualityMetricsQuery, today: string): QualityFilters {
  const to = query.to ?? today;
  const from = query.from ?? addMonths(to, -12);
  if (from > to) {
    throw new AppError("bad-request", "The period is not valid.", {
      errors: [{ path: "from", message: "from must be on or before to" }],
    });
  }
  if (dayNumber(to) - dayNumber(from) > MAX_QUALITY_PERIOD_DAYS) {
    throw new AppError("bad-request", "The period is too long.", {
      errors: [{ path: "from", message: "The period may cover at most five years" }],
    });
  }
  return {
    from,
    to,
    site: query.site ?? null,
    ageBand: query.ageBand ?? null,
    sex: query.sex ?? null,
  };
}

/** The filters as a query string (only what is set), for links, exports and the URL. */
export function qualityFiltersToSearch(
  filters: Partial<QualityFilters>,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "site", "ageBand", "sex"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

export type MetricSection =
  | "screening"
  | "prevalence"
  | "time-to-action"
  | "fracture-liaison"
  | "depression-outcomes"
  | "rule-performance"
  | "cross-tab";

export type MetricUnit = "percent" | "days" | "count";

/** One month of a metric's trend. */
export interface MetricPoint {
  /** YYYY-MM */
  month: string;
  /** Percent (0–100, one decimal), median days, or a count; null when suppressed or undefined. */
  value: number | null;
  numerator: Count | null;
  denominator: Count | null;
}

/** One group of a grouped metric (a severity, a flag code and ruleset version, …). */
export interface MetricGroup {
  key: string;
  label: string;
  value: number | null;
  numerator: Count | null;
  denominator: Count | null;
  /** Named counts of the group (rule performance: fired and each way the flags ended). */
  counts?: Record<string, Count>;
}

export interface CrossTab {
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  /** Patients per row × column; every combination is present. */
  cells: { row: string; column: string; count: Count }[];
}

export interface QualityMetric {
  id: QualityMetricId;
  section: MetricSection;
  title: string;
  unit: MetricUnit;
  /** Over the whole period; null when suppressed or when nobody is counted. */
  value: number | null;
  numerator: Count | null;
  denominator: Count | null;
  series: MetricPoint[];
  /** Who is counted and who is excluded, in plain words. */
  definition: string;
  /** Where the measure comes from (guideline or product policy). */
  source: string;
  /** True/false: the direction of good; null when neither (prevalence, counts). */
  higherIsBetter: boolean | null;
  groups?: MetricGroup[];
  /** Column order of `groups[].counts` (rule performance). */
  countKeys?: { key: string; label: string }[];
  crossTab?: CrossTab;
}

export interface QualitySite {
  id: string;
  code: string;
  name: string;
}

export interface QualityMetricsResponse {
  generatedAt: string;
  /**
   * When the numbers were computed: earlier than generatedAt when they were served from the
   * result cache, which happens only while no write to the data they count has committed since
   * (so they equal a new computation).
   */
  computedAt: string;
  filters: QualityFilters;
  /** The sites the caller may choose from. */
  sites: QualitySite[];
  smallCellThreshold: number;
  /** The suppression policy in plain words. */
  suppression: string;
  /** Patients in scope (sites, sex, age band on the last day of the period), suppressed. */
  patientsInScope: Count;
  /** True when no patient matches the filters. */
  empty: boolean;
  metrics: QualityMetric[];
  /**
   * Where the figures were read: the result cache, the read replica (lagSeconds behind the
   * primary), or the primary (replica: "none" without one, "down"/"lagging" when it was unfit).
   */
  readFrom?: {
    source: "cache" | "replica" | "primary";
    replica: "ok" | "lagging" | "down" | "none";
    lagSeconds: number | null;
    /**
     * A landing view served from its kept-warm entry although data changed since computedAt
     * (the background warm-up is recomputing it).
     */
    stale?: boolean;
  };
}
