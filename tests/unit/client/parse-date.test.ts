import { describe, expect, it } from "vitest";
import { parseDateInput, parseDateText } from "@/lib/client/parse-date";

const NOON_UTC = new Date("2026-12-06T12:00:00Z");

function iso(text: string, zone = "UTC", now = NOON_UTC): string | null {
  const parsed = parseDateInput(text, zone, now);
  return parsed && parsed.ok ? parsed.iso : null;
}

describe("parseDateInput", () => {
  it("reads every accepted form as the same day", () => {
    for (const text of [
      "6/12/2026",
      "06/12/2026",
      "6.12.2026",
      "2026-12-06",
      "6 Dec 2026",
      "6 december 2026",
      " 6 DEC 2026 ",
    ]) {
      expect(iso(text), text).toBe("2026-12-06");
    }
  });

  it("shows the parsed date in the clinic's format", () => {
    expect(parseDateInput("2026-12-06", "UTC")).toEqual({
      ok: true,
      iso: "2026-12-06",
      shown: "6 Dec 2026",
    });
  });

  it("t is today at the site, t-30 thirty days before, t+7 a week after", () => {
    expect(iso("t")).toBe("2026-12-06");
    expect(iso("today")).toBe("2026-12-06");
    expect(iso("t-30")).toBe("2026-11-06");
    expect(iso("T - 30")).toBe("2026-11-06");
    expect(iso("t+7")).toBe("2026-12-13");
    // 23:30 in New York is already the 7th in UTC; 08:00 in Sydney is still the 6th in UTC.
    expect(iso("t", "America/New_York", new Date("2026-12-07T04:30:00Z"))).toBe("2026-12-06");
    expect(iso("t", "Australia/Sydney", new Date("2026-12-06T21:00:00Z"))).toBe("2026-12-07");
    expect(iso("t-1", "Australia/Sydney", new Date("2026-12-06T21:00:00Z"))).toBe("2026-12-06");
  });

  it("knows leap days", () => {
    expect(iso("29/2/2028")).toBe("2028-02-29");
    expect(iso("29 Feb 2024")).toBe("2024-02-29");
    expect(iso("29/2/2027")).toBeNull();
    expect(iso("29/2/2100")).toBeNull();
    expect(iso("29/2/2000")).toBe("2000-02-29");
    expect(iso("t-1", "UTC", new Date("2028-03-01T10:00:00Z"))).toBe("2028-02-29");
  });

  it("refuses what is not a date, saying why; empty is no date", () => {
    expect(parseDateInput("", "UTC")).toBeNull();
    expect(parseDateInput("   ", "UTC")).toBeNull();
    for (const text of ["31/4/2026", "2026-13-01", "0/1/2026", "32 Jan 2026"]) {
      const parsed = parseDateInput(text, "UTC");
      expect(parsed?.ok, text).toBe(false);
      expect(parsed && !parsed.ok ? parsed.message : "", text).toContain("no such day");
    }
    for (const text of ["tomorrow", "6/12/26", "6 Foo 2026", "12-06-2026", "t-", "x"]) {
      const parsed = parseDateInput(text, "UTC");
      expect(parsed?.ok, text).toBe(false);
      expect(parsed && !parsed.ok ? parsed.message : "", text).toContain("Not a date");
    }
  });

  it("reads 6/12/2026 day first, as the app writes dates (6 Dec 2026), never as 12 June", () => {
    expect(iso("6/12/2026")).toBe("2026-12-06");
    expect(iso("12/6/2026")).toBe("2026-06-12");
    // A month-first date that is no day-first date is refused, not guessed.
    expect(parseDateInput("12/31/2026", "UTC")).toMatchObject({ ok: false });
  });

  it("counts t from the site's today when that is already known", () => {
    expect(parseDateText("t", "2026-12-06")).toEqual({
      ok: true,
      iso: "2026-12-06",
      shown: "6 Dec 2026",
    });
    expect(parseDateText("t-30", "2026-03-01")).toMatchObject({ iso: "2026-01-30" });
    expect(parseDateText("t-1", "2028-03-01")).toMatchObject({ iso: "2028-02-29" });
    expect(parseDateText("t+1", "2026-12-31")).toMatchObject({ iso: "2027-01-01" });
    expect(parseDateText("t-0", "2026-12-06")).toMatchObject({ iso: "2026-12-06" });
    expect(parseDateText("", "2026-12-06")).toBeNull();
  });
});
