import { formatDate } from "@/lib/clinical/dates";
import { todayInZone } from "@/lib/time-zone";

/*
 * A date typed the way a clinic writes it, into YYYY-MM-DD: "6/12/2026" (day first, as the app's
 * own "6 Dec 2026" format reads; every date field says so in its hint), "2026-12-06",
 * "6 Dec 2026", "t" (today at the clinic) and "t-30" / "t+7" (days from today). The clinic's
 * format shows what was understood ("6 Dec 2026"), so a slip is seen before it is saved.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export type ParsedDate = { ok: true; iso: string; shown: string } | { ok: false; message: string };

function iso(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function ok(value: string): ParsedDate {
  return { ok: true, iso: value, shown: formatDate(value) };
}

const NOT_A_DATE: ParsedDate = {
  ok: false,
  message: "Not a date: type 6/12/2026, 2026-12-06, 6 Dec 2026, t or t-30",
};

/**
 * Reads `text` as a date; `t` counts from today in `timeZone` (the site's) at `now`. An empty
 * text is no date (`null`), not an error.
 */
export function parseDateInput(
  text: string,
  timeZone: string,
  now: Date = new Date(),
): ParsedDate | null {
  return parseDateText(text, todayInZone(timeZone, now));
}

/** `parseDateInput` with the site's `today` (YYYY-MM-DD) already known. */
export function parseDateText(text: string, today: string): ParsedDate | null {
  const input = text.trim().toLowerCase();
  if (input === "") return null;

  const relative = /^(?:t|today)\s*(?:([+-])\s*(\d{1,5}))?$/.exec(input);
  if (relative) {
    const days = relative[2] === undefined ? 0 : Number(relative[2]);
    return ok(addDays(today, relative[1] === "-" ? -days : days));
  }

  let parts: [number, number, number] | null = null;
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input);
  if (match) parts = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dayFirst = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(input);
  if (dayFirst) parts = [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  const named = /^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$/.exec(input);
  if (named) {
    const month = MONTHS.findIndex((m) => named[2]!.startsWith(m) && named[2]!.length >= 3);
    if (month < 0) return NOT_A_DATE;
    parts = [Number(named[3]), month + 1, Number(named[1])];
  }
  if (parts === null) return NOT_A_DATE;
  const value = iso(...parts);
  if (value === null) {
    return { ok: false, message: `There is no such day: ${text.trim()}` };
  }
  return ok(value);
}
