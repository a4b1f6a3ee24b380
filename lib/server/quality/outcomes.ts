import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import { QUALITY_WINDOWS as W, cohortCte, lit } from "./periods";
import { partitionedRate, rateMetrics, type RateMetric } from "./rates";

/* Depression outcomes: response and remission on the PHQ-9 six months after an index score. */

/** One row per month the 6-month window ends and one for the period ('total'): patients. */
export type OutcomesRow = {
  period: string;
  den: number;
  response: number;
  remission: number;
};

/**
 * Each cohort patient's first PHQ-9 of 10 or more whose 6-month window ends in the period, and
 * the latest PHQ-9 of that window: responded (at most half the index) or in remission (below 5).
 */
export function outcomesQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)},
  idx as (
    select distinct on (o.patient_id) o.patient_id, o.effective as b, o.value_num as score
    from observations o join cohort c on c.id = o.patient_id
    where o.kind = 'phq9' and o.entered_in_error_at is null and o.value_num >= 10
      and o.effective between ${f.from}::date - ${lit(W.followUpToDays)} and ${f.to}::date - ${lit(W.followUpToDays)}
    order by o.patient_id, o.effective, o.value_num desc
  ),
  k as (
    select to_char(i.b + ${lit(W.followUpToDays)}, 'YYYY-MM') as month, i.score,
      (select o.value_num from observations o
       where o.patient_id = i.patient_id and o.kind = 'phq9' and o.entered_in_error_at is null
         and o.value_num is not null
         and o.effective between i.b + ${lit(W.followUpFromDays)} and i.b + ${lit(W.followUpToDays)}
       order by o.effective desc, o.value_num desc limit 1) as fu
    from idx i
  )
  select case when grouping(month) = 0 then month else 'total' end as period,
    count(*)::int as den,
    (count(*) filter (where fu <= score * 0.5))::int as response,
    (count(*) filter (where fu < 5))::int as remission
  from k group by grouping sets ((month), ())`;
}

/** Each outcome metric: its texts and columns (numerator, denominator). */
const METRICS: readonly RateMetric<OutcomesRow>[] = [
  {
    id: "depression-outcomes.response-6-months",
    numerator: "response",
    denominator: "den",
    title: "Depression response at 6 months",
    definition:
      `Counted: patients whose follow-up PHQ-9 (the latest complete PHQ-9 dated ${W.followUpFromDays} to ${W.followUpToDays} days after the index, i.e. 6 months ± ${(W.followUpToDays - W.followUpFromDays) / 2} days) is at most half the index score (a drop of 50 % or more). ` +
      `Out of: patients whose index PHQ-9 — their first complete PHQ-9 of 10 or more with its 6-month window ending in the period (dated ${W.followUpToDays} days before the period start up to ${W.followUpToDays} days before its end) — qualifies. ` +
      "Patients without a follow-up PHQ-9 stay in the denominator as not responded. Excluded: PHQ-2 and GDS-15 screens, incomplete PHQ-9s. " +
      "Trend: by the month the 6-month window ends.",
    source: "Collaborative care treat-to-target (AIMS); PHQ-9 response = 50 % drop (Kroenke 2001).",
  },
  {
    id: "depression-outcomes.remission-6-months",
    numerator: "remission",
    denominator: "den",
    title: "Depression remission at 6 months",
    definition:
      `Counted: patients whose follow-up PHQ-9 (the latest complete PHQ-9 dated ${W.followUpFromDays} to ${W.followUpToDays} days after the index) is below 5. ` +
      "Out of: the same patients as for response (first complete PHQ-9 of 10 or more whose 6-month window ends in the period). " +
      "Patients without a follow-up PHQ-9 stay in the denominator as not in remission. " +
      "Trend: by the month the 6-month window ends.",
    source: "PHQ-9 remission = total below 5 (Kroenke 2001; AIMS).",
  },
];

/** Both rates, their trend by the month the window ends (the months partition the period). */
export function outcomeMetrics(months: readonly string[], rows: OutcomesRow[]): QualityMetric[] {
  return rateMetrics(months, rows, "depression-outcomes", partitionedRate, METRICS);
}
