import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { contactText } from "@/components/worklist/worklist-filters.utils";
import { formatDate } from "@/lib/clinical/dates";
import { dateInZone, formatDateTime, isTimeZone, timeInZone, todayInZone } from "@/lib/time-zone";

describe("today in a time zone", () => {
  it("is the clinic's calendar date, not the UTC date", () => {
    // 23:30 on 6 December in New York is already the 7th in UTC.
    expect(todayInZone("America/New_York", new Date("2026-12-07T04:30:00Z"))).toBe("2026-12-06");
    // 08:00 on 7 December in Sydney (UTC+11) is still the 6th in UTC.
    expect(todayInZone("Australia/Sydney", new Date("2026-12-06T21:00:00Z"))).toBe("2026-12-07");
    expect(todayInZone("UTC", new Date("2026-12-06T21:00:00Z"))).toBe("2026-12-06");
  });

  it("crosses a leap day and a daylight-saving change", () => {
    expect(todayInZone("America/New_York", new Date("2028-03-01T04:59:00Z"))).toBe("2028-02-29");
    // 8 March 2026, 03:30 EDT (the clock jumped from 02:00 to 03:00).
    expect(todayInZone("America/New_York", new Date("2026-03-08T07:30:00Z"))).toBe("2026-03-08");
  });

  it("knows zone names and refuses others", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(" UTC")).toBe(false);
  });

  it("shows a time with the zone's abbreviation", () => {
    expect(timeInZone("2026-12-07T04:30:00Z", "America/New_York")).toBe("23:30 EST");
    expect(timeInZone("2026-12-07T04:30:00Z", "UTC")).toBe("04:30 UTC");
    expect(timeInZone("2026-12-06T21:00:00Z", "Australia/Sydney")).toBe("08:00 AEDT");
    expect(timeInZone("not a date", "UTC")).toBe("not a date");
  });
});

describe("formatDateTime", () => {
  it("shows a moment in the site's zone, on the site's date, with the zone's abbreviation", () => {
    expect(formatDateTime("2026-12-07T04:30:00Z", "America/New_York")).toBe("6 Dec 2026 23:30 EST");
    expect(formatDateTime("2026-12-06T21:00:00Z", "Australia/Sydney")).toBe(
      "7 Dec 2026 08:00 AEDT",
    );
    expect(formatDateTime("2026-07-01T12:00:00Z", "America/New_York")).toBe("1 Jul 2026 08:00 EDT");
    expect(formatDateTime("2026-12-06T00:05:09.123456Z", "UTC", { seconds: true })).toBe(
      "6 Dec 2026 00:05:09 UTC",
    );
    expect(formatDateTime("2026-12-06T09:05:00Z")).toBe("6 Dec 2026 09:05 UTC");
    expect(formatDateTime("not a date", "UTC")).toBe("not a date");
  });
});

describe("the date of a moment at a site", () => {
  it("is the site's calendar date, not the UTC one", () => {
    // 23:30 in New York on 6 Dec is already 7 Dec in UTC; 08:00 in Sydney on 7 Dec is 6 Dec in UTC.
    expect(dateInZone("2026-12-07T04:30:00Z", "America/New_York")).toBe("2026-12-06");
    expect(dateInZone("2026-12-06T21:00:00Z", "Australia/Sydney")).toBe("2026-12-07");
    expect(dateInZone("2026-12-07T04:30:00Z", "UTC")).toBe("2026-12-07");
  });

  it("dates a worklist row's last contact on the site's calendar", () => {
    const item = { lastContactAt: "2026-12-07T04:30:00Z", nextContactDue: "2026-12-20" };
    expect(contactText(item, "2026-12-06", formatDate, "America/New_York")).toBe(
      "last 6 Dec 2026 · next 20 Dec 2026",
    );
    expect(contactText(item, "2026-12-07", formatDate, "UTC")).toBe(
      "last 7 Dec 2026 · next 20 Dec 2026",
    );
  });
});

describe("DEFAULT_TIME_ZONE", () => {
  it("defaults to UTC and accepts an IANA name", () => {
    expect(parseEnv({}).DEFAULT_TIME_ZONE).toBe("UTC");
    expect(parseEnv({ DEFAULT_TIME_ZONE: "America/New_York" }).DEFAULT_TIME_ZONE).toBe(
      "America/New_York",
    );
  });

  it("stops the app naming an unknown zone", () => {
    expect(() => parseEnv({ DEFAULT_TIME_ZONE: "Europe/Atlantis" })).toThrow(EnvError);
    expect(() => parseEnv({ DEFAULT_TIME_ZONE: "Europe/Atlantis" })).toThrow(/Europe\/Atlantis/);
  });
});
