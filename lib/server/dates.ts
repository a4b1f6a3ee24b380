import { env } from "@/lib/env";
import { todayInZone } from "@/lib/time-zone";

/** The deployment's time zone (DEFAULT_TIME_ZONE), for dates that belong to no one site. */
export function defaultTimeZone(): string {
  return env().DEFAULT_TIME_ZONE;
}

/**
 * Today's date as YYYY-MM-DD in `zone` (default: the deployment's zone). A site's own date comes
 * from `siteToday` in ./sites.
 */
export function todayIso(now: Date = new Date(), zone: string = defaultTimeZone()): string {
  return todayInZone(zone, now);
}

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
