import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters } from "@/lib/api/quality";
import { addDays } from "../dates";

/*
 * The period of a quality request as SQL sees it: the patients in scope, the months of the
 * period and their reference dates, and the ages and windows every metric counts with.
 */

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

/** A window or age as an SQL literal (the SQL text stays what it was with the numbers inline). */
export const lit = (n: number): SQL => sql.raw(String(n));

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
export function dateArray(dates: readonly string[]): SQL {
  return sql`${`{${dates.join(",")}}`}::date[]`;
}

/** `refs` each shifted by a PostgreSQL interval, in the same order (for width_bucket). */
export function shiftedRefs(refs: SQL, interval: string): SQL {
  return sql`array(select (r - ${interval}::interval)::date
    from unnest(${refs}) with ordinality as u(r, i) order by i)`;
}

/** The month rows (k = 0…n−1) and the 'total' row (the last month's k: same reference date). */
export function periodIndexCte(refs: readonly string[]): SQL {
  return sql`periods as (
    select (u.i - 1)::int as k, to_char(u.r, 'YYYY-MM') as period
    from unnest(${dateArray(refs)}) with ordinality as u(r, i)
    union all
    select ${refs.length - 1}::int, 'total'
  )`;
}

/** Flags of the cohort opened in the period (UTC days). */
export function periodFlagsWhere(f: QualityFilters): SQL {
  return sql`f.opened_at >= ${`${f.from}T00:00:00Z`}::timestamptz
    and f.opened_at < ${`${addDays(f.to, 1)}T00:00:00Z`}::timestamptz`;
}
