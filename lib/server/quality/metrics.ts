import { sql, type SQL } from "drizzle-orm";
import { queryRows, readInOneSnapshot, type Db, type Tx } from "@/db/client";
import { QUALITY_METRIC_IDS, type QualityFilters, type QualityMetric } from "@/lib/api/quality";
import { coverageMetrics, coverageQuery, type CoverageRow } from "./coverage";
import { fractureMetrics, fractureQuery, type FractureRow } from "./fracture-liaison";
import { outcomeMetrics, outcomesQuery, type OutcomesRow } from "./outcomes";
import { cohortCte, monthsOfPeriod } from "./periods";
import { prevalenceMetrics, prevalenceQuery, type PrevalenceRow } from "./prevalence";
import { rulePerformanceMetric, rulePerformanceQuery, type RuleRow } from "./rule-performance";
import { timeToActionMetrics, timeToActionQuery, type TimeToActionRow } from "./time-to-action";

/*
 * One quality request: every query, run in one snapshot, and the metrics assembled from their
 * rows. Every number is aggregated in SQL; only aggregated rows come back to JavaScript, where
 * they are suppressed and shaped. Nothing here returns a patient id, name, MRN or birth date.
 */

/** The raw aggregate rows of one quality request, before suppression and shaping. */
export interface Aggregated {
  scope: { n: number }[];
  coverage: CoverageRow[];
  latest: PrevalenceRow[];
  timeToAction: TimeToActionRow[];
  fractures: FractureRow[];
  outcomes: OutcomesRow[];
  rules: RuleRow[];
}

/**
 * Every query of one quality request (`now` matters to the time-to-action query only). The
 * order of the entries is part of the cache key.
 */
export function qualityQueries(
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

/** The rows of one computation and the snapshot (and its time) they were read in. */
export interface Computed {
  data: Aggregated;
  snapshot: string;
  at: string;
}

/**
 * Runs every query in one read-only snapshot, so that every metric counts the same data.
 * `background`: one lane only, leaving the other cores to the requests (the warm-up).
 */
export async function computeAggregates(
  db: Db,
  filters: QualityFilters,
  siteIds: readonly string[],
  now: Date,
  { background = false }: { background?: boolean } = {},
): Promise<Computed> {
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
  // On PostgreSQL two lanes of queries run at once on two connections, split into about equal
  // halves of the work (one after the other in the background).
  const lanes: ((tx: Tx) => Promise<void>)[] = [
    async (tx) => {
      [snap] = await queryRows<{ snapshot: string; at: string }>(
        tx,
        sql`select pg_current_snapshot()::text as snapshot,
          to_json(now()) #>> '{}' as at`,
      );
      data.scope = await queryRows<{ n: number }>(tx, q.scope);
      data.coverage = await queryRows<CoverageRow>(tx, q.coverage);
      data.rules = await queryRows<RuleRow>(tx, q.rules);
      data.fractures = await queryRows<FractureRow>(tx, q.fractures);
    },
    async (tx) => {
      data.timeToAction = await queryRows<TimeToActionRow>(tx, q.timeToAction);
      data.latest = await queryRows<PrevalenceRow>(tx, q.latest);
      data.outcomes = await queryRows<OutcomesRow>(tx, q.outcomes);
    },
  ];
  await readInOneSnapshot(
    db,
    async (tx) => {
      // The queries are few and large: just-in-time compilation costs more than it saves here,
      // and the month sorts of a large cohort spill to disk with the default work_mem. The two
      // lanes are the parallelism: parallel workers on top of them (two per large query by
      // default) would compete with the other lane for the same cores. Tuned for a database
      // server with about as many cores as lanes; on a much larger one, more lanes would be the
      // way to use them.
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    },
    lanes,
    { oneConnection: background },
  );
  return { data, ...snap! };
}

/** The metrics of one request, each family building its own, in page order. */
export function buildMetrics(filters: QualityFilters, a: Aggregated): QualityMetric[] {
  const months = monthsOfPeriod(filters.from, filters.to);
  const metrics = [
    ...coverageMetrics(months, a.coverage),
    ...prevalenceMetrics(months, a.latest),
    ...timeToActionMetrics(months, a.timeToAction),
    ...fractureMetrics(months, a.fractures),
    ...outcomeMetrics(months, a.outcomes),
    rulePerformanceMetric(months, a.rules),
  ];
  const order = new Map(QUALITY_METRIC_IDS.map((id, i) => [id, i]));
  return metrics.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
}
