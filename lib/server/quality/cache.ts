import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { queryRows, type Db } from "@/db/client";
import type { QualityFilters, QualityMetricsResponse } from "@/lib/api/quality";
import { metrics } from "../observability/metrics";
import { readOnTarget } from "../replica";
import { computeAggregates, qualityQueries, type Aggregated, type Computed } from "./metrics";
import { criticalFlagCrossings } from "./time-to-action";

/*
 * The result cache. Computing the metrics reads every visit, screen, assessment and flag of the
 * period; the same request on unchanged data is served from quality_cache instead, with exactly
 * the numbers a new computation would give:
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

/** The rows of a request and when they were computed. */
export interface Cached {
  data: Aggregated;
  computedAt: string;
}

export function cacheKey(filters: QualityFilters, siteIds: readonly string[]): string {
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

/** Whether an entry still equals a new computation: no write its snapshot did not see. */
const EXACT = sql`(q.computed_at > now() - ${CACHE_MAX_AGE}::interval
    and pg_snapshot_xmax(q.snapshot::pg_snapshot) <= pg_snapshot_xmax(pg_current_snapshot())
    and not exists (
      select 1 from quality_changes c
      where c.xid >= pg_snapshot_xmin(q.snapshot::pg_snapshot)::text::bigint
        and not pg_visible_in_snapshot(c.xid::text::xid8, q.snapshot::pg_snapshot)))`;

/** Where the entry of `key` is valid at `now`: its critical-flag interval. */
function validAt(key: string, now: Date): SQL {
  const at = now.toISOString();
  return sql`q.key = ${key}
    and q.now_from <= ${at}::timestamptz
    and (q.now_until is null or q.now_until > ${at}::timestamptz)`;
}

/**
 * The entry of `key` valid at `now` if it still equals a new computation, or, with
 * `staleForSeconds`, if it was computed that recently (writes may have committed since). One
 * round trip: the landing view is read under load.
 */
async function readEntry(
  db: Db,
  key: string,
  now: Date,
  staleForSeconds: number,
): Promise<(Cached & { exact: boolean }) | null> {
  const [row] = await queryRows<{ data: Aggregated; computed_at: string; exact: boolean }>(
    db,
    sql`select q.data, to_json(q.computed_at) #>> '{}' as computed_at, ${EXACT} as exact
      from quality_cache q
      where ${validAt(key, now)}
        and (q.computed_at > now() - make_interval(secs => ${staleForSeconds}) or ${EXACT})`,
  );
  if (!row) return null;
  return {
    data: row.data,
    computedAt: new Date(row.computed_at).toISOString(),
    exact: row.exact,
  };
}

/** Whether the entry of `key` still equals a new computation at `now` (its rows left unread). */
export async function isCachedExactly(db: Db, key: string, now: Date): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`select 1 from quality_cache q where ${validAt(key, now)} and ${EXACT}`,
  );
  return rows.length > 0;
}

/** Stores a computation under `key` (replacing any older entry), then trims the cache. */
export async function writeCached(
  db: Db,
  key: string,
  { data, snapshot, at }: Computed,
): Promise<Cached> {
  const { lastPassed, nextPassing } = criticalFlagCrossings(data.timeToAction);
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

/**
 * The rows of a request: from the cache (on the primary) while they equal a new computation,
 * else computed where heavy reads go (the replica when it is fit) and stored on the primary.
 */
export async function cachedOrComputed(
  primary: Db,
  filters: QualityFilters,
  siteIds: readonly string[],
  now: Date,
  {
    background = false,
    staleForSeconds = 0,
  }: {
    /** The warm-up: not counted as a request's cache lookup, and computed in one lane. */
    background?: boolean;
    /** A landing view kept warm: an entry this recent is served even after writes. */
    staleForSeconds?: number;
  } = {},
): Promise<Cached & { readFrom: NonNullable<QualityMetricsResponse["readFrom"]> }> {
  const key = cacheKey(filters, siteIds);
  const entry = await readEntry(primary, key, now, staleForSeconds);
  if (!background)
    metrics().qualityCache.inc({ result: entry ? (entry.exact ? "hit" : "warm") : "miss" });
  if (entry)
    return {
      data: entry.data,
      computedAt: entry.computedAt,
      readFrom: {
        source: "cache",
        replica: "none",
        lagSeconds: null,
        ...(entry.exact ? {} : { stale: true }),
      },
    };
  const { result, target } = await readOnTarget(primary, (db) =>
    computeAggregates(db, filters, siteIds, now, { background }),
  );
  const stored = await writeCached(primary, key, result);
  return {
    ...stored,
    readFrom: {
      source: target.source,
      replica: target.replica.state,
      lagSeconds: target.replica.lagSeconds,
    },
  };
}
