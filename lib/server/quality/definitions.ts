import type { QualityMetric, QualityMetricId } from "@/lib/api/quality";

/*
 * What every metric publishes beside its numbers: a title, who is counted and who is excluded,
 * and where the measure comes from. Each family writes its own texts next to its SQL; the
 * population sentence below ends every one of them, since the filters apply to all alike.
 */

export interface Definition {
  title: string;
  definition: string;
  source: string;
}

const POPULATION =
  "Population: patients of the selected site (or all of your sites) matching the sex and age band " +
  "filters, age in whole years on the last day of the period. Observations marked entered in error " +
  "are never counted. Dates are calendar days (UTC).";

/** A definition followed by the population sentence. */
export function withPopulation(definition: string): string {
  return `${definition} ${POPULATION}`;
}

/** The fixed part of a metric: what it is, how it reads, and its texts. */
export type MetricHead = Pick<
  QualityMetric,
  "id" | "title" | "definition" | "source" | "section" | "unit" | "higherIsBetter"
>;

/** A metric's head from its id, its texts (the population added) and how it reads. */
export function metricHead(
  id: QualityMetricId,
  d: Definition,
  reads: Pick<QualityMetric, "section" | "unit" | "higherIsBetter">,
): MetricHead {
  return {
    id,
    title: d.title,
    definition: withPopulation(d.definition),
    source: d.source,
    ...reads,
  };
}
