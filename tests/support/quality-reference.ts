import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters } from "@/lib/api/quality";
import { PREVALENCE, SCREEN_KINDS, cohortCte } from "@/lib/server/quality";

/*
 * The quality metrics' first implementation, kept as the reference they are checked
 * against (tests/integration/quality-equivalence.test.ts): the definitions written out directly,
 * one patient × month at a time (EXISTS per month, DISTINCT ON per month). Far too slow at scale
 * (tens of seconds at 100 000 patients), but easy to read against the metric definitions.
 */

/** One row per month of the period (ref = month end, clipped to `to`) and one 'total' (ref = to). */
function periodsCte(f: QualityFilters): SQL {
  return sql`periods as (
    select to_char(m, 'YYYY-MM') as period,
           least((m + interval '1 month' - interval '1 day')::date, ${f.to}::date) as ref,
           (least((m + interval '1 month' - interval '1 day')::date, ${f.to}::date)
             - interval '12 months')::date as start_on
    from generate_series(date_trunc('month', ${f.from}::date::timestamp),
                         date_trunc('month', ${f.to}::date::timestamp),
                         interval '1 month') as m
    union all
    select 'total', ${f.to}::date, ${f.from}::date
  )`;
}

export function referenceCoverageQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)}, ${periodsCte(f)},
  eligible as (
    select pr.period,
      (c.sex <> 'male' or c.birth_date <= (pr.ref - interval '70 years')::date) as dxa_eligible,
      exists (select 1 from observations o
              where o.patient_id = c.id and o.kind in ${SCREEN_KINDS}
                and o.value_num is not null and o.entered_in_error_at is null
                and o.effective between pr.ref - 365 and pr.ref) as screened,
      exists (select 1 from observations o
              where o.patient_id = c.id and o.kind = 'bmd' and o.entered_in_error_at is null
                and o.effective between pr.ref - 730 and pr.ref) as dxa
    from periods pr
    join cohort c on c.birth_date <= (pr.ref - interval '65 years')::date
    where exists (select 1 from visits v
                  where v.patient_id = c.id and v.occurred_on between pr.ref - 365 and pr.ref)
  )
  select period,
    count(*)::int as dep_den,
    (count(*) filter (where screened))::int as dep_num,
    (count(*) filter (where dxa_eligible))::int as dxa_den,
    (count(*) filter (where dxa_eligible and dxa))::int as dxa_num,
    (count(*) filter (where dxa_eligible and dxa and screened))::int as both_num
  from eligible group by period`;
}

function hasAnyFlag(codes: readonly string[]): SQL {
  return sql`l.codes && array[${sql.join(
    codes.map((code) => sql`${code}`),
    sql`, `,
  )}]::text[]`;
}

/**
 * Each patient's latest assessment in each period window (as_of in [start_on, ref]), then its
 * flag codes and scores read once per assessment (the result document is large).
 */
function latestCte(): SQL {
  return sql`latest_id as (
    select distinct on (pr.period, a.patient_id) pr.period, a.id
    from periods pr
    join assessments a on a.as_of between pr.start_on and pr.ref
    join cohort c on c.id = a.patient_id
    order by pr.period, a.patient_id, a.as_of desc, a.created_at desc
  ),
  chosen as materialized (
    select a.id,
      array(select jsonb_array_elements(a.result->'flags')->>'code') as codes,
      a.result->'scores'->'phq9'->>'band' as phq9_band,
      a.result->'scores'->>'whoCategory' as who_category
    from assessments a where a.id in (select id from latest_id)
  ),
  latest as (
    select li.period, ch.codes, ch.phq9_band, ch.who_category
    from latest_id li join chosen ch on ch.id = li.id
  )`;
}

export function referencePrevalenceQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  const columns = PREVALENCE.map(
    (p, i) => sql`(count(*) filter (where ${hasAnyFlag(p.codes)}))::int as ${sql.raw(`n${i}`)}`,
  );
  return sql`with ${cohortCte(f, siteIds)}, ${periodsCte(f)}, ${latestCte()}
  select l.period, count(*)::int as den, ${sql.join(columns, sql`, `)}
  from latest l group by l.period`;
}

export function referenceCrossTabQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)}, ${periodsCte(f)}, ${latestCte()}
  select coalesce(l.phq9_band, 'none') as depression,
         coalesce(l.who_category, 'no-dxa') as bone,
         count(*)::int as n
  from latest l where l.period = 'total' group by 1, 2`;
}

/** A flag of the cohort opened in the period, as stored (for the flag metrics' reference). */
export interface ReferenceFlag {
  patient_id: string;
  code: string;
  version: string;
  severity: string;
  status: string;
  resolution_code: string | null;
  opened_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
}

/** The cohort's flags opened in the period (UTC days), columns as stored. */
export function referenceFlagsQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)}
  select f.patient_id::text as patient_id, f.code, f.ruleset_version as version, f.severity,
    f.status, f.resolution_code,
    to_json(f.opened_at) #>> '{}' as opened_at,
    to_json(f.acknowledged_at) #>> '{}' as acknowledged_at,
    to_json(f.resolved_at) #>> '{}' as resolved_at
  from flags f join cohort c on c.id = f.patient_id
  where (f.opened_at at time zone 'UTC')::date between ${f.from}::date and ${f.to}::date`;
}

const DAY_MS = 86_400_000;

/** The median as percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Time to action written out from its definition, one flag at a time: per severity, per month
 * opened and in total, the flags a person acknowledged (or resolved, not as no-longer-met) with
 * their count, patients and median days; the same for resolution; critical flags at least 24
 * hours old and those acknowledged within 24 hours.
 */
export function referenceTimeToAction(flags: readonly ReferenceFlag[], now: Date) {
  const time = (iso: string | null) => (iso === null ? null : new Date(iso).getTime());
  const rows = flags.map((fl) => {
    const opened = time(fl.opened_at)!;
    const byPerson = fl.resolution_code !== "no-longer-met";
    const acted = [time(fl.acknowledged_at), byPerson ? time(fl.resolved_at) : null].filter(
      (t): t is number => t !== null,
    );
    return {
      patient: fl.patient_id,
      severity: fl.severity,
      month: new Date(fl.opened_at).toISOString().slice(0, 7),
      openedAt: fl.opened_at,
      ackDays: acted.length > 0 ? (Math.min(...acted) - opened) / DAY_MS : null,
      resolveDays:
        fl.status === "resolved" && byPerson ? (time(fl.resolved_at)! - opened) / DAY_MS : null,
      dayPassed: opened <= now.getTime() - DAY_MS,
    };
  });
  type R = (typeof rows)[number];
  const summary = (group: R[]) => {
    const acked = group.filter((r) => r.ackDays !== null);
    const resolved = group.filter((r) => r.resolveDays !== null);
    const critDue = group.filter((r) => r.severity === "critical" && r.dayPassed);
    const critOk = critDue.filter((r) => r.ackDays !== null && r.ackDays <= 1);
    const patients = (g: R[]) => new Set(g.map((r) => r.patient)).size;
    const critLater = group.filter((r) => r.severity === "critical" && !r.dayPassed);
    const times = (g: R[]) => g.map((r) => new Date(r.openedAt).getTime());
    return {
      ack_n: acked.length,
      ack_p: patients(acked),
      ack_median: median(acked.map((r) => r.ackDays!)),
      res_n: resolved.length,
      res_p: patients(resolved),
      res_median: median(resolved.map((r) => r.resolveDays!)),
      crit_den: critDue.length,
      crit_den_p: patients(critDue),
      crit_num: critOk.length,
      crit_num_p: patients(critOk),
      crit_last_passed: critDue.length ? Math.max(...times(critDue)) : null,
      crit_next_passing: critLater.length ? Math.min(...times(critLater)) : null,
    };
  };
  const by = (key: (r: R) => string) => {
    const groups = new Map<string, R[]>();
    for (const r of rows) {
      const group = groups.get(key(r));
      if (group) group.push(r);
      else groups.set(key(r), [r]);
    }
    return Object.fromEntries([...groups].map(([k, g]) => [k, summary(g)]));
  };
  return {
    severity: by((r) => r.severity),
    month: by((r) => r.month),
    total: { total: summary(rows) },
  };
}

/**
 * Rule performance written out from its definition: flags per code and ruleset version, per
 * outcome so far (still open, or the resolution reason), per month opened and in total, each with
 * its number of patients.
 */
export function referenceRulePerformance(flags: readonly ReferenceFlag[]) {
  const count = (key: (fl: ReferenceFlag) => string) => {
    const groups = new Map<string, { n: number; patients: Set<string> }>();
    for (const fl of flags) {
      const g = groups.get(key(fl)) ?? { n: 0, patients: new Set<string>() };
      g.n += 1;
      g.patients.add(fl.patient_id);
      groups.set(key(fl), g);
    }
    return Object.fromEntries([...groups].map(([k, g]) => [k, { n: g.n, p: g.patients.size }]));
  };
  const outcome = (fl: ReferenceFlag) =>
    fl.status !== "resolved" ? "still-open" : (fl.resolution_code ?? "other");
  return {
    outcome: count((fl) => `${fl.code}|${fl.version}|${outcome(fl)}`),
    rule: count((fl) => `${fl.code}|${fl.version}`),
    month: count((fl) => new Date(fl.opened_at).toISOString().slice(0, 7)),
    total: { total: { n: flags.length, p: new Set(flags.map((fl) => fl.patient_id)).size } },
  };
}
