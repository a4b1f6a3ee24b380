import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters } from "@/lib/api/quality";
import { PREVALENCE, SCREEN_KINDS, cohortCte } from "@/lib/server/quality";

/*
 * The quality metrics' first implementation (issue #6), kept as the reference they are checked
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
