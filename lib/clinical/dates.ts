/**
 * Pure calendar arithmetic on ISO `YYYY-MM-DD` strings. No clock reads, no time zones: a date is a
 * whole UTC day, counted as days since 1970-01-01 (proleptic Gregorian calendar).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTH_ABBREVIATIONS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

/** Parts of a real calendar date written `YYYY-MM-DD` (year 0001–9999), else null. */
function parseParts(value: string): DateParts | null {
  const match = ISO_DATE.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Parts of a date already known to be valid (the format is fixed, so slicing is enough). */
function unsafeParts(value: string): DateParts {
  return {
    year: Number(value.slice(0, 4)),
    month: Number(value.slice(5, 7)),
    day: Number(value.slice(8, 10)),
  };
}

/** True when `value` is a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  return parseParts(value) !== null;
}

/**
 * Days since 1970-01-01 of a valid ISO date (days-from-civil; integer arithmetic only).
 * Undefined behaviour for strings that are not valid ISO dates: validate first.
 */
export function dayNumber(isoDate: string): number {
  const { year, month, day } = unsafeParts(isoDate);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Whole calendar days from ISO date `from` to ISO date `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Age in whole years on `asOf` (ISO dates). A birthday falling on `asOf` counts; someone born on
 * 29 February turns a year older on 1 March in non-leap years.
 */
export function ageOn(birthDate: string, asOf: string): number {
  const birth = unsafeParts(birthDate);
  const on = unsafeParts(asOf);
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** Formats an ISO date for people: "20 Nov 2026" (no locale, no time zone). */
export function formatDate(isoDate: string): string {
  const parts = parseParts(isoDate);
  if (parts === null) return isoDate;
  return `${parts.day} ${MONTH_ABBREVIATIONS[parts.month - 1] ?? ""} ${parts.year}`;
}

/** A human age of an observation: "today", "1 day ago", "3 years ago" (whole units, rounded down). */
export function formatElapsed(days: number): string {
  if (days <= 0) return "today";
  if (days < 60) return days === 1 ? "1 day ago" : `${days} days ago`;
  if (days < 730) return `${Math.floor(days / 30.4375)} months ago`;
  return `${Math.floor(days / 365.25)} years ago`;
}
