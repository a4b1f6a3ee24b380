import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { loginAttempts, sites, userSites, users, type Role } from "@/db/schema";

/** Policy: 5 failed sign-ins for one account within 15 minutes lock it for 15 minutes. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_LOCKOUT_MS = 15 * 60 * 1000;

export interface UserWithSites {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabledAt: Date | null;
  sessionVersion: number;
  siteIds: string[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A user and their site memberships, by email (case-insensitive). */
export async function findUserByEmail(db: Db, email: string): Promise<UserWithSites | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  if (!user) return null;
  return { ...user, siteIds: await siteIdsOf(db, user.id) };
}

/** A user and their site memberships, by id. */
export async function findUserById(db: Db, id: string): Promise<UserWithSites | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!user) return null;
  return { ...user, siteIds: await siteIdsOf(db, user.id) };
}

/** The user behind a session: what the per-request check needs, without the password hash. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  sessionVersion: number;
  siteIds: string[];
}

/**
 * The user behind a session and their sites (ordered as in findUserById), in one statement: it
 * runs on every request, so it is plain SQL returning only what the session check needs.
 */
export async function findSessionUser(db: Db, id: string): Promise<SessionUser | null> {
  const [row] = await queryRows<SessionUser & Record<string, unknown>>(
    db,
    sql`select u.id, u.email, u.name, u.role, u.disabled_at is not null as "disabled",
          u.session_version as "sessionVersion",
          array(select s.site_id::text from user_sites s where s.user_id = u.id
                order by s.site_id) as "siteIds"
        from users u where u.id = ${id}`,
  );
  return row ?? null;
}

async function siteIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ siteId: userSites.siteId })
    .from(userSites)
    .where(eq(userSites.userId, userId))
    .orderBy(asc(userSites.siteId));
  return rows.map((r) => r.siteId);
}

/**
 * When the account is locked out, the time it opens again; else null. Failures count only after
 * the last successful sign-in; refused attempts are not counted, so waiting always helps.
 */
export async function lockedUntil(db: Db, email: string, now: Date): Promise<Date | null> {
  const normalized = normalizeEmail(email);
  const lastSuccess = db
    .select({ at: sql`coalesce(max(${loginAttempts.at}), '-infinity'::timestamptz)` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, normalized), eq(loginAttempts.success, true)));
  const failures = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, normalized),
        eq(loginAttempts.success, false),
        gt(loginAttempts.at, sql`(${lastSuccess})`),
        gt(loginAttempts.at, new Date(now.getTime() - LOGIN_WINDOW_MS - LOGIN_LOCKOUT_MS)),
      ),
    )
    .orderBy(desc(loginAttempts.at))
    .limit(LOGIN_MAX_FAILURES);
  if (failures.length < LOGIN_MAX_FAILURES) return null;
  const newest = failures[0]!.at;
  const oldest = failures[LOGIN_MAX_FAILURES - 1]!.at;
  if (newest.getTime() - oldest.getTime() > LOGIN_WINDOW_MS) return null;
  const until = new Date(newest.getTime() + LOGIN_LOCKOUT_MS);
  return until > now ? until : null;
}

export async function recordLoginAttempt(
  db: Db,
  attempt: { email: string; success: boolean; ip: string | null; at: Date },
): Promise<void> {
  await db.insert(loginAttempts).values({
    email: normalizeEmail(attempt.email).slice(0, 320),
    success: attempt.success,
    ip: attempt.ip,
    at: attempt.at,
  });
}

export interface SiteSummary {
  id: string;
  code: string;
  name: string;
}

/** Sites by code (for display), limited to the given ids when given. */
export async function listSites(db: Db | Tx, ids?: readonly string[]): Promise<SiteSummary[]> {
  if (ids?.length === 0) return [];
  const query = db.select({ id: sites.id, code: sites.code, name: sites.name }).from(sites);
  return ids
    ? query.where(inArray(sites.id, [...ids])).orderBy(asc(sites.code))
    : query.orderBy(asc(sites.code));
}

/** The sites of each of the given users (by code), for the lists that show them. */
export async function sitesOfUsers(
  db: Db | Tx,
  userIds: readonly string[],
): Promise<Map<string, SiteSummary[]>> {
  const byUser = new Map<string, SiteSummary[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .select({ userId: userSites.userId, id: sites.id, code: sites.code, name: sites.name })
    .from(userSites)
    .innerJoin(sites, eq(sites.id, userSites.siteId))
    .where(inArray(userSites.userId, [...userIds]))
    .orderBy(asc(sites.code));
  for (const { userId, ...site } of rows) byUser.set(userId, [...(byUser.get(userId) ?? []), site]);
  return byUser;
}
