import { sql, type SQL } from "drizzle-orm";
import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import { OSTEOPOROSIS_TREATMENT_CLASSES } from "@/lib/clinical";
import { QUALITY_WINDOWS as W, cohortCte, lit } from "./periods";
import { partitionedRate, rateMetrics, type RateMetric } from "./rates";

/* Fracture liaison: DXA and treatment after a fragility fracture (IOF Capture the Fracture). */

/** One row per month of the fracture and one for the period ('total'): patients. */
export type FractureRow = {
  period: string;
  dxa_den: number;
  dxa_num: number;
  tx_den: number;
  tx_num: number;
};

const TREATMENT_CLASSES = sql.join(
  OSTEOPOROSIS_TREATMENT_CLASSES.map((c) => sql`${c}`),
  sql`, `,
);

/**
 * Each cohort patient's first fragility fracture in the period, once its 12 (16) weeks have
 * passed by the end of the period: whether a DXA (an osteoporosis medication) followed in time.
 */
export function fractureQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
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

/** Each fracture liaison metric: its texts and columns (numerator, denominator). */
const METRICS: readonly RateMetric<FractureRow>[] = [
  {
    id: "fracture-liaison.dxa-12-weeks",
    numerator: "dxa_num",
    denominator: "dxa_den",
    title: `DXA within ${W.fractureDxaDays / 7} weeks of a fragility fracture`,
    definition:
      `Counted: patients with a DXA result dated on the day of the fracture or in the ${W.fractureDxaDays} days (${W.fractureDxaDays / 7} weeks) after it. ` +
      `Out of: patients whose first fragility fracture (entered with fragility = yes) dated in the period is at least ${W.fractureDxaDays} days before the end of the period, so the ${W.fractureDxaDays / 7} weeks have passed. ` +
      `Excluded: fractures not marked as fragility fractures, fractures in the last ${W.fractureDxaDays / 7} weeks of the period, a DXA dated before the fracture. ` +
      "Trend: by the month of the fracture.",
    source: "IOF Capture the Fracture KPIs (Javaid et al. 2020): DXA within 12 weeks.",
  },
  {
    id: "fracture-liaison.treatment-16-weeks",
    numerator: "tx_num",
    denominator: "tx_den",
    title: `Osteoporosis treatment within ${W.fractureTreatmentDays / 7} weeks of a fragility fracture`,
    definition:
      `Counted: patients with an osteoporosis medication (bisphosphonate, denosumab, teriparatide, abaloparatide, romosozumab or raloxifene) recorded on the day of the fracture or in the ${W.fractureTreatmentDays} days (${W.fractureTreatmentDays / 7} weeks) after it. ` +
      `Out of: patients whose first fragility fracture dated in the period is at least ${W.fractureTreatmentDays} days before the end of the period. ` +
      `Excluded: fractures not marked as fragility fractures, fractures in the last ${W.fractureTreatmentDays / 7} weeks of the period, treatment recorded only before the fracture. ` +
      "Trend: by the month of the fracture.",
    source:
      "IOF Capture the Fracture KPIs (Javaid et al. 2020): treatment started within 16 weeks.",
  },
];

/** Both rates, their trend by the month of the fracture (the months partition the period). */
export function fractureMetrics(months: readonly string[], rows: FractureRow[]): QualityMetric[] {
  return rateMetrics(months, rows, "fracture-liaison", partitionedRate, METRICS);
}
