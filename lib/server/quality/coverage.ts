import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import {
  QUALITY_WINDOWS as W,
  cohortCte,
  dateArray,
  lit,
  periodIndexCte,
  periodRefs,
  shiftedRefs,
} from "./periods";
import { pointInTimeRate, rateMetrics, type RateMetric } from "./rates";

/* Screening coverage: depression screens and DXA among patients under care. */

/** The observation kinds that are depression screens (with a total when complete). */
export const SCREEN_KINDS = sql`('phq9', 'phq2', 'gds15')`;

/** One row per month and one for the period ('total'): patients counted as of its date. */
export type CoverageRow = {
  period: string;
  dep_den: number;
  dep_num: number;
  dxa_den: number;
  dxa_num: number;
  both_num: number;
};

/**
 * Screening coverage per month, as of each month's reference date `ref` (and the total, as of
 * `to`): among patients aged 65+ on `ref` with a visit in [ref − 365, ref], those with a scored
 * depression screen in [ref − 365, ref]; among those of them eligible for DXA (female, or male
 * aged 70+ on `ref`), those with a DXA in [ref − 730, ref] (the numbers: QUALITY_WINDOWS).
 *
 * How it is computed without visiting every patient × month: a dated event (a visit, a screen, a
 * DXA) counts for exactly the months whose ref lies in [date, date + window], a run of months
 * found with two binary searches (`width_bucket`) over the sorted refs; each patient's events are
 * OR-ed into one bit mask per kind (bit k = month k, at most 61 months), the age conditions are
 * masks too, and patients with identical masks are counted together before the months are
 * read off bit by bit. Equal, month for month, to the direct definition (see
 * tests/integration/quality-equivalence.test.ts).
 */
export function coverageQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  const refsList = periodRefs(f);
  // 5 × 366 days span at most 61 months: the masks fit a signed 64-bit integer.
  if (refsList.length > 62) throw new Error("quality period longer than 62 months");
  const refs = dateArray(refsList);
  const first = refsList[0]!;
  const all = sql`((1::bigint << ${refsList.length}::int) - 1)`;
  // Bits k with date ≤ ref_k ≤ date + window.
  const span = (date: SQL, window: SQL) =>
    sql`((1::bigint << width_bucket(${date} + ${window}, ${refs})) - (1::bigint << width_bucket(${date} - 1, ${refs})))`;
  // Bits k with birth_date ≤ (ref_k − years): aged `years` or more on ref_k.
  const agedFrom = (years: number) =>
    sql`(${all} - ((1::bigint << width_bucket(c.birth_date - 1, ${shiftedRefs(refs, `${years} years`)})) - 1))`;
  return sql`with ${cohortCte(f, siteIds)}, ${periodIndexCte(refsList)},
  ev as (
    select v.patient_id, 0 as kind, ${span(sql`v.occurred_on`, lit(W.lookbackDays))} as m
    from visits v
    where v.occurred_on between ${first}::date - ${lit(W.lookbackDays)} and ${f.to}::date
    union all
    select o.patient_id, case when o.kind = 'bmd' then 2 else 1 end,
      ${span(sql`o.effective`, sql`(case when o.kind = 'bmd' then ${lit(W.dxaDays)} else ${lit(W.lookbackDays)} end)`)}
    from observations o
    where o.entered_in_error_at is null
      and ((o.kind in ${SCREEN_KINDS} and o.value_num is not null
            and o.effective between ${first}::date - ${lit(W.lookbackDays)} and ${f.to}::date)
        or (o.kind = 'bmd' and o.effective between ${first}::date - ${lit(W.dxaDays)} and ${f.to}::date))
  ),
  per_patient as (
    select c.sex, c.birth_date,
      bit_or(e.m) filter (where e.kind = 0) as visited,
      coalesce(bit_or(e.m) filter (where e.kind = 1), 0) as screened,
      coalesce(bit_or(e.m) filter (where e.kind = 2), 0) as dxa
    from ev e join cohort c on c.id = e.patient_id
    group by c.id, c.sex, c.birth_date
  ),
  masks as (
    select c.visited & ${agedFrom(W.screeningAge)} as den, c.screened, c.dxa,
      case when c.sex <> 'male' then ${all} else ${agedFrom(W.dxaAgeMen)} end as eligible
    from per_patient c where c.visited is not null
  ),
  combos as (
    select den, den & screened as dep, den & eligible as el, den & eligible & dxa as dx,
      den & eligible & dxa & screened as bo, count(*)::int as n
    from masks where den <> 0 group by 1, 2, 3, 4, 5
  )
  select p.period,
    coalesce(sum(c.n) filter (where (c.den >> p.k) & 1 = 1), 0)::int as dep_den,
    coalesce(sum(c.n) filter (where (c.dep >> p.k) & 1 = 1), 0)::int as dep_num,
    coalesce(sum(c.n) filter (where (c.el >> p.k) & 1 = 1), 0)::int as dxa_den,
    coalesce(sum(c.n) filter (where (c.dx >> p.k) & 1 = 1), 0)::int as dxa_num,
    coalesce(sum(c.n) filter (where (c.bo >> p.k) & 1 = 1), 0)::int as both_num
  from periods p cross join combos c group by p.period`;
}

/** Each coverage metric: its texts and columns (numerator, denominator). */
const METRICS: readonly RateMetric<CoverageRow>[] = [
  {
    id: "screening.depression",
    numerator: "dep_num",
    denominator: "dep_den",
    title: `Depression screening (${W.screeningAge}+)`,
    definition:
      `Counted: patients with a complete depression screen (PHQ-9, PHQ-2 or GDS-15 with every item answered, or a total entered) dated within the ${W.lookbackDays} days up to the last day of the period. ` +
      `Out of: patients aged ${W.screeningAge} or over on that day who had at least one visit in those ${W.lookbackDays} days (patients under care). ` +
      `Excluded: questionnaires with unanswered items (they have no total and do not count as a screen), patients without a visit in the ${W.lookbackDays} days. ` +
      "Trend: the same, measured on the last day of each month.",
    source: "USPSTF 2023: screen adults, including those 65 and over, for depression (grade B).",
  },
  {
    id: "screening.dxa",
    numerator: "dxa_num",
    denominator: "dxa_den",
    title: `Bone density (DXA) in the last ${W.dxaDays / 365} years`,
    definition:
      `Counted: patients with any bone density (DXA) result dated within the ${W.dxaDays} days up to the last day of the period. ` +
      `Out of: patients under care (a visit in the ${W.lookbackDays} days up to that day) who are women aged ${W.screeningAge} or over, men aged ${W.dxaAgeMen} or over, or of sex other or unknown aged ${W.screeningAge} or over (product policy). ` +
      `Excluded: men aged ${W.screeningAge}–${W.dxaAgeMen - 1}, everyone under ${W.screeningAge}, patients without a visit in the ${W.lookbackDays} days. ` +
      "Trend: the same, measured on the last day of each month.",
    source:
      "USPSTF 2025 (women 65+, grade B); ISCD 2023 (men 70+); sex other or unknown from 65 is product policy (CLINICAL-RULES §4).",
  },
  {
    id: "screening.both",
    numerator: "both_num",
    denominator: "dxa_den",
    title: "Both screens (depression and DXA)",
    definition:
      `Counted: patients with both a complete depression screen in the last ${W.lookbackDays} days and a DXA result in the last ${W.dxaDays} days, up to the last day of the period. ` +
      `Out of: the DXA denominator (patients under care who are women ${W.screeningAge}+, men ${W.dxaAgeMen}+, or of sex other or unknown ${W.screeningAge}+). ` +
      "Trend: the same, measured on the last day of each month.",
    source: "USPSTF 2023 (depression) and USPSTF 2025 / ISCD 2023 (DXA).",
  },
];

/** Coverage is measured at a point in time: the period's last day, and each month's. */
export function coverageMetrics(months: readonly string[], rows: CoverageRow[]): QualityMetric[] {
  return rateMetrics(months, rows, "screening", pointInTimeRate, METRICS);
}
