import { describe, expect, it } from "vitest";
import { ageOn, dayNumber, daysBetween, formatDate, isIsoDate } from "@/lib/clinical";

describe("dates", () => {
  it.each([
    ["2026-11-26", true],
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-1-01", false],
    ["20261126", false],
    ["2026-11-26T00:00:00Z", false],
  ])("isIsoDate(%s) is %s", (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });

  it("counts whole calendar days, like Date.UTC", () => {
    for (const date of [
      "1970-01-01",
      "1900-03-01",
      "2000-02-29",
      "2026-11-26",
      "1951-09-30",
      "0001-01-01",
    ]) {
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      const utc = new Date(0);
      utc.setUTCFullYear(y, m - 1, d);
      expect(dayNumber(date)).toBe(Math.round(utc.getTime() / 86_400_000));
    }
    expect(daysBetween("2026-01-01", "2026-12-31")).toBe(364);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2026-11-26", "2026-11-20")).toBe(-6);
  });

  it.each([
    ["1951-09-30", "2026-11-26", 75],
    ["1961-11-26", "2026-11-26", 65],
    ["1961-11-27", "2026-11-26", 64],
    ["2000-02-29", "2025-02-28", 24],
    ["2000-02-29", "2025-03-01", 25],
    ["2000-02-29", "2024-02-29", 24],
  ])("ageOn(%s, %s) = %i", (birth, asOf, age) => {
    expect(ageOn(birth, asOf)).toBe(age);
  });

  it.each([
    ["2026-11-20", "20 Nov 2026"],
    ["2026-06-02", "2 Jun 2026"],
    ["2024-02-29", "29 Feb 2024"],
  ])("formatDate(%s) = %s", (iso, text) => {
    expect(formatDate(iso)).toBe(text);
  });
});
