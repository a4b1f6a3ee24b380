import { sql, type SQL } from "drizzle-orm";
import type { Count, MetricGroup, QualityFilters, QualityMetric } from "@/lib/api/quality";
import { SEVERITIES } from "@/lib/clinical";
import { metricHead, type Definition } from "./definitions";
import { cohortCte, periodFlagsWhere } from "./periods";
import { partitionedRateSeries } from "./rates";
import { num, numOrNull, publishParts, publishRate, suppressCount } from "./suppression";

/* Time to action on flags: days to acknowledge and to resolve, critical flags within 24 hours. */

/**
 * One row per severity, per month the flags opened and for the period: the flags acted on
 * (`ack_*`) and resolved by a person (`res_*`), as counts (`_n`), distinct patients (`_p`) and
 * medians in days; the critical flags at least 24 hours old (`crit_den`) and those of them
 * acknowledged within the day (`crit_num`), and when such a flag last passed, or next passes,
 * its 24 hours (ISO timestamps).
 */
export type TimeToActionRow = {
  level: "severity" | "month" | "total";
  severity: string | null;
  month: string | null;
  ack_n: number;
  ack_p: number;
  ack_median: number | null;
  res_n: number;
  res_p: number;
  res_median: number | null;
  crit_den: number;
  crit_den_p: number;
  crit_num: number;
  crit_num_p: number;
  crit_last_passed: string | null;
  crit_next_passing: string | null;
};

/*
 * Per flag, the month is truncated (a timestamp) and formatted once per group, and elapsed days
 * come from date_part (float8): to_char per row and extract (numeric since PostgreSQL 14) cost a
 * large share of this query on a large cohort. Rule performance groups by month alike.
 */
export function timeToActionQuery(f: QualityFilters, siteIds: readonly string[], now: Date): SQL {
  return sql`with ${cohortCte(f, siteIds)},
  tf as (
    select f.patient_id, f.severity, f.opened_at,
      date_trunc('month', f.opened_at at time zone 'UTC') as month,
      date_part('epoch', least(f.acknowledged_at,
          case when f.resolution_code is distinct from 'no-longer-met' then f.resolved_at end)
        - f.opened_at) / 86400 as ack_days,
      case when f.status = 'resolved' and f.resolution_code is distinct from 'no-longer-met'
        then date_part('epoch', f.resolved_at - f.opened_at) / 86400 end as resolve_days,
      f.opened_at <= ${now.toISOString()}::timestamptz - interval '24 hours' as day_passed
    from flags f join cohort c on c.id = f.patient_id
    where ${periodFlagsWhere(f)}
  )
  select
    case when grouping(severity) = 0 then 'severity' when grouping(month) = 0 then 'month' else 'total' end as level,
    severity, to_char(month, 'YYYY-MM') as month,
    count(ack_days)::int as ack_n,
    (count(distinct patient_id) filter (where ack_days is not null))::int as ack_p,
    percentile_cont(0.5) within group (order by ack_days) as ack_median,
    count(resolve_days)::int as res_n,
    (count(distinct patient_id) filter (where resolve_days is not null))::int as res_p,
    percentile_cont(0.5) within group (order by resolve_days) as res_median,
    (count(*) filter (where severity = 'critical' and day_passed))::int as crit_den,
    (count(distinct patient_id) filter (where severity = 'critical' and day_passed))::int as crit_den_p,
    (count(*) filter (where severity = 'critical' and day_passed and ack_days <= 1))::int as crit_num,
    (count(distinct patient_id) filter (where severity = 'critical' and day_passed and ack_days <= 1))::int as crit_num_p,
    to_json(max(opened_at) filter (where severity = 'critical' and day_passed)) #>> '{}' as crit_last_passed,
    to_json(min(opened_at) filter (where severity = 'critical' and not day_passed)) #>> '{}' as crit_next_passing
  from tf
  group by grouping sets ((severity), (month), ())`;
}

/**
 * The only counts that move with the clock are of critical flags at least 24 hours old: when
 * the last of them passed its 24 hours, and when the next one will (ISO timestamps, or null).
 */
export function criticalFlagCrossings(rows: readonly TimeToActionRow[]): {
  lastPassed: string | null;
  nextPassing: string | null;
} {
  const total = rows.find((r) => r.level === "total");
  return {
    lastPassed: total?.crit_last_passed ?? null,
    nextPassing: total?.crit_next_passing ?? null,
  };
}

type TimeToActionId =
  | "time-to-action.acknowledge"
  | "time-to-action.resolve"
  | "time-to-action.critical-acknowledged-24h";

const DEFINITIONS: Record<TimeToActionId, Definition> = {
  "time-to-action.acknowledge": {
    title: "Days to acknowledge a flag",
    definition:
      "Median days from a flag opening to its first acknowledgement (or its resolution by a person, if that came first), by the flag's current severity. " +
      "Counted: flags of patients in scope opened in the period that a person has acted on. " +
      "Excluded: flags nobody has acted on yet, and flags closed automatically because the rule stopped firing (no-longer-met). " +
      "Days are elapsed time (24 hours = 1 day). The count is of flags. Trend: by the month the flag opened.",
    source: "Product measure of the care-team workflow.",
  },
  "time-to-action.resolve": {
    title: "Days to resolve a flag",
    definition:
      "Median days from a flag opening to its resolution by a person (treated, referred, declined, …), by the flag's current severity. " +
      "Counted: flags of patients in scope opened in the period and resolved by a person. " +
      "Excluded: flags still open, and flags closed automatically because the rule stopped firing (no-longer-met). " +
      "Days are elapsed time. The count is of flags. Trend: by the month the flag opened.",
    source: "Product measure of the care-team workflow.",
  },
  "time-to-action.critical-acknowledged-24h": {
    title: "Critical flags acknowledged within 24 hours",
    definition:
      "Counted: critical flags (suicide risk) acknowledged, or resolved by a person, within 24 hours of opening. " +
      "Out of: critical flags of patients in scope opened in the period at least 24 hours ago. " +
      "Excluded: critical flags opened less than 24 hours ago. Counts are of flags. Trend: by the month the flag opened.",
    source: "Product policy: a critical flag is due the same day (CLINICAL-RULES §11).",
  },
};

/** A median is published only when the count of flags behind it is shown and not zero. */
const medianIfShown = (shown: Count, median: number | null): number | null =>
  typeof shown === "number" && shown !== 0 ? median : null;

/**
 * The two medians (grouped by severity, trend by month; both partition the period's flags) and
 * the critical 24-hour rate.
 */
export function timeToActionMetrics(
  months: readonly string[],
  rows: TimeToActionRow[],
): QualityMetric[] {
  const total = rows.find((r) => r.level === "total");
  const bySeverity = new Map(
    rows.filter((r) => r.level === "severity").map((r) => [String(r.severity), r]),
  );
  const byMonth = new Map(rows.filter((r) => r.level === "month").map((r) => [String(r.month), r]));

  const median = (
    id: "time-to-action.acknowledge" | "time-to-action.resolve",
    kind: "ack" | "res",
  ): QualityMetric => {
    const cell = (r: TimeToActionRow | undefined) => ({
      raw: { n: num(r?.[`${kind}_n`]), patients: num(r?.[`${kind}_p`]) },
      median: numOrNull(r?.[`${kind}_median`]),
    });
    const t = cell(total);
    const totalShown = suppressCount(t.raw);
    const partsShown = (cells: ReturnType<typeof cell>[]) =>
      publishParts(
        totalShown,
        cells.map((c) => c.raw),
      );
    const sev = SEVERITIES.map((s) => cell(bySeverity.get(s)));
    const sevShown = partsShown(sev);
    const mon = months.map((m) => cell(byMonth.get(m)));
    const monShown = partsShown(mon);
    const groups: MetricGroup[] = SEVERITIES.map((s, i) => ({
      key: s,
      label: s[0]!.toUpperCase() + s.slice(1),
      value: medianIfShown(sevShown[i]!, sev[i]!.median),
      numerator: null,
      denominator: sevShown[i]!,
    }));
    return {
      ...metricHead(id, DEFINITIONS[id], {
        section: "time-to-action",
        unit: "days",
        higherIsBetter: false,
      }),
      value: medianIfShown(totalShown, t.median),
      numerator: null,
      denominator: totalShown,
      groups,
      series: months.map((month, i) => ({
        month,
        value: medianIfShown(monShown[i]!, mon[i]!.median),
        numerator: null,
        denominator: monShown[i]!,
      })),
    };
  };

  const criticalTotal = publishRate(
    { n: num(total?.crit_num), patients: num(total?.crit_num_p) },
    { n: num(total?.crit_den), patients: num(total?.crit_den_p) },
  );
  const critical: QualityMetric = {
    ...metricHead(
      "time-to-action.critical-acknowledged-24h",
      DEFINITIONS["time-to-action.critical-acknowledged-24h"],
      { section: "time-to-action", unit: "percent", higherIsBetter: true },
    ),
    ...criticalTotal,
    series: partitionedRateSeries(
      months,
      (m) => {
        const r = byMonth.get(m);
        return { num: num(r?.crit_num), den: num(r?.crit_den) };
      },
      criticalTotal,
    ),
  };
  return [
    median("time-to-action.acknowledge", "ack"),
    median("time-to-action.resolve", "res"),
    critical,
  ];
}
