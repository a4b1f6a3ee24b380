import { describe, expect, it } from "vitest";
import { tScoreTrend } from "@/components/charts/bone-trend.utils";
import { gds15Trend, phq9TotalOf, phq9Trend } from "@/components/charts/mood-trend.utils";
import type { ChartObservation } from "@/components/charts/trend.types";
import { isoOfDay, mergeByDate } from "@/components/charts/trend.utils";
import { vitaminDTrend } from "@/components/charts/vitamin-d-trend.utils";
import { dayNumber } from "@/lib/clinical";

function obs(
  effective: string,
  payload: ChartObservation["payload"],
  retracted = false,
): ChartObservation {
  return { effective, payload: { effective, ...payload }, enteredInError: retracted ? {} : null };
}

describe("mood trends", () => {
  const data = [
    obs("2026-05-01", { kind: "phq9", items: [2, 2, 2, 2, 2, 2, 2, 1, 1] }),
    obs("2026-01-10", { kind: "phq9", total: 8 }),
    obs("2026-08-01", { kind: "phq9", items: [1, null, 1, 1, 1, 1, 1, 1, 1] }),
    obs("2026-09-01", { kind: "phq9", total: 27 }, true),
    obs("2026-02-01", { kind: "gds15", total: 6 }),
  ];

  it("plots complete PHQ-9 totals by date, skipping incomplete and retracted ones", () => {
    const model = phq9Trend(data);
    expect(model.points.map((p) => [p.date, p.values.phq9])).toEqual([
      ["2026-01-10", 8],
      ["2026-05-01", 16],
    ]);
    expect(model.references).toEqual([{ y: 10, label: "10: positive screen" }]);
    expect(model.bands.map((b) => [b.from, b.to])).toEqual([
      [0, 5],
      [5, 10],
      [10, 15],
      [15, 20],
      [20, 27],
    ]);
    expect(model.summary).toBe(
      "PHQ-9: 2 results from 10 Jan 2026 to 1 May 2026; first 8, latest 16 on 1 May 2026. Latest band: moderately severe.",
    );
  });

  it("plots GDS-15 with a reference line at 5, and says when there is nothing", () => {
    const model = gds15Trend(data);
    expect(model.points).toHaveLength(1);
    expect(model.references[0]?.y).toBe(5);
    expect(model.summary).toContain("GDS-15: 1 result, 6 on 1 Feb 2026.");
    expect(gds15Trend([]).summary).toBe("GDS-15: no results on record.");
  });

  it("reads a PHQ-9 total from items or total", () => {
    expect(phq9TotalOf({ items: [0, 0, 0, 0, 0, 0, 0, 0, 3] })).toBe(3);
    expect(phq9TotalOf({ total: 12 })).toBe(12);
    expect(phq9TotalOf({ items: [null] })).toBeNull();
  });
});

describe("T-score trend", () => {
  it("has one series per measured site, WHO bands and lines at −1.0 and −2.5", () => {
    const model = tScoreTrend([
      obs("2024-06-02", { kind: "bmd", site: "femoral_neck", tScore: -2.2 }),
      obs("2026-06-02", { kind: "bmd", site: "femoral_neck", tScore: -2.7 }),
      obs("2026-06-02", { kind: "bmd", site: "lumbar_spine", tScore: -1.4, zScore: -0.5 }),
      obs("2026-06-03", { kind: "bmd", site: "total_hip", zScore: -1 }),
    ]);
    expect(model.series.map((s) => s.key)).toEqual(["lumbar_spine", "femoral_neck"]);
    expect(model.points).toEqual([
      {
        date: "2024-06-02",
        day: dayNumber("2024-06-02"),
        values: { lumbar_spine: null, femoral_neck: -2.2 },
      },
      {
        date: "2026-06-02",
        day: dayNumber("2026-06-02"),
        values: { lumbar_spine: -1.4, femoral_neck: -2.7 },
      },
    ]);
    expect(model.references.map((r) => r.y)).toEqual([-1, -2.5]);
    expect(model.yDomain[0]).toBeLessThanOrEqual(-4);
    expect(model.summary).toContain("Femoral neck: 2 results");
    expect(model.summary).toContain("latest −2.7 on 2 Jun 2026");
  });
});

describe("vitamin D trend", () => {
  it("converts nmol/L to ng/mL and shades 12/20/30/50", () => {
    const model = vitaminDTrend([
      obs("2026-01-01", { kind: "vitaminD", value: 49.92, unit: "nmol/L" }),
      obs("2026-06-01", { kind: "vitaminD", value: 32, unit: "ng/mL" }),
    ]);
    expect(model.points.map((p) => p.values.ngPerMl)).toEqual([20, 32]);
    expect(model.references.map((r) => r.y)).toEqual([12, 20, 30, 50]);
    expect(model.yDomain).toEqual([0, 60]);
    expect(model.summary).toContain("latest 32 ng/mL");
  });
});

describe("helpers", () => {
  it("isoOfDay inverts dayNumber", () => {
    for (const iso of ["1970-01-01", "2000-02-29", "2026-11-20"]) {
      expect(isoOfDay(dayNumber(iso))).toBe(iso);
    }
  });

  it("mergeByDate sorts by date and fills missing series with null", () => {
    expect(
      mergeByDate(
        [
          { date: "2026-02-01", key: "a", value: 1 },
          { date: "2026-01-01", key: "b", value: 2 },
        ],
        ["a", "b"],
      ).map((p) => p.values),
    ).toEqual([
      { a: null, b: 2 },
      { a: 1, b: null },
    ]);
  });
});
