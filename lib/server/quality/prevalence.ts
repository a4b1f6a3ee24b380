import { sql, type SQL } from "drizzle-orm";
import { ASSESSMENT_FLAG_BITS } from "@/db/schema";
import type { CrossTab, QualityFilters, QualityMetric, QualityMetricId } from "@/lib/api/quality";
import { BONE_FINDING_CODES, PHQ9_BANDS, phq9BandLabel } from "@/lib/clinical";
import { metricHead, withPopulation, type Definition } from "./definitions";
import { cohortCte, dateArray, lit, periodRefs, shiftedRefs } from "./periods";
import { pointInTimeRate, rateOf } from "./rates";
import { num, publishParts, suppressCount } from "./suppression";

/* Prevalence of flags among assessed patients, and the depression × bone cross-tab. */

/** Flag codes counted by the prevalence metrics (from the stored assessment's flags). */
export const PREVALENCE: readonly {
  id: QualityMetricId;
  codes: readonly string[];
  title: string;
  what: string;
}[] = [
  {
    id: "prevalence.depression-positive",
    codes: ["depression.positive"],
    title: "Positive depression screen",
    what: "a positive depression screen (depression.positive: the deciding screen is PHQ-9 ≥ 10, GDS-15 ≥ 5 or PHQ-2 ≥ 3)",
  },
  {
    id: "prevalence.bone-any",
    codes: BONE_FINDING_CODES,
    title: "Any bone flag",
    what: "any bone flag (bone.osteopenia, bone.osteoporosis, bone.severe-osteoporosis, bone.low-for-age or bone.high-fracture-risk: the findings, not the DXA-due, treatment-gap or follow-up flags)",
  },
  {
    id: "prevalence.bone-osteopenia",
    codes: ["bone.osteopenia"],
    title: "Osteopenia (low bone mass)",
    what: "bone.osteopenia (WHO applicable and lowest T-score between −2.5 and −1.0)",
  },
  {
    id: "prevalence.bone-osteoporosis",
    codes: ["bone.osteoporosis"],
    title: "Osteoporosis",
    what: "bone.osteoporosis (lowest T-score ≤ −2.5, or a hip or vertebral fragility fracture; not severe)",
  },
  {
    id: "prevalence.bone-severe-osteoporosis",
    codes: ["bone.severe-osteoporosis"],
    title: "Severe osteoporosis",
    what: "bone.severe-osteoporosis (lowest T-score ≤ −2.5 with a fragility fracture)",
  },
  {
    id: "prevalence.bone-low-for-age",
    codes: ["bone.low-for-age"],
    title: "Bone density low for age",
    what: "bone.low-for-age (WHO categories not applicable and a Z-score ≤ −2.0)",
  },
  {
    id: "prevalence.bone-high-fracture-risk",
    codes: ["bone.high-fracture-risk"],
    title: "High fracture risk (FRAX)",
    what: "bone.high-fracture-risk (FRAX major osteoporotic ≥ 20 % or hip ≥ 3 %)",
  },
  {
    id: "prevalence.comorbidity-bone-brain",
    codes: ["comorbidity.bone-brain"],
    title: "Depression with bone disease",
    what: "comorbidity.bone-brain (a positive depression screen with any bone flag or a fragility fracture)",
  },
];

/** The flag_bits of an assessment that count for PREVALENCE[i]: those of its codes. */
export function prevalenceBits(codes: readonly string[]): number {
  return codes.reduce((bits, code) => {
    const i = (ASSESSMENT_FLAG_BITS as readonly string[]).indexOf(code);
    if (i < 0) throw new Error(`${code} has no bit in assessments.flag_bits`);
    return bits | (1 << i);
  }, 0);
}

/**
 * A row of prevalenceQuery: per period (a month or 'total'; band and who null) the assessed
 * patients `den` and, in n0…n7, those with PREVALENCE[i]; for the total also one row per PHQ-9
 * band × WHO category with its patients in `n`.
 */
export type PrevalenceRow = {
  period: string;
  band: string | null;
  who: string | null;
  den: number;
  n: number;
} & { [column: `n${number}`]: number };

/**
 * Prevalence per month and for the whole period, and the depression × bone cross-tab of the
 * period, from each cohort patient's latest assessment in the window: for a month, as_of in
 * [ref − 12 months, ref]; for the total, as_of in [from, to] (rows: PrevalenceRow).
 *
 * How it is computed without visiting every patient × month: each assessment is the latest for
 * the refs from its as_of up to the day before the patient's next assessment (by as_of, then
 * created_at), and within the window for refs up to as_of + 12 months; that run of months is
 * found with binary searches (`width_bucket`) over the sorted refs. The run adds +1 at its first
 * month and −1 after its last, per (band, category, flag bits) state; a running sum per state gives
 * each month's count. The flags (as bits: ASSESSMENT_FLAG_BITS), PHQ-9 band and WHO category are
 * stored columns of the assessment, generated from its result document, and the index on
 * (patient, as_of, created_at) carries them: the assessments are read from that index alone, in
 * the order the window needs, and the large document is never read here.
 */
export function prevalenceQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  const refsList = periodRefs(f);
  const refs = dateArray(refsList);
  const n = refsList.length;
  const columns = PREVALENCE.map(
    (p, i) =>
      sql`coalesce(sum(n) filter (where bits & ${lit(prevalenceBits(p.codes))} <> 0), 0)::int as ${sql.raw(`n${i}`)}`,
  );
  return sql`with ${cohortCte(f, siteIds)},
  months as (
    select (u.i - 1)::int as k, to_char(u.r, 'YYYY-MM') as period
    from unnest(${refs}) with ordinality as u(r, i)
  ),
  seq as (
    select a.as_of, coalesce(a.phq9_band, 'none') as band, coalesce(a.who_category, 'no-dxa') as who,
      a.flag_bits as bits,
      lead(a.as_of) over (partition by a.patient_id order by a.as_of, a.created_at) as next_as_of
    from assessments a
    where a.patient_id in (select id from cohort)
      and a.as_of between least((${refsList[0]!}::date - interval '12 months')::date, ${f.from}::date)
                      and ${f.to}::date
  ),
  spans as materialized (
    select s.band, s.who, s.bits, s.as_of, s.next_as_of,
      width_bucket(s.as_of - 1, ${refs}) as k0,
      least(coalesce(width_bucket(s.next_as_of - 1, ${refs}), ${n}::int),
            width_bucket(s.as_of, ${shiftedRefs(refs, "12 months")})) as k1
    from seq s
  ),
  deltas as (
    select k, band, who, bits, sum(d)::int as d from (
      select k0 as k, band, who, bits, 1 as d from spans where k1 > k0
      union all
      select k1, band, who, bits, -1 from spans where k1 > k0
    ) x group by 1, 2, 3, 4
  ),
  latest as (
    select m.period, d.band, d.who, d.bits, sum(d.d)::int as n
    from months m join deltas d on d.k <= m.k group by 1, 2, 3, 4
    union all
    select 'total', band, who, bits, count(*)::int from spans
    where as_of >= ${f.from}::date and (next_as_of is null or next_as_of > ${f.to}::date)
    group by 2, 3, 4
  )
  select period, band, who, coalesce(sum(n), 0)::int as den, coalesce(sum(n), 0)::int as n,
    ${sql.join(columns, sql`, `)}
  from latest where n > 0
  group by grouping sets ((period), (period, band, who))`;
}

function prevalenceDefinition(what: string): string {
  return (
    `Counted: patients whose latest assessment dated in the period raised ${what}. ` +
    "Out of: patients with at least one assessment dated in the period, each counted once by their latest assessment in the period. " +
    "Excluded: patients without an assessment in the period. Assessments are the stored results of the rules; " +
    "when an observation is marked entered in error the patient is re-assessed without it, and that newer assessment counts. " +
    "Trend: for each month, the same over the 12 months ending on that month's last day (rolling)."
  );
}

const CROSS_TAB: Definition = {
  title: "Depression band × bone category",
  definition:
    "Patients with an assessment dated in the period, each counted once by their latest assessment in the period: " +
    "PHQ-9 band of the latest usable PHQ-9 in that assessment (minimal 0–4, mild 5–9, moderate 10–14, moderately severe 15–19, severe 20–27; No PHQ-9 = none in the last 365 days, or the latest one has unanswered items) " +
    "by WHO bone category on the lowest T-score (normal ≥ −1.0, low bone mass, osteoporosis ≤ −2.5, severe = osteoporosis with a fragility fracture; " +
    "not applicable = premenopausal women and men under 50; No DXA = WHO applies but no usable T-score).",
  source: "Kroenke 2001 (PHQ-9 bands); WHO 1994 / ISCD (bone categories).",
};

const DEPRESSION_BAND_ROWS = [
  ...PHQ9_BANDS.map((b) => {
    const label = phq9BandLabel(b);
    return { key: b, label: label[0]!.toUpperCase() + label.slice(1) };
  }),
  { key: "none", label: "No PHQ-9" },
];
const BONE_COLUMNS = [
  { key: "normal", label: "Normal" },
  { key: "low-bone-mass", label: "Low bone mass" },
  { key: "osteoporosis", label: "Osteoporosis" },
  { key: "severe-osteoporosis", label: "Severe osteoporosis" },
  { key: "not-applicable", label: "Not applicable" },
  { key: "no-dxa", label: "No DXA" },
];

/**
 * The prevalence metrics (a rolling window per month: the months do not add up to the period)
 * and the cross-tab of the period, whose cells partition the period's assessed patients.
 */
export function prevalenceMetrics(
  months: readonly string[],
  rows: PrevalenceRow[],
): QualityMetric[] {
  const periodRows = rows.filter((r) => r.band === null);
  const metrics: QualityMetric[] = PREVALENCE.map((p, i) => ({
    id: p.id,
    section: "prevalence",
    title: p.title,
    unit: "percent",
    higherIsBetter: null,
    definition: withPopulation(prevalenceDefinition(p.what)),
    source:
      "Flags as defined in CLINICAL-RULES §8 (the ruleset version that produced each assessment).",
    ...pointInTimeRate(months, rateOf(periodRows, { numerator: `n${i}`, denominator: "den" })),
  }));

  const counts = new Map(
    rows
      .filter((r) => r.band !== null && r.period === "total")
      .map((r) => [`${String(r.band)}|${String(r.who)}`, num(r.n)]),
  );
  const denominator = suppressCount({
    n: num(periodRows.find((r) => r.period === "total")?.den),
  });
  const combos = DEPRESSION_BAND_ROWS.flatMap((row) =>
    BONE_COLUMNS.map((col) => ({ row: row.key, column: col.key })),
  );
  const shown = publishParts(
    denominator,
    combos.map((c) => ({ n: counts.get(`${c.row}|${c.column}`) ?? 0 })),
  );
  const crossTab: CrossTab = {
    rows: DEPRESSION_BAND_ROWS,
    columns: BONE_COLUMNS,
    cells: combos.map((c, i) => ({ ...c, count: shown[i]! })),
  };
  metrics.push({
    ...metricHead("cross-tab.depression-bone", CROSS_TAB, {
      section: "cross-tab",
      unit: "count",
      higherIsBetter: null,
    }),
    value: typeof denominator === "number" ? denominator : null,
    numerator: null,
    denominator,
    series: [],
    crossTab,
  });
  return metrics;
}
