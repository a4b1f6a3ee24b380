import { asc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { sites } from "@/db/schema";
import type { AdminSite, UpdateSiteInput } from "@/lib/api/sites";
import { notFound } from "@/lib/api/errors";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { defaultTimeZone, todayIso } from "./dates";
import { isUuid } from "./scope";

/*
 * Each site's time zone, and "today" there. Zones change rarely (an administrator sets them once),
 * so they are kept in memory for a minute: a visit does not pay a round trip for its date, and a
 * change made on another instance is seen within that minute.
 */

const ZONE_TTL_MS = 60_000;
const zoneCache = new Map<string, { zone: string | null; at: number }>();

/** The zone an administrator set for the site, or null when none was set. */
export async function siteOwnTimeZone(db: Db | Tx, siteId: string): Promise<string | null> {
  const cached = zoneCache.get(siteId);
  if (cached && Date.now() - cached.at < ZONE_TTL_MS) return cached.zone;
  const [row] = await db
    .select({ zone: sites.timeZone })
    .from(sites)
    .where(eq(sites.id, siteId))
    .limit(1);
  zoneCache.set(siteId, { zone: row?.zone ?? null, at: Date.now() });
  return row?.zone ?? null;
}

/** The site's own zone, or the deployment's default. */
export async function siteTimeZone(db: Db | Tx, siteId: string): Promise<string> {
  return (await siteOwnTimeZone(db, siteId)) ?? defaultTimeZone();
}

/**
 * The zone of the site with this code (its own, or the deployment's default), or null when no
 * site has the code: a record from outside names its site by code (the MRN's identifier system).
 */
export async function siteTimeZoneByCode(db: Db | Tx, code: string): Promise<string | null> {
  const [row] = await db
    .select({ zone: sites.timeZone })
    .from(sites)
    .where(eq(sites.code, code))
    .limit(1);
  return row ? (row.zone ?? defaultTimeZone()) : null;
}

/** Today's date at the site, as YYYY-MM-DD. */
export async function siteToday(
  db: Db | Tx,
  siteId: string,
  now: Date = new Date(),
): Promise<string> {
  return todayIso(now, await siteTimeZone(db, siteId));
}

/**
 * One "today" for a list that spans sites: the earliest of their dates, so that nothing is shown
 * overdue before it is overdue at its own site.
 */
export async function earliestToday(
  db: Db | Tx,
  siteIds: readonly string[],
  now: Date = new Date(),
): Promise<string> {
  const days = await Promise.all(siteIds.map((id) => siteToday(db, id, now)));
  return days.length === 0 ? todayIso(now) : days.reduce((a, b) => (b < a ? b : a));
}

/** Every site with its zone (for the re-assessment job and the administration). */
export async function listSiteZones(db: Db | Tx, ids?: readonly string[]): Promise<AdminSite[]> {
  if (ids?.length === 0) return [];
  const query = db
    .select({ id: sites.id, code: sites.code, name: sites.name, zone: sites.timeZone })
    .from(sites);
  const rows = await (ids
    ? query.where(inArray(sites.id, [...ids])).orderBy(asc(sites.code))
    : query.orderBy(asc(sites.code)));
  return rows.map(({ zone, ...site }) => ({ ...site, timeZone: zone ?? defaultTimeZone() }));
}

/** Sets a site's time zone (administrators); audited with the zones before and after. */
export async function updateSite(
  ctx: Ctx,
  siteId: string,
  input: UpdateSiteInput,
): Promise<AdminSite> {
  if (!isUuid(siteId)) throw notFound("Site");
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ zone: sites.timeZone })
      .from(sites)
      .where(eq(sites.id, siteId))
      .for("update");
    if (!before) throw notFound("Site");
    await tx.update(sites).set({ timeZone: input.timeZone }).where(eq(sites.id, siteId));
    await recordAudit(tx, ctx.actor, {
      action: "sites.update",
      entityType: "site",
      entityId: siteId,
      detail: { timeZone: { from: before.zone ?? null, to: input.timeZone } },
    });
    zoneCache.delete(siteId);
    const [site] = await listSiteZones(tx, [siteId]);
    return site!;
  });
}
