import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { loginAttempts } from "@/db/schema";

/*
 * Sign-in throttling: growing delays, never a lock. Each failed sign-in is a row of
 * login_attempts (in the database, so every app instance sees it). Three lanes are counted, each
 * with some failures free and then a delay after its latest failure that doubles with each
 * further one (1 s, 2 s, 4 s …) up to a cap:
 *
 * - one account from one address: the guesser's own lane, capped at 15 minutes;
 * - one address, any accounts (one address trying many accounts): capped at 15 minutes;
 * - one account from any address (guessing spread over many addresses): capped at one minute, and
 *   not applied to an address the account signed in from within 30 days, so that someone failing
 *   on purpose elsewhere cannot keep the owner out.
 *
 * A success (or an administrator's unlock) clears the account's lanes; the address lane only
 * ages. Refused attempts are not counted and the password is not checked, so waiting always helps.
 */

export interface ThrottleLane {
  /** Failures without delay. */
  free: number;
  capSeconds: number;
}

export const THROTTLE_LANES = {
  accountAddress: { free: 5, capSeconds: 15 * 60 },
  address: { free: 20, capSeconds: 15 * 60 },
  account: { free: 10, capSeconds: 60 },
} as const satisfies Record<string, ThrottleLane>;

export type ThrottleScope = keyof typeof THROTTLE_LANES;

/** How far back the account's failures count (since its last success). */
export const ACCOUNT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How far back an address's failures count. */
export const ADDRESS_WINDOW_MS = 60 * 60 * 1000;
/** An address the account signed in from within this time is exempt from the account lane. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

/** The wait after `failures` failures in a lane (seconds; 0 = none). */
export function delaySeconds(failures: number, lane: ThrottleLane): number {
  if (failures < lane.free) return 0;
  return Math.min(lane.capSeconds, 2 ** (failures - lane.free));
}

export interface LaneCount {
  failures: number;
  last: Date | null;
}

export interface ThrottleCounts {
  accountAddress: LaneCount;
  address: LaneCount;
  account: LaneCount;
  /** The account signed in from this address lately (exempt from the account lane). */
  knownAddress: boolean;
}

export interface Throttled {
  scope: ThrottleScope;
  retryAfterSeconds: number;
}

/** The longest wait any lane imposes at `now`, or null when an attempt may go ahead. */
export function throttleDecision(counts: ThrottleCounts, now: Date): Throttled | null {
  let worst: Throttled | null = null;
  for (const scope of Object.keys(THROTTLE_LANES) as ThrottleScope[]) {
    if (scope === "account" && counts.knownAddress) continue;
    const { failures, last } = counts[scope];
    const delay = delaySeconds(failures, THROTTLE_LANES[scope]);
    if (!last || delay === 0) continue;
    const remainingMs = last.getTime() + delay * 1000 - now.getTime();
    if (remainingMs <= 0) continue;
    const retryAfterSeconds = Math.ceil(remainingMs / 1000);
    if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { scope, retryAfterSeconds };
  }
  return worst;
}

type CountsRow = {
  pair_n: number;
  pair_last: string | Date | null;
  address_n: number;
  address_last: string | Date | null;
  account_n: number;
  account_last: string | Date | null;
  known: boolean;
};

const toDate = (value: string | Date | null): Date | null =>
  value === null ? null : new Date(value);

/** The failures of each lane for a sign-in of `email` from `ip` at `now` (one statement). */
export async function throttleCounts(
  db: Db,
  email: string,
  ip: string | null,
  now: Date,
): Promise<ThrottleCounts> {
  const accountSince = new Date(now.getTime() - ACCOUNT_WINDOW_MS);
  const addressSince = new Date(now.getTime() - ADDRESS_WINDOW_MS);
  const since = accountSince < addressSince ? accountSince : addressSince;
  const knownSince = new Date(now.getTime() - KNOWN_ADDRESS_MS);
  const [row] = await queryRows<CountsRow>(
    db,
    sql`with reset as (
          select coalesce(max(at), '-infinity'::timestamptz) as at
          from login_attempts where email = ${email} and success
        ),
        failures as (
          select f.email, f.ip, f.at, f.email = ${email} and f.at > reset.at as mine
          from login_attempts f, reset
          where not f.success
            and f.at > ${since}
            and (f.email = ${email} or f.ip = ${ip})
        )
        select
          count(*) filter (where mine and ip is not distinct from ${ip})::int as pair_n,
          max(at) filter (where mine and ip is not distinct from ${ip}) as pair_last,
          count(*) filter (where ip = ${ip} and at > ${addressSince})::int as address_n,
          max(at) filter (where ip = ${ip} and at > ${addressSince}) as address_last,
          count(*) filter (where mine and at > ${accountSince})::int as account_n,
          max(at) filter (where mine and at > ${accountSince}) as account_last,
          exists (select 1 from login_attempts k
                  where k.email = ${email} and k.success and k.ip = ${ip}
                    and k.at > ${knownSince}) as known
        from failures`,
  );
  return {
    accountAddress: { failures: row?.pair_n ?? 0, last: toDate(row?.pair_last ?? null) },
    address: { failures: row?.address_n ?? 0, last: toDate(row?.address_last ?? null) },
    account: { failures: row?.account_n ?? 0, last: toDate(row?.account_last ?? null) },
    knownAddress: row?.known === true,
  };
}

/** The wait before `email` may try to sign in from `ip`, or null. */
export async function signInThrottle(
  db: Db,
  email: string,
  ip: string | null,
  now: Date,
): Promise<Throttled | null> {
  return throttleDecision(await throttleCounts(db, email, ip, now), now);
}

export async function recordLoginAttempt(
  db: Db,
  attempt: { email: string; success: boolean; ip: string | null; at: Date },
): Promise<void> {
  await db.insert(loginAttempts).values({
    email: attempt.email.slice(0, 320),
    success: attempt.success,
    ip: attempt.ip,
    at: attempt.at,
  });
}

/**
 * An administrator clears the account's throttling: a row that counts as a success for the
 * account's lanes (not as a sign-in from any address); the address lane is left as it is.
 */
export async function unlockSignIn(
  db: Db | Tx,
  email: string,
  unlockedBy: string,
  now: Date,
): Promise<void> {
  await db
    .insert(loginAttempts)
    .values({ email: email.slice(0, 320), success: true, ip: null, at: now, unlockedBy });
}
