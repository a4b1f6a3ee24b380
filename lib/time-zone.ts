import { formatDate } from "@/lib/clinical/dates";

/*
 * Calendar dates and clock times in an IANA time zone, with the platform's Intl only: the one
 * place that turns an instant into what people read. A clinic's "today" is its own date: after
 * 7 pm in New York the UTC date is already tomorrow.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(zone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(zone, format);
  }
  return format;
}

/** True for a time zone name the platform knows ("America/New_York", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === "" || zone !== zone.trim()) return false;
  try {
    dateFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date of the instant `iso` in `zone`, as YYYY-MM-DD (a contact at 21:00 in New York is that day). */
export function dateInZone(iso: string, zone: string): string {
  return todayInZone(zone, new Date(iso));
}

/** The calendar date at `now` in `zone`, as YYYY-MM-DD. */
export function todayInZone(zone: string, now: Date = new Date()): string {
  const parts = dateFormat(zone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/**
 * The zone's short name at that moment ("EST", "AEDT", "CET"): each English locale knows the
 * abbreviations of its own region, so they are asked in turn; else the offset ("GMT+5:30").
 */
export function zoneAbbreviation(date: Date, zone: string): string {
  let fallback = "";
  for (const locale of ["en-US", "en-AU", "en-GB", "en-IN"]) {
    const name =
      new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
        .formatToParts(date)
        .find((p) => p.type === "timeZoneName")?.value ?? "";
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback;
}

function clock(date: Date, zone: string, seconds: boolean): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  }).format(date);
}

/** A moment as the clinic's clock shows it, with the zone's abbreviation ("23:30 EST"). */
export function timeInZone(iso: string | Date, zone: string): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${clock(date, zone, false)} ${zoneAbbreviation(date, zone)}`;
}

/**
 * A moment as people read it, in the dates' one format and the zone's clock, named:
 * "6 Dec 2026 23:30 EST" (with seconds, "6 Dec 2026 23:30:12 EST"). The zone is the site's, or
 * the deployment's for what belongs to no site; UTC when none is known.
 */
export function formatDateTime(
  iso: string | Date,
  zone = "UTC",
  options: { seconds?: boolean } = {},
): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  const day = formatDate(todayInZone(zone, date));
  return `${day} ${clock(date, zone, options.seconds ?? false)} ${zoneAbbreviation(date, zone)}`;
}
