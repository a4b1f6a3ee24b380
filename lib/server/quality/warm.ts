import { randomUUID } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { resolveQualityFilters, type QualityFilters } from "@/lib/api/quality";
import { env } from "@/lib/env";
import { todayIso } from "../dates";
import { errorFields, logger } from "../observability/log";
import { metrics } from "../observability/metrics";
import { cacheKey, cachedOrComputed, readCached } from "./cache";

/*
 * Keeps the default quality views warm: the landing view (default filters) of each site and of
 * all sites. After writes their cache entries stop matching; a timer on every instance notices,
 * and the instance holding the lease recomputes them, so that the landing page is answered from
 * the cache. Writes between two ticks are handled by one recomputation (the debounce). Any other
 * question is still computed on request.
 */

const LEASE = "quality-warm";
const LEASE_SECONDS = 120;
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
 * on: long enough for a recomputation under load, short enough to stay current within a minute.
 */
export function landingStaleSeconds(): number {
  const seconds = qualityWarmSeconds();
  return seconds > 0 ? Math.max(30, 10 * seconds) : 0;
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

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.execute(
    // Deleted, not expired at now(): a take in the same clock tick (PGlite's clock is coarse) would
    // still see it as held.
    sql`delete from job_leases where name = ${name} and holder = ${holder}`,
  );
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
    if (!(await readCached(db, cacheKey(v.filters, v.siteIds), now))) stale.push(v);
  }
  if (stale.length === 0) return 0;
  if (!(await takeLease(db, LEASE, holder, LEASE_SECONDS))) return null;
  try {
    for (const v of stale) await cachedOrComputed(db, v.filters, v.siteIds, now, { count: false });
    return stale.length;
  } finally {
    await releaseLease(db, LEASE, holder);
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
