import { randomUUID } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { resolveQualityFilters, type QualityFilters } from "@/lib/api/quality";
import { env } from "@/lib/env";
import { todayIso } from "../dates";
import { errorFields, logger } from "../observability/log";
import { metrics } from "../observability/metrics";
import { cacheKey, cachedOrComputed, isCachedExactly } from "./cache";

/*
 * Keeps the default quality views warm: the landing view (default filters) of each site and of
 * all sites. After writes their cache entries stop matching; a timer on every instance notices,
 * and the instance holding the lease recomputes them, so that the landing page is answered from
 * the cache. Writes between two ticks are handled by one recomputation (the debounce). Any other
 * question is still computed on request.
 */

const LEASE = "quality-warm";
const LEASE_SECONDS = 120;
/*
 * Pacing: while writes keep coming, every tick would find the views changed, and recomputing them
 * (each reads the whole period) would take the database's cores from the writes and from the
 * landing reads it exists for. So a recomputation runs in one lane (one core, see
 * computeAggregates), and then the lease rests for REST_FACTOR times as long as it took, held by
 * nobody: the warm-up has about a tenth of one core, on whichever instance holds it. The rest is
 * capped so that an entry stays well within landingStaleSeconds.
 */
const REST_FACTOR = 9;
const REST_MAX_SECONDS = 120;
const RESTING = "(resting)";
const holderId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface LandingView {
  filters: QualityFilters;
  siteIds: string[];
}

/** Seconds between warm-up ticks (0: off): QUALITY_WARM_SECONDS, else 5 on PostgreSQL. */
export function qualityWarmSeconds(): number {
  const e = env();
  return e.QUALITY_WARM_SECONDS ?? (e.DATABASE_URL ? 5 : 0);
}

/**
 * How old a landing view's entry may be and still be served after writes, while the warm-up is
 * on: longer than the longest rest, a recomputation under load and a tick, so that the landing
 * page never waits for a computation while the warm-up keeps up; the page shows its age.
 */
export function landingStaleSeconds(): number {
  const seconds = qualityWarmSeconds();
  return seconds > 0 ? Math.max(2 * REST_MAX_SECONDS + 60, 10 * seconds) : 0;
}

/** True for the default filters of `today` (a site chosen or not): the views kept warm. */
export function isLandingView(filters: QualityFilters, today: string): boolean {
  const defaults = resolveQualityFilters({}, today);
  return (
    filters.from === defaults.from &&
    filters.to === defaults.to &&
    filters.ageBand === null &&
    filters.sex === null
  );
}

/** The landing view of every site and of all sites together, on `now`'s day. */
export async function landingViews(db: Db, now: Date): Promise<LandingView[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id::text as id from sites order by id`,
  );
  const all = rows.map((r) => r.id);
  const defaults = resolveQualityFilters({}, todayIso(now));
  return [
    { filters: defaults, siteIds: all },
    ...all.map((id) => ({ filters: { ...defaults, site: id }, siteIds: [id] })),
  ];
}

/** Takes (or renews) a lease for this process; false while another holder's lease runs. */
export async function takeLease(db: Db, name: string, holder: string, seconds: number) {
  const rows = await queryRows<{ holder: string }>(
    db,
    sql`insert into job_leases (name, holder, until)
      values (${name}, ${holder}, now() + make_interval(secs => ${seconds}))
      on conflict (name) do update set holder = excluded.holder, until = excluded.until
        where job_leases.until < now() or job_leases.holder = excluded.holder
      returning holder`,
  );
  return rows.length === 1;
}

/**
 * Gives the lease up: at once, or after `restSeconds` during which nobody, its last holder
 * included, can take it.
 */
export async function releaseLease(
  db: Db,
  name: string,
  holder: string,
  restSeconds = 0,
): Promise<void> {
  await db.execute(
    restSeconds > 0
      ? sql`update job_leases set holder = ${RESTING}, until = now() + make_interval(secs => ${restSeconds})
          where name = ${name} and holder = ${holder}`
      : // Deleted, not expired at now(): a take in the same clock tick (PGlite's clock is coarse)
        // would still see it as held.
        sql`delete from job_leases where name = ${name} and holder = ${holder}`,
  );
}

/** The rest after a recomputation of `ms`: none when shorter than a tick (it would change nothing). */
export function restAfter(ms: number, tickSeconds: number): number {
  const rest = Math.min(REST_MAX_SECONDS, (REST_FACTOR * ms) / 1000);
  return rest > tickSeconds ? rest : 0;
}

/**
 * One tick: the landing views whose entry no longer matches are recomputed, if this process
 * holds the lease. Returns how many were recomputed (null: another instance holds the lease).
 */
export async function warmQualityOnce(
  db: Db,
  now: Date = new Date(),
  holder: string = holderId,
): Promise<number | null> {
  const views = await landingViews(db, now);
  const stale: LandingView[] = [];
  for (const v of views) {
    if (!(await isCachedExactly(db, cacheKey(v.filters, v.siteIds), now))) stale.push(v);
  }
  if (stale.length === 0) return 0;
  if (!(await takeLease(db, LEASE, holder, LEASE_SECONDS))) return null;
  const started = performance.now();
  try {
    for (const v of stale)
      await cachedOrComputed(db, v.filters, v.siteIds, now, { background: true });
    return stale.length;
  } finally {
    const ms = performance.now() - started;
    await releaseLease(db, LEASE, holder, restAfter(ms, qualityWarmSeconds()));
  }
}

/** Runs warmQualityOnce every `seconds` on the database `getDb` gives; returns a stop function. */
export function startQualityWarmer(getDb: () => Promise<Db>, seconds: number): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const warmed = await warmQualityOnce(await getDb());
      if (warmed) {
        metrics().qualityWarm.inc({ outcome: "ok" });
        logger().debug({ views: warmed }, "quality landing views recomputed");
      }
    } catch (error) {
      metrics().qualityWarm.inc({ outcome: "error" });
      logger().warn({ err: errorFields(error) }, "quality warm-up failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
