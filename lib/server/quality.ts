import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { queryRows, readInOneSnapshot, type Db, type Tx } from "@/db/client";
import { ASSESSMENT_FLAG_BITS } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import {
  COMPLEMENT_MARKER,
  SMALL_CELL_MARKER,
  resolveQualityFilters,
  type Count,
  type CrossTab,
  type MetricGroup,
  type MetricPoint,
  type QualityFilters,
  type QualityMetric,
  type QualityMetricId,
  type QualityMetricsQuery,
  type QualityMetricsResponse,
  type QualitySite,
} from "@/lib/api/quality";
import {
  BONE_FINDING_CODES,
  OSTEOPOROSIS_TREATMENT_CLASSES,
  PHQ9_BANDS,
  SEVERITIES,
  phq9BandLabel,
} from "@/lib/clinical";
import { recordAudit } from "./audit";
import { toCsv } from "./csv";

export { csvCell, toCsv } from "./csv";
import { cdsFeedbackCounts } from "./cds";
import type { Ctx } from "./context";
import { addDays, todayIso } from "./dates";

/*
 * De-identified aggregate quality metrics (issue #6). Every number is aggregated in SQL; only
 * aggregated rows come back to JavaScript, where they are suppressed and shaped. Nothing here
 * returns a patient id, name, MRN or birth date.
 */

/** Policy: a cell counting 1–10 patients is never published (shown as "<11"). Zero is shown. */
export const SMALL_CELL_THRESHOLD = 11;

export const SUPPRESSION_POLICY =
  `Any count of 1 to ${SMALL_CELL_THRESHOLD - 1} patients (numerator, denominator, trend point, ` +
  `group or heatmap cell) is shown as "${SMALL_CELL_MARKER}" and its percentage is withheld; ` +
  `zero is shown as 0. A count that would let a hidden one be worked out by subtraction (the ` +
  `rest of a total, or the last visible part of a total) is hidden too ("${COMPLEMENT_MARKER}" in ` +
  `the API and CSV, "hidden" on the page). ` +
  `Flag counts are suppressed when the flags come from fewer than ${SMALL_CELL_THRESHOLD} patients.`;

const POPULATION =
  "Population: patients of the selected site (or all of your sites) matching the sex and age band " +
  "filters, age in whole years on the last day of the period. Observations marked entered in error " +
  "are never counted. Dates are calendar days (UTC).";

// ---------------------------------------------------------------------------------------------
// Pure helpers (unit-tested): suppression, months, CSV.
// ---------------------------------------------------------------------------------------------

/** A raw count and how many distinct patients it comes from (the same for patient counts). */
export interface RawCount {
  n: number;
  patients?: number;
}

/** Primary suppression: 0 stays 0; a count from 1–10 patients (or of 1–10 items) becomes "<11". */
export function suppressCount(raw: RawCount): Count {
  if (raw.n <= 0) return 0;
  const patients = raw.patients ?? raw.n;
  if (raw.n < SMALL_CELL_THRESHOLD || patients < SMALL_CELL_THRESHOLD) return SMALL_CELL_MARKER;
  return raw.n;
}

/** Percent with one decimal. */
export function percent(numerator: number, denominator: number): number {
  return Math.round((numerator / denominator) * 1000) / 10;
}

export interface PublishedRate {
  value: number | null;
  numerator: Count;
  denominator: Count;
}

/**
 * A proportion as published: each count suppressed when small, and the numerator also hidden
 * when the rest of the denominator (denominator − numerator) is 1–10, since subtraction would
 * reveal it. The percentage only when both counts are shown.
 */
export function publishRate(numerator: RawCount, denominator: RawCount): PublishedRate {
  const den = suppressCount(denominator);
  let num = suppressCount(numerator);
  const rest = denominator.n - numerator.n;
  if (typeof num === "number" && typeof den === "number" && rest > 0 && rest < SMALL_CELL_THRESHOLD)
    num = COMPLEMENT_MARKER;
  const value =
    typeof num === "number" && typeof den === "number" && denominator.n > 0
      ? percent(numerator.n, denominator.n)
      : null;
  return { value, numerator: num, denominator: den };
}

/**
 * Complementary suppression for parts that add up to a published total: while the hidden parts
 * add up to 1–10 (so one could be worked out as total − visible parts), hide the smallest
 * visible non-zero part too. Returns the parts as published.
 */
export function protectPartition(
  total: Count | null,
  parts: readonly { n: number; shown: Count }[],
): Count[] {
  const out = parts.map((p) => p.shown);
  if (typeof total !== "number") return out;
  let hidden = parts.reduce((sum, p, i) => (typeof out[i] === "number" ? sum : sum + p.n), 0);
  while (hidden > 0 && hidden < SMALL_CELL_THRESHOLD) {
    let pick = -1;
    parts.forEach((p, i) => {
      if (typeof out[i] === "number" && p.n > 0 && (pick < 0 || p.n < parts[pick]!.n)) pick = i;
    });
    if (pick < 0) break;
    out[pick] = COMPLEMENT_MARKER;
    hidden += parts[pick]!.n;
  }
  return out;
}

/** Every month (YYYY-MM) from the month of `from` to the month of `to`, inclusive. */
export function monthsOfPeriod(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

/** One metric as CSV rows, with the same suppression as the JSON. */
export function metricToCsv(metric: QualityMetric, filters: QualityFilters): string {
  if (metric.crossTab) {
    const rowLabel = new Map(metric.crossTab.rows.map((r) => [r.key, r.label]));
    const colLabel = new Map(metric.crossTab.columns.map((c) => [c.key, c.label]));
    return toCsv([
      ["metric", "from", "to", "depression_band", "bone_category", "patients"],
      ...metric.crossTab.cells.map((c) => [
        metric.id,
        filters.from,
        filters.to,
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
      ...metric.groups.map((g) => [
        metric.id,
        filters.from,
        filters.to,
        g.label,
        ...keys.map((k) => g.counts?.[k.key] ?? 0),
      ]),
    ]);
  }
  const rows: (string | number | null)[][] = [
    ["metric", "from", "to", "row", "month", "group", "value", "unit", "numerator", "denominator"],
    [
      metric.id,
      filters.from,
      filters.to,
      "period",
      "",
      "",
      metric.value,
      metric.unit,
      metric.numerator,
      metric.denominator,
    ],
  ];
  for (const g of metric.groups ?? []) {
    rows.push([
      metric.id,
      filters.from,
      filters.to,
      "group",
      "",
      g.label,
      g.value,
      metric.unit,
      g.numerator,
      g.denominator,
    ]);
  }
  for (const p of metric.series) {
    rows.push([
      metric.id,
      filters.from,
      filters.to,
      "month",
      p.month,
      "",
      p.value,
      metric.unit,
      p.numerator,
      p.denominator,
    ]);
  }
  return toCsv(rows);
}

// ---------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;

/** Patients in scope: sites, sex, age band on the last day of the period. */
export function cohortCte(f: QualityFilters, siteIds: readonly string[]): SQL {
  const to = sql`${f.to}::date`;
  const ageAtLeast = (years: number) =>
    sql`p.birth_date <= (${to} - make_interval(years => ${years}::int))::date`;
  const ageBelow = (years: number) =>
    sql`p.birth_date > (${to} - make_interval(years => ${years}::int))::date`;
  const conditions: SQL[] = [
    siteIds.length > 0
      ? sql`p.site_id in (${sql.join(
          siteIds.map((s) => sql`${s}::uuid`),
          sql`, `,
        )})`
      : sql`false`,
  ];
  if (f.sex) conditions.push(sql`p.sex = ${f.sex}`);
  switch (f.ageBand) {
    case "<65":
      conditions.push(ageBelow(65));
      break;
    case "65-74":
      conditions.push(ageAtLeast(65), ageBelow(75));
      break;
    case "75-84":
      conditions.push(ageAtLeast(75), ageBelow(85));
      break;
    case "85+":
      conditions.push(ageAtLeast(85));
      break;
    case null:
      break;
  }
  return sql`cohort as (
    select p.id, p.sex, p.birth_date from patients p where ${sql.join(conditions, sql` and `)}
  )`;
}

/**
 * The reference date of each month of the period, in order: the month's last day, or `to` for
 * the month of `to`. Passed to SQL as one `date[]` so that `width_bucket` can find, by binary
 * search, the months a date falls into (`width_bucket(d, refs)` = how many refs are ≤ d).
 */
export function periodRefs(f: QualityFilters): string[] {
  return monthsOfPeriod(f.from, f.to).map((month) => {
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return end < f.to ? end : f.to;
  });
}

/** A date[] literal for SQL (ISO dates only, from periodRefs). */
function dateArray(dates: readonly string[]): SQL {
  return sql`${`{${dates.join(",")}}`}::date[]`;
}

/** `refs` each shifted by a PostgreSQL interval, in the same order (for width_bucket). */
function shiftedRefs(refs: SQL, interval: string): SQL {
  return sql`array(select (r - ${interval}::interval)::date
    from unnest(${refs}) with ordinality as u(r, i) order by i)`;
}

/** The month rows (k = 0…n−1) and the 'total' row (the last month's k: same reference date). */
function periodIndexCte(refs: readonly string[]): SQL {
  return sql`periods as (
    select (u.i - 1)::int as k, to_char(u.r, 'YYYY-MM') as period
    from unnest(${dateArray(refs)}) with ordinality as u(r, i)
    union all
    select ${refs.length - 1}::int, 'total'
  )`;
}

export const SCREEN_KINDS = sql`('phq9', 'phq2', 'gds15')`;

/**
 * The ages and windows the quality metrics count with, written once for the SQL and for the
 * definitions shown beside each metric, so that the two cannot disagree.
 */
export const QUALITY_WINDOWS = {
  /** Depression screening and DXA denominators from this age (USPSTF 2023; USPSTF 2025 women). */
  screeningAge: 65,
  /** Men join the DXA denominator at this age (ISCD 2023). */
  dxaAgeMen: 70,
  /** Under care = a visit in this many days up to the reference day; a screen counts as long. */
  lookbackDays: 365,
  /** A DXA counts this long (two years; CLINICAL-RULES §4 repeats a DXA after 730 days). */
  dxaDays: 730,
  /** IOF Capture the Fracture (Javaid et al. 2020): DXA within 12 weeks of the fracture… */
  fractureDxaDays: 84,
  /** …and treatment within 16 weeks. */
  fractureTreatmentDays: 112,
  /** The follow-up PHQ-9: 6 months ± 60 days after the index (AIMS treat-to-target). */
  followUpFromDays: 120,
  followUpToDays: 240,
} as const;
const W = QUALITY_WINDOWS;
/** A window or age as an SQL literal (the SQL text stays what it was with the numbers inline). */
const lit = (n: number): SQL => sql.raw(String(n));
const TREATMENT_CLASSES = sql.join(
  OSTEOPOROSIS_TREATMENT_CLASSES.map((c) => sql`${c}`),
  sql`, `,
);

interface CoverageRow extends Row {
  period: string;
  dep_den: number;
  dep_num: number;
  dxa_den: number;
  dxa_num: number;
  both_num: number;
}

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
 * Prevalence per month and for the whole period, and the depression × bone cross-tab of the
 * period, from each cohort patient's latest assessment in the window: for a month, as_of in
 * [ref − 12 months, ref]; for the total, as_of in [from, to]. Rows: one per period (band and
 * who null) with `den` and n0…n7 (PREVALENCE order), and for the total one per band × WHO
 * category with `n`.
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

/** Flags of the cohort opened in the period (UTC days). */
function periodFlagsWhere(f: QualityFilters): SQL {
  return sql`f.opened_at >= ${`${f.from}T00:00:00Z`}::timestamptz
    and f.opened_at < ${`${addDays(f.to, 1)}T00:00:00Z`}::timestamptz`;
}

/*
 * Per flag, the month is truncated (a timestamp) and formatted once per group, and elapsed days
 * come from date_part (float8): to_char per row and extract (numeric since PostgreSQL 14) were
 * about a fifth of this query's time at 100 000 patients. Rule performance groups by month alike.
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

function fractureQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)},
  idx as (
    select distinct on (o.patient_id) o.patient_id, o.effective as fx
    from observations o join cohort c on c.id = o.patient_id
    where o.kind = 'fracture' and o.entered_in_error_at is null
      and o.payload @> '{"fragility": true}'::jsonb
      and o.effective between ${f.from}::date and ${f.to}::date
    order by o.patient_id, o.effective
  ),
  k as (
    select to_char(i.fx, 'YYYY-MM') as month,
      i.fx + ${lit(W.fractureDxaDays)} <= ${f.to}::date as dxa_due,
      i.fx + ${lit(W.fractureTreatmentDays)} <= ${f.to}::date as tx_due,
      exists (select 1 from observations o
              where o.patient_id = i.patient_id and o.kind = 'bmd' and o.entered_in_error_at is null
                and o.effective between i.fx and i.fx + ${lit(W.fractureDxaDays)}) as dxa_ok,
      exists (select 1 from observations o
              where o.patient_id = i.patient_id and o.kind = 'medication'
                and o.entered_in_error_at is null
                and o.payload->>'class' in (${TREATMENT_CLASSES})
                and o.effective between i.fx and i.fx + ${lit(W.fractureTreatmentDays)}) as tx_ok
    from idx i
  )
  select case when grouping(month) = 0 then month else 'total' end as period,
    (count(*) filter (where dxa_due))::int as dxa_den,
    (count(*) filter (where dxa_due and dxa_ok))::int as dxa_num,
    (count(*) filter (where tx_due))::int as tx_den,
    (count(*) filter (where tx_due and tx_ok))::int as tx_num
  from k group by grouping sets ((month), ())`;
}

function outcomesQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
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

export function rulePerformanceQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)},
  rf as (
    select f.code, f.ruleset_version as version, f.patient_id,
      date_trunc('month', f.opened_at at time zone 'UTC') as month,
      case when f.status <> 'resolved' then 'still-open'
           else coalesce(f.resolution_code, 'other') end as outcome
    from flags f join cohort c on c.id = f.patient_id
    where ${periodFlagsWhere(f)}
  )
  select
    case when grouping(month) = 0 then 'month'
         when grouping(outcome) = 0 then 'outcome'
         when grouping(code) = 0 then 'rule'
         else 'total' end as level,
    code, version, outcome, to_char(month, 'YYYY-MM') as month,
    count(*)::int as n, count(distinct patient_id)::int as p
  from rf
  group by grouping sets ((code, version, outcome), (code, version), (month), ())`;
}

// ---------------------------------------------------------------------------------------------
// Shaping
// ---------------------------------------------------------------------------------------------

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

/** Resolution reasons in display order; anything else is listed after them. */
const OUTCOME_KEYS = [
  { key: "still-open", label: "Still open" },
  { key: "no-longer-met", label: "No longer met (automatic)" },
  { key: "treated", label: "Treated" },
  { key: "referred", label: "Referred" },
  { key: "patient-declined", label: "Patient declined" },
  { key: "not-clinically-relevant", label: "Not clinically relevant" },
  { key: "duplicate", label: "Duplicate" },
  { key: "other", label: "Other" },
];

/** A rate series whose months partition the total (events dated in a month). */
function partitionedRateSeries(
  months: readonly string[],
  byMonth: Map<string, { num: number; den: number }>,
  total: PublishedRate,
): MetricPoint[] {
  const raw = months.map((m) => byMonth.get(m) ?? { num: 0, den: 0 });
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

/** When a denominator is hidden, a shown non-zero numerator could still narrow it down: hide it. */
function hideIfShown(c: Count): Count {
  return typeof c === "number" && c > 0 ? COMPLEMENT_MARKER : c;
}

interface Defn {
  title: string;
  definition: string;
  source: string;
}

const DEFS: Record<Exclude<QualityMetricId, `prevalence.${string}`>, Defn> = {
  "screening.depression": {
    title: `Depression screening (${W.screeningAge}+)`,
    definition:
      `Counted: patients with a complete depression screen (PHQ-9, PHQ-2 or GDS-15 with every item answered, or a total entered) dated within the ${W.lookbackDays} days up to the last day of the period. ` +
      `Out of: patients aged ${W.screeningAge} or over on that day who had at least one visit in those ${W.lookbackDays} days (patients under care). ` +
      `Excluded: questionnaires with unanswered items (they have no total and do not count as a screen), patients without a visit in the ${W.lookbackDays} days. ` +
      "Trend: the same, measured on the last day of each month.",
    source: "USPSTF 2023: screen adults, including those 65 and over, for depression (grade B).",
  },
  "screening.dxa": {
    title: `Bone density (DXA) in the last ${W.dxaDays / 365} years`,
    definition:
      `Counted: patients with any bone density (DXA) result dated within the ${W.dxaDays} days up to the last day of the period. ` +
      `Out of: patients under care (a visit in the ${W.lookbackDays} days up to that day) who are women aged ${W.screeningAge} or over, men aged ${W.dxaAgeMen} or over, or of sex other or unknown aged ${W.screeningAge} or over (product policy). ` +
      `Excluded: men aged ${W.screeningAge}–${W.dxaAgeMen - 1}, everyone under ${W.screeningAge}, patients without a visit in the ${W.lookbackDays} days. ` +
      "Trend: the same, measured on the last day of each month.",
    source:
      "USPSTF 2025 (women 65+, grade B); ISCD 2023 (men 70+); sex other or unknown from 65 is product policy (CLINICAL-RULES §4).",
  },
  "screening.both": {
    title: "Both screens (depression and DXA)",
    definition:
      `Counted: patients with both a complete depression screen in the last ${W.lookbackDays} days and a DXA result in the last ${W.dxaDays} days, up to the last day of the period. ` +
      `Out of: the DXA denominator (patients under care who are women ${W.screeningAge}+, men ${W.dxaAgeMen}+, or of sex other or unknown ${W.screeningAge}+). ` +
      "Trend: the same, measured on the last day of each month.",
    source: "USPSTF 2023 (depression) and USPSTF 2025 / ISCD 2023 (DXA).",
  },
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
    source: "Product policy: a critical flag is due the same day (CLINICAL-RULES §8).",
  },
  "fracture-liaison.dxa-12-weeks": {
    title: `DXA within ${W.fractureDxaDays / 7} weeks of a fragility fracture`,
    definition:
      `Counted: patients with a DXA result dated on the day of the fracture or in the ${W.fractureDxaDays} days (${W.fractureDxaDays / 7} weeks) after it. ` +
      `Out of: patients whose first fragility fracture (entered with fragility = yes) dated in the period is at least ${W.fractureDxaDays} days before the end of the period, so the ${W.fractureDxaDays / 7} weeks have passed. ` +
      `Excluded: fractures not marked as fragility fractures, fractures in the last ${W.fractureDxaDays / 7} weeks of the period, a DXA dated before the fracture. ` +
      "Trend: by the month of the fracture.",
    source: "IOF Capture the Fracture KPIs (Javaid et al. 2020): DXA within 12 weeks.",
  },
  "fracture-liaison.treatment-16-weeks": {
    title: `Osteoporosis treatment within ${W.fractureTreatmentDays / 7} weeks of a fragility fracture`,
    definition:
      `Counted: patients with an osteoporosis medication (bisphosphonate, denosumab, teriparatide, abaloparatide, romosozumab or raloxifene) recorded on the day of the fracture or in the ${W.fractureTreatmentDays} days (${W.fractureTreatmentDays / 7} weeks) after it. ` +
      `Out of: patients whose first fragility fracture dated in the period is at least ${W.fractureTreatmentDays} days before the end of the period. ` +
      `Excluded: fractures not marked as fragility fractures, fractures in the last ${W.fractureTreatmentDays / 7} weeks of the period, treatment recorded only before the fracture. ` +
      "Trend: by the month of the fracture.",
    source:
      "IOF Capture the Fracture KPIs (Javaid et al. 2020): treatment started within 16 weeks.",
  },
  "depression-outcomes.response-6-months": {
    title: "Depression response at 6 months",
    definition:
      `Counted: patients whose follow-up PHQ-9 (the latest complete PHQ-9 dated ${W.followUpFromDays} to ${W.followUpToDays} days after the index, i.e. 6 months ± ${(W.followUpToDays - W.followUpFromDays) / 2} days) is at most half the index score (a drop of 50 % or more). ` +
      `Out of: patients whose index PHQ-9 — their first complete PHQ-9 of 10 or more with its 6-month window ending in the period (dated ${W.followUpToDays} days before the period start up to ${W.followUpToDays} days before its end) — qualifies. ` +
      "Patients without a follow-up PHQ-9 stay in the denominator as not responded. Excluded: PHQ-2 and GDS-15 screens, incomplete PHQ-9s. " +
      "Trend: by the month the 6-month window ends.",
    source: "Collaborative care treat-to-target (AIMS); PHQ-9 response = 50 % drop (Kroenke 2001).",
  },
  "depression-outcomes.remission-6-months": {
    title: "Depression remission at 6 months",
    definition:
      `Counted: patients whose follow-up PHQ-9 (the latest complete PHQ-9 dated ${W.followUpFromDays} to ${W.followUpToDays} days after the index) is below 5. ` +
      "Out of: the same patients as for response (first complete PHQ-9 of 10 or more whose 6-month window ends in the period). " +
      "Patients without a follow-up PHQ-9 stay in the denominator as not in remission. " +
      "Trend: by the month the 6-month window ends.",
    source: "PHQ-9 remission = total below 5 (Kroenke 2001; AIMS).",
  },
  "rule-performance": {
    title: "Rule performance",
    definition:
      "Flags of patients in scope opened in the period, per flag code and ruleset version: how many opened, and how they have ended so far — each resolution reason a person gave, " +
      "no-longer-met (closed automatically when the rule stopped firing) or still open (open, acknowledged or snoozed). " +
      "Counts are of flags; a cell whose flags come from fewer than 11 patients is suppressed. Trend: flags opened per month.",
    source: "Product measure; ruleset versions as in CLINICAL-RULES.",
  },
  "cross-tab.depression-bone": {
    title: "Depression band × bone category",
    definition:
      "Patients with an assessment dated in the period, each counted once by their latest assessment in the period: " +
      "PHQ-9 band of the latest usable PHQ-9 in that assessment (minimal 0–4, mild 5–9, moderate 10–14, moderately severe 15–19, severe 20–27; No PHQ-9 = none in the last 365 days, or the latest one has unanswered items) " +
      "by WHO bone category on the lowest T-score (normal ≥ −1.0, low bone mass, osteoporosis ≤ −2.5, severe = osteoporosis with a fragility fracture; " +
      "not applicable = premenopausal women and men under 50; No DXA = WHO applies but no usable T-score).",
    source: "Kroenke 2001 (PHQ-9 bands); WHO 1994 / ISCD (bone categories).",
  },
};

function prevalenceDefinition(what: string): string {
  return (
    `Counted: patients whose latest assessment dated in the period raised ${what}. ` +
    "Out of: patients with at least one assessment dated in the period, each counted once by their latest assessment in the period. " +
    "Excluded: patients without an assessment in the period. Assessments are the stored results of the rules; " +
    "when an observation is marked entered in error the patient is re-assessed without it, and that newer assessment counts. " +
    "Trend: for each month, the same over the 12 months ending on that month's last day (rolling)."
  );
}

function withPopulation(definition: string): string {
  return `${definition} ${POPULATION}`;
}

/** What the metrics query returns before JSON shaping: only aggregates. */
interface Aggregates {
  patientsInScope: number;
  coverage: CoverageRow[];
  prevalence: Row[];
  crossTab: Row[];
  timeToAction: Row[];
  fractures: Row[];
  outcomes: Row[];
  rules: Row[];
}

function buildMetrics(filters: QualityFilters, a: Aggregates): QualityMetric[] {
  const months = monthsOfPeriod(filters.from, filters.to);
  const metrics: QualityMetric[] = [];
  const base = (id: Exclude<QualityMetricId, `prevalence.${string}`>) => ({
    id,
    title: DEFS[id].title,
    definition: withPopulation(DEFS[id].definition),
    source: DEFS[id].source,
  });

  // Screening coverage: point-in-time measures (months do not add up to the total).
  const cov = new Map(a.coverage.map((r) => [r.period, r]));
  const coverage = (
    id: "screening.depression" | "screening.dxa" | "screening.both",
    numOf: (r: CoverageRow) => number,
    denOf: (r: CoverageRow) => number,
  ): QualityMetric => {
    const at = (key: string) => {
      const r = cov.get(key);
      return publishRate({ n: r ? numOf(r) : 0 }, { n: r ? denOf(r) : 0 });
    };
    return {
      ...base(id),
      section: "screening",
      unit: "percent",
      higherIsBetter: true,
      ...at("total"),
      series: months.map((month) => ({ month, ...at(month) })),
    };
  };
  metrics.push(
    coverage(
      "screening.depression",
      (r) => r.dep_num,
      (r) => r.dep_den,
    ),
    coverage(
      "screening.dxa",
      (r) => r.dxa_num,
      (r) => r.dxa_den,
    ),
    coverage(
      "screening.both",
      (r) => r.both_num,
      (r) => r.dxa_den,
    ),
  );

  // Prevalence (rolling windows for the trend).
  const prev = new Map(a.prevalence.map((r) => [String(r.period), r]));
  PREVALENCE.forEach((p, i) => {
    const at = (key: string) => {
      const r = prev.get(key);
      return publishRate({ n: num(r?.[`n${i}`]) }, { n: num(r?.den) });
    };
    metrics.push({
      id: p.id,
      section: "prevalence",
      title: p.title,
      unit: "percent",
      higherIsBetter: null,
      definition: withPopulation(prevalenceDefinition(p.what)),
      source:
        "Flags as defined in CLINICAL-RULES §8 (the ruleset version that produced each assessment).",
      ...at("total"),
      series: months.map((month) => ({ month, ...at(month) })),
    });
  });

  // Time to action.
  const tta = a.timeToAction;
  const ttaTotal = tta.find((r) => r.level === "total");
  const ttaBySeverity = new Map(
    tta.filter((r) => r.level === "severity").map((r) => [String(r.severity), r]),
  );
  const ttaByMonth = new Map(
    tta.filter((r) => r.level === "month").map((r) => [String(r.month), r]),
  );
  const median = (
    kind: "ack" | "res",
    id: "time-to-action.acknowledge" | "time-to-action.resolve",
  ) => {
    const cell = (r: Row | undefined) => {
      const raw = { n: num(r?.[`${kind}_n`]), patients: num(r?.[`${kind}_p`]) };
      return { raw, shown: suppressCount(raw), median: numOrNull(r?.[`${kind}_median`]) };
    };
    const total = cell(ttaTotal);
    const sev = SEVERITIES.map((s) => cell(ttaBySeverity.get(s)));
    const sevShown = protectPartition(
      total.shown,
      sev.map((c) => ({ n: c.raw.n, shown: c.shown })),
    );
    const mon = months.map((m) => cell(ttaByMonth.get(m)));
    const monShown = protectPartition(
      total.shown,
      mon.map((c) => ({ n: c.raw.n, shown: c.shown })),
    );
    const groups: MetricGroup[] = SEVERITIES.map((s, i) => ({
      key: s,
      label: s[0]!.toUpperCase() + s.slice(1),
      value: typeof sevShown[i] === "number" && sevShown[i] !== 0 ? sev[i]!.median : null,
      numerator: null,
      denominator: sevShown[i]!,
    }));
    metrics.push({
      ...base(id),
      section: "time-to-action",
      unit: "days",
      higherIsBetter: false,
      value: typeof total.shown === "number" && total.shown !== 0 ? total.median : null,
      numerator: null,
      denominator: total.shown,
      groups,
      series: months.map((month, i) => ({
        month,
        value: typeof monShown[i] === "number" && monShown[i] !== 0 ? mon[i]!.median : null,
        numerator: null,
        denominator: monShown[i]!,
      })),
    });
  };
  median("ack", "time-to-action.acknowledge");
  median("res", "time-to-action.resolve");
  {
    const rate = (r: Row | undefined) =>
      publishRate(
        { n: num(r?.crit_num), patients: num(r?.crit_num_p) },
        { n: num(r?.crit_den), patients: num(r?.crit_den_p) },
      );
    const total = rate(ttaTotal);
    const byMonth = new Map(
      months.map((m) => {
        const r = ttaByMonth.get(m);
        return [m, { num: num(r?.crit_num), den: num(r?.crit_den) }] as const;
      }),
    );
    metrics.push({
      ...base("time-to-action.critical-acknowledged-24h"),
      section: "time-to-action",
      unit: "percent",
      higherIsBetter: true,
      ...total,
      series: partitionedRateSeries(months, byMonth, total),
    });
  }

  // Fracture liaison.
  const fx = new Map(a.fractures.map((r) => [String(r.period), r]));
  const fls = (
    id: "fracture-liaison.dxa-12-weeks" | "fracture-liaison.treatment-16-weeks",
    prefix: "dxa" | "tx",
  ) => {
    const pick = (r: Row | undefined) => ({
      num: num(r?.[`${prefix}_num`]),
      den: num(r?.[`${prefix}_den`]),
    });
    const t = pick(fx.get("total"));
    const total = publishRate({ n: t.num }, { n: t.den });
    metrics.push({
      ...base(id),
      section: "fracture-liaison",
      unit: "percent",
      higherIsBetter: true,
      ...total,
      series: partitionedRateSeries(
        months,
        new Map(months.map((m) => [m, pick(fx.get(m))])),
        total,
      ),
    });
  };
  fls("fracture-liaison.dxa-12-weeks", "dxa");
  fls("fracture-liaison.treatment-16-weeks", "tx");

  // Depression outcomes (trend by the month the window ends; only months in the period).
  const out = new Map(a.outcomes.map((r) => [String(r.period), r]));
  const outcome = (
    id: "depression-outcomes.response-6-months" | "depression-outcomes.remission-6-months",
    column: "response" | "remission",
  ) => {
    const pick = (r: Row | undefined) => ({ num: num(r?.[column]), den: num(r?.den) });
    const t = pick(out.get("total"));
    const total = publishRate({ n: t.num }, { n: t.den });
    metrics.push({
      ...base(id),
      section: "depression-outcomes",
      unit: "percent",
      higherIsBetter: true,
      ...total,
      series: partitionedRateSeries(
        months,
        new Map(months.map((m) => [m, pick(out.get(m))])),
        total,
      ),
    });
  };
  outcome("depression-outcomes.response-6-months", "response");
  outcome("depression-outcomes.remission-6-months", "remission");

  // Rule performance.
  {
    const rules = a.rules;
    const totalRow = rules.find((r) => r.level === "total");
    const totalRaw = { n: num(totalRow?.n), patients: num(totalRow?.p) };
    const totalShown = suppressCount(totalRaw);
    const ruleRows = rules
      .filter((r) => r.level === "rule")
      .sort((x, y) =>
        `${String(x.code)}@${String(x.version)}`.localeCompare(
          `${String(y.code)}@${String(y.version)}`,
        ),
      );
    const seenOutcomes = new Set(
      rules.filter((r) => r.level === "outcome").map((r) => String(r.outcome)),
    );
    const countKeys = [
      { key: "fired", label: "Opened" },
      ...OUTCOME_KEYS,
      ...[...seenOutcomes]
        .filter((o) => !OUTCOME_KEYS.some((k) => k.key === o))
        .sort()
        .map((o) => ({ key: o, label: o })),
    ];
    const firedRaw = ruleRows.map((r) => ({ n: num(r.n), patients: num(r.p) }));
    const firedShown = protectPartition(
      totalShown,
      firedRaw.map((raw) => ({ n: raw.n, shown: suppressCount(raw) })),
    );
    const groups: MetricGroup[] = ruleRows.map((r, i) => {
      const code = String(r.code);
      const version = String(r.version);
      const fired = firedShown[i]!;
      const outcomeKeys = countKeys.slice(1);
      const raws = outcomeKeys.map((k) => {
        const o = rules.find(
          (x) =>
            x.level === "outcome" &&
            x.code === r.code &&
            x.version === r.version &&
            x.outcome === k.key,
        );
        return { n: num(o?.n), patients: num(o?.p) };
      });
      const shown = protectPartition(
        fired,
        raws.map((raw) => ({ n: raw.n, shown: suppressCount(raw) })),
      );
      // When the row total is hidden, a lone visible outcome could still pin it down.
      const outcomes = typeof fired === "number" ? shown : shown.map(hideIfShown);
      const counts: Record<string, Count> = { fired };
      outcomeKeys.forEach((k, j) => {
        counts[k.key] = outcomes[j]!;
      });
      return {
        key: `${code}@${version}`,
        label: `${code} (${version})`,
        value: typeof fired === "number" ? fired : null,
        numerator: fired,
        denominator: null,
        counts,
      };
    });
    const byMonth = new Map(
      rules.filter((r) => r.level === "month").map((r) => [String(r.month), r]),
    );
    const monRaw = months.map((m) => {
      const r = byMonth.get(m);
      return { n: num(r?.n), patients: num(r?.p) };
    });
    const monShown = protectPartition(
      totalShown,
      monRaw.map((raw) => ({ n: raw.n, shown: suppressCount(raw) })),
    );
    metrics.push({
      ...base("rule-performance"),
      section: "rule-performance",
      unit: "count",
      higherIsBetter: null,
      value: typeof totalShown === "number" ? totalShown : null,
      numerator: totalShown,
      denominator: null,
      countKeys,
      groups,
      series: months.map((month, i) => ({
        month,
        value: typeof monShown[i] === "number" ? monShown[i] : null,
        numerator: monShown[i]!,
        denominator: null,
      })),
    });
  }

  // Cross-tab.
  {
    const counts = new Map(
      a.crossTab.map((r) => [`${String(r.depression)}|${String(r.bone)}`, num(r.n)]),
    );
    const denominator = suppressCount({ n: num(prev.get("total")?.den) });
    const combos = DEPRESSION_BAND_ROWS.flatMap((row) =>
      BONE_COLUMNS.map((col) => ({ row: row.key, column: col.key })),
    );
    const raw = combos.map((c) => counts.get(`${c.row}|${c.column}`) ?? 0);
    const shown = protectPartition(
      denominator,
      raw.map((n) => ({ n, shown: suppressCount({ n }) })),
    );
    const crossTab: CrossTab = {
      rows: DEPRESSION_BAND_ROWS,
      columns: BONE_COLUMNS,
      cells: combos.map((c, i) => ({ ...c, count: shown[i]! })),
    };
    metrics.push({
      ...base("cross-tab.depression-bone"),
      section: "cross-tab",
      unit: "count",
      higherIsBetter: null,
      value: typeof denominator === "number" ? denominator : null,
      numerator: null,
      denominator,
      series: [],
      crossTab,
    });
  }

  const order = new Map(
    (
      [
        "screening.depression",
        "screening.dxa",
        "screening.both",
        ...PREVALENCE.map((p) => p.id),
        "time-to-action.acknowledge",
        "time-to-action.resolve",
        "time-to-action.critical-acknowledged-24h",
        "fracture-liaison.dxa-12-weeks",
        "fracture-liaison.treatment-16-weeks",
        "depression-outcomes.response-6-months",
        "depression-outcomes.remission-6-months",
        "rule-performance",
        "cross-tab.depression-bone",
      ] as QualityMetricId[]
    ).map((id, i) => [id, i]),
  );
  return metrics.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Use-cases
// ---------------------------------------------------------------------------------------------

async function sitesOf(db: Db | Tx, siteIds: readonly string[]): Promise<QualitySite[]> {
  if (siteIds.length === 0) return [];
  return queryRows<QualitySite & Row>(
    db,
    sql`select id::text as id, code, name from sites
        where id in (${sql.join(
          siteIds.map((s) => sql`${s}::uuid`),
          sql`, `,
        )})
        order by name`,
  );
}

/** The sites the actor may filter by (their own). */
export async function listQualitySites(ctx: Ctx): Promise<QualitySite[]> {
  return sitesOf(ctx.db, ctx.actor.siteIds);
}

/** Site ids the query may cover: the chosen site (403 if not the actor's), else all theirs. */
function scopeSites(ctx: Ctx, filters: QualityFilters): string[] {
  if (filters.site === null) return [...ctx.actor.siteIds];
  if (!ctx.actor.siteIds.includes(filters.site)) {
    throw new AppError("forbidden", "You can see quality metrics of your own sites only.", {
      errors: [{ path: "site", message: "Not one of your sites" }],
    });
  }
  return [filters.site];
}

/** The raw aggregate rows of one quality request, before suppression and shaping. */
interface Aggregated {
  scope: { n: number }[];
  coverage: CoverageRow[];
  latest: Row[];
  timeToAction: Row[];
  fractures: Row[];
  outcomes: Row[];
  rules: Row[];
}

/** Every query of one quality request (`now` matters to the time-to-action query only). */
function qualityQueries(
  filters: QualityFilters,
  siteIds: readonly string[],
  now: Date,
): Record<keyof Aggregated, SQL> {
  return {
    scope: sql`with ${cohortCte(filters, siteIds)} select count(*)::int as n from cohort`,
    coverage: coverageQuery(filters, siteIds),
    timeToAction: timeToActionQuery(filters, siteIds, now),
    fractures: fractureQuery(filters, siteIds),
    outcomes: outcomesQuery(filters, siteIds),
    latest: prevalenceQuery(filters, siteIds),
    rules: rulePerformanceQuery(filters, siteIds),
  };
}

/*
 * The result cache (issue #9). Computing the metrics reads every visit, screen, assessment and
 * flag of the period (about 1 s at 100 000 patients on 2 cores); the same request on unchanged data is served
 * from quality_cache instead, with exactly the numbers a new computation would give:
 * - the key is a hash of every query's SQL and parameters (filters, sites; `now` aside), so a
 *   change to a query or a filter never meets an old entry;
 * - an entry records the snapshot it was computed in, and statement triggers leave one row in
 *   quality_changes per transaction that writes patients, visits, observations, assessments or
 *   flags (migration 0008): the entry is served only while every such row is of a transaction
 *   that entry's snapshot already saw;
 * - the only count that moves with the clock (critical flags at least 24 hours old) bounds the
 *   entry to [now_from, now_until), the interval in which no such flag crosses its 24 hours.
 * Entries live a day (change rows two); see trimQualityCache.
 */
const CACHE_FORMAT = 1;
const CACHE_MAX_AGE = "1 day";
const CHANGES_KEPT = "2 days";
const KEY_NOW = new Date(0);
const dialect = new PgDialect();

function cacheKey(filters: QualityFilters, siteIds: readonly string[]): string {
  const queries = Object.entries(qualityQueries(filters, siteIds, KEY_NOW)).map(([name, q]) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    return [name, text, params];
  });
  return createHash("sha256")
    .update(JSON.stringify([CACHE_FORMAT, queries]))
    .digest("hex");
}

/**
 * Drops cache entries older than a day and change rows older than two. Run whenever an entry is
 * written and by every re-assessment run (the server's timer, `npm run db:reassess`), so that
 * quality_changes stays small where nobody opens the quality page.
 */
export async function trimQualityCache(db: Db): Promise<void> {
  await db.execute(sql`with old_entries as (
      delete from quality_cache where computed_at < now() - ${CACHE_MAX_AGE}::interval returning 1
    )
    delete from quality_changes where at < now() - ${CHANGES_KEPT}::interval`);
}

async function readCached(
  db: Db,
  key: string,
  now: Date,
): Promise<{ data: Aggregated; computedAt: string } | null> {
  const at = now.toISOString();
  const [row] = await queryRows<{ data: Aggregated; computed_at: string }>(
    db,
    sql`select q.data, to_json(q.computed_at) #>> '{}' as computed_at
      from quality_cache q
      where q.key = ${key}
        and q.now_from <= ${at}::timestamptz
        and (q.now_until is null or q.now_until > ${at}::timestamptz)
        and q.computed_at > now() - ${CACHE_MAX_AGE}::interval
        and pg_snapshot_xmax(q.snapshot::pg_snapshot) <= pg_snapshot_xmax(pg_current_snapshot())
        and not exists (
          select 1 from quality_changes c
          where c.xid >= pg_snapshot_xmin(q.snapshot::pg_snapshot)::text::bigint
            and not pg_visible_in_snapshot(c.xid::text::xid8, q.snapshot::pg_snapshot))`,
  );
  return row ? { data: row.data, computedAt: new Date(row.computed_at).toISOString() } : null;
}

async function computeAggregates(
  db: Db,
  key: string,
  filters: QualityFilters,
  siteIds: readonly string[],
  now: Date,
): Promise<{ data: Aggregated; computedAt: string }> {
  const q = qualityQueries(filters, siteIds, now);
  const data: Aggregated = {
    scope: [],
    coverage: [],
    latest: [],
    timeToAction: [],
    fractures: [],
    outcomes: [],
    rules: [],
  };
  let snap: { snapshot: string; at: string } | undefined;
  // One read-only snapshot, so that every metric counts the same data; on PostgreSQL two lanes
  // of queries run at once on two connections, about equal halves of the work (at 100 000
  // patients: coverage, rule performance and the rest ≈ time to action, prevalence, outcomes).
  await readInOneSnapshot(
    db,
    async (tx) => {
      // The queries are few and large: just-in-time compilation costs more than it saves here,
      // and the month sorts spill to disk at 100 000 patients with the default work_mem. The two
      // lanes are the parallelism: parallel workers on top of them (two per large query by
      // default) compete with the other lane for the same cores (100 000 patients, 2 cores:
      // 1.20 s with them, 1.03 s without). Tuned for a database server with about as many cores
      // as lanes; on a much larger one, more lanes would be the way to use them.
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    },
    [
      async (tx) => {
        [snap] = await queryRows<{ snapshot: string; at: string }>(
          tx,
          sql`select pg_current_snapshot()::text as snapshot,
            to_json(now()) #>> '{}' as at`,
        );
        data.scope = await queryRows<{ n: number }>(tx, q.scope);
        data.coverage = await queryRows<CoverageRow>(tx, q.coverage);
        data.rules = await queryRows(tx, q.rules);
        data.fractures = await queryRows(tx, q.fractures);
      },
      async (tx) => {
        data.timeToAction = await queryRows(tx, q.timeToAction);
        data.latest = await queryRows(tx, q.latest);
        data.outcomes = await queryRows(tx, q.outcomes);
      },
    ],
  );
  const { snapshot, at } = snap!;
  const total = data.timeToAction.find((r) => r.level === "total");
  const lastPassed = (total?.crit_last_passed as string | null | undefined) ?? null;
  const nextPassing = (total?.crit_next_passing as string | null | undefined) ?? null;
  await db.execute(sql`insert into quality_cache
      (key, snapshot, computed_at, now_from, now_until, data)
    values (${key}, ${snapshot}, ${at}::timestamptz,
      coalesce(${lastPassed}::timestamptz + interval '24 hours', '-infinity'::timestamptz),
      ${nextPassing}::timestamptz + interval '24 hours',
      ${JSON.stringify(data)}::jsonb)
    on conflict (key) do update set snapshot = excluded.snapshot,
      computed_at = excluded.computed_at,
      now_from = excluded.now_from, now_until = excluded.now_until, data = excluded.data`);
  await trimQualityCache(db);
  return { data, computedAt: new Date(at).toISOString() };
}

async function computeMetrics(
  ctx: Ctx,
  filters: QualityFilters,
  now: Date,
): Promise<QualityMetricsResponse> {
  const siteIds = scopeSites(ctx, filters);
  const key = cacheKey(filters, siteIds);
  const { data, computedAt } =
    (await readCached(ctx.db, key, now)) ??
    (await computeAggregates(ctx.db, key, filters, siteIds, now));
  const { scope, coverage, latest, timeToAction, fractures, outcomes, rules } = data;
  const sites = await sitesOf(ctx.db, ctx.actor.siteIds);
  const patientsInScope = num(scope[0]?.n);
  // The prevalence query returns both the per-period rows and the total's band × WHO cells.
  const prevalence = latest.filter((r) => r.band === null);
  const crossTab = latest
    .filter((r) => r.band !== null && r.period === "total")
    .map((r) => ({ depression: r.band, bone: r.who, n: r.n }));
  return {
    generatedAt: now.toISOString(),
    computedAt,
    filters,
    sites,
    smallCellThreshold: SMALL_CELL_THRESHOLD,
    suppression: SUPPRESSION_POLICY,
    patientsInScope: suppressCount({ n: patientsInScope }),
    empty: patientsInScope === 0,
    metrics: buildMetrics(filters, {
      patientsInScope,
      coverage,
      prevalence,
      crossTab,
      timeToAction,
      fractures,
      outcomes,
      rules,
    }),
  };
}

/**
 * De-identified aggregate quality metrics of the actor's sites (issue #6): screening coverage,
 * prevalence, time to action, fracture liaison KPIs, depression outcomes, rule performance and a
 * depression × bone cross-tab, each with its definition; small cells suppressed. Audited as
 * `quality.metrics` with the filters only.
 */

/**
 * Adds CDS Hooks card feedback (accepted / overridden, issue #7) to the rule-performance metric,
 * per flag code and ruleset version, with the same small-cell rule. Feedback is filtered by period
 * and site only: the EHR's cards carry no age or sex of ours.
 */
async function addCdsFeedback(
  ctx: Ctx,
  filters: QualityFilters,
  result: QualityMetricsResponse,
): Promise<void> {
  const metric = result.metrics.find((m) => m.id === "rule-performance");
  if (!metric) return;
  const siteIds = filters.site ? [filters.site] : [...ctx.actor.siteIds];
  const rows = await cdsFeedbackCounts(ctx, { from: filters.from, to: filters.to, siteIds });
  metric.countKeys = [
    ...(metric.countKeys ?? []),
    { key: "cds-accepted", label: "CDS cards accepted" },
    { key: "cds-overridden", label: "CDS cards overridden" },
  ];
  const groups = metric.groups ?? [];
  for (const group of groups) {
    group.counts = { ...(group.counts ?? {}), "cds-accepted": 0, "cds-overridden": 0 };
  }
  for (const r of rows) {
    if (!r.flagCode) continue;
    const key = `${r.flagCode}@${r.rulesetVersion ?? "?"}`;
    let group = groups.find((g) => g.key === key);
    if (!group) {
      group = {
        key,
        label: `${r.flagCode} (${r.rulesetVersion ?? "?"})`,
        value: null,
        numerator: 0,
        denominator: null,
        counts: { fired: 0 },
      };
      groups.push(group);
    }
    group.counts = {
      ...(group.counts ?? {}),
      "cds-accepted": suppressCount({ n: r.accepted }),
      "cds-overridden": suppressCount({ n: r.overridden }),
    };
  }
  metric.groups = groups;
  metric.definition +=
    " CDS Hooks columns: feedback the EHR sent on our cards in the period (accepted or overridden), by the site of the matched patient; the age-band and sex filters do not apply to them.";
}

export async function getQualityMetrics(
  ctx: Ctx,
  query: QualityMetricsQuery,
  now: Date = new Date(),
): Promise<QualityMetricsResponse> {
  const filters = resolveQualityFilters(query, todayIso(now));
  try {
    const result = await computeMetrics(ctx, filters, now);
    await addCdsFeedback(ctx, filters, result);
    await recordAudit(ctx.db, ctx.actor, {
      action: "quality.metrics",
      entityType: "quality",
      detail: { filters },
    });
    return result;
  } catch (error) {
    if (error instanceof AppError && error.kind === "forbidden") {
      await recordAudit(ctx.db, ctx.actor, {
        action: "quality.metrics",
        outcome: "denied",
        entityType: "quality",
        detail: { filters, reason: "site not in the user's sites" },
      });
    }
    throw error;
  }
}

export interface QualityExport {
  filename: string;
  csv: string;
}

/** One metric as CSV with the same suppression; audited as `quality.export`. */
export async function exportQualityMetric(
  ctx: Ctx,
  query: QualityMetricsQuery & { metric: QualityMetricId },
  now: Date = new Date(),
): Promise<QualityExport> {
  const { metric: metricId, ...rest } = query;
  const filters = resolveQualityFilters(rest, todayIso(now));
  let result: QualityMetricsResponse;
  try {
    result = await computeMetrics(ctx, filters, now);
    await addCdsFeedback(ctx, filters, result);
  } catch (error) {
    if (error instanceof AppError && error.kind === "forbidden") {
      await recordAudit(ctx.db, ctx.actor, {
        action: "quality.export",
        outcome: "denied",
        entityType: "quality",
        detail: { filters, metric: metricId, reason: "site not in the user's sites" },
      });
    }
    throw error;
  }
  const metric = result.metrics.find((m) => m.id === metricId);
  if (!metric) throw new AppError("not-found", "That metric was not found.");
  await recordAudit(ctx.db, ctx.actor, {
    action: "quality.export",
    entityType: "quality",
    entityId: metricId,
    detail: { filters, metric: metricId },
  });
  const slug = metricId.replace(/[^a-z0-9-]+/gi, "-");
  return {
    filename: `quality-${slug}-${filters.from}-to-${filters.to}.csv`,
    csv: metricToCsv(metric, filters),
  };
}
