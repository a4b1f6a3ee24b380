import { describe, expect, it } from "vitest";
import {
  addMonths,
  qualityExportQuerySchema,
  qualityFiltersToSearch,
  qualityMetricsQuerySchema,
  resolveQualityFilters,
  type QualityMetric,
} from "@/lib/api/quality";
import {
  metricToCsv,
  monthsOfPeriod,
  protectPartition,
  publishRate,
  SMALL_CELL_THRESHOLD,
  suppressCount,
} from "@/lib/server/quality";
import {
  filtersFromSearch,
  formatBasis,
  formatCount,
  formatMonth,
  formatValue,
  heatShade,
  sparklineSegments,
  summarizeTrend,
  trendRows,
  contrastRatio,
  heatColours,
} from "@/components/quality/quality.utils";

describe("suppressCount", () => {
  it.each([
    [0, 0],
    [1, "<11"],
    [10, "<11"],
    [11, 11],
    [250, 250],
  ])("%i patients → %s", (n, shown) => {
    expect(suppressCount({ n })).toBe(shown);
  });

  it("suppresses a count of many flags from fewer than 11 patients", () => {
    expect(suppressCount({ n: 30, patients: 10 })).toBe("<11");
    expect(suppressCount({ n: 30, patients: 11 })).toBe(30);
  });

  it("uses the policy threshold of 11", () => {
    expect(SMALL_CELL_THRESHOLD).toBe(11);
  });
});

describe("publishRate", () => {
  it("shows both counts and the percentage", () => {
    expect(publishRate({ n: 70 }, { n: 81 })).toEqual({
      value: 86.4,
      numerator: 70,
      denominator: 81,
    });
  });

  it("withholds the percentage of a small numerator or denominator", () => {
    expect(publishRate({ n: 3 }, { n: 92 })).toEqual({
      value: null,
      numerator: "<11",
      denominator: 92,
    });
    expect(publishRate({ n: 3 }, { n: 5 })).toEqual({
      value: null,
      numerator: "<11",
      denominator: "<11",
    });
  });

  it("hides a numerator whose rest (denominator − numerator) is 1–10", () => {
    expect(publishRate({ n: 58 }, { n: 60 })).toEqual({
      value: null,
      numerator: "suppressed",
      denominator: 60,
    });
    // 100 % and 0 % reveal no small group.
    expect(publishRate({ n: 60 }, { n: 60 }).value).toBe(100);
    expect(publishRate({ n: 0 }, { n: 60 })).toEqual({ value: 0, numerator: 0, denominator: 60 });
  });

  it("gives no percentage of nobody", () => {
    expect(publishRate({ n: 0 }, { n: 0 })).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});

describe("protectPartition", () => {
  const parts = (...ns: number[]) => ns.map((n) => ({ n, shown: suppressCount({ n }) }));

  it("hides the smallest other part when one hidden part could be subtracted out", () => {
    expect(protectPartition(50, parts(3, 12, 20, 15))).toEqual(["<11", "suppressed", 20, 15]);
  });

  it("stops once the hidden parts add up to 11 or more", () => {
    expect(protectPartition(50, parts(5, 8, 20, 17))).toEqual(["<11", "<11", 20, 17]);
  });

  it("does nothing when the total itself is not shown", () => {
    expect(protectPartition("<11", parts(3, 4))).toEqual(["<11", "<11"]);
  });

  it("leaves zeros and a fully visible partition alone", () => {
    expect(protectPartition(40, parts(0, 20, 20))).toEqual([0, 20, 20]);
  });
});

describe("monthsOfPeriod", () => {
  it("lists every month from the first to the last, across a year end", () => {
    expect(monthsOfPeriod("2025-11-26", "2026-02-03")).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
    ]);
    expect(monthsOfPeriod("2026-03-01", "2026-03-31")).toEqual(["2026-03"]);
  });
});

/** A screening rate as the API gives it: the figures vary, the rest is the same. */
function screeningRate(
  figures: Pick<QualityMetric, "id" | "title" | "value" | "numerator" | "denominator" | "series">,
): QualityMetric {
  return {
    section: "screening",
    unit: "percent",
    definition: "d",
    source: "s",
    higherIsBetter: true,
    ...figures,
  };
}

describe("CSV", () => {
  it("exports a metric with its suppression markers", () => {
    const metric = screeningRate({
      id: "screening.dxa",
      title: "DXA",
      value: null,
      numerator: "<11",
      denominator: 40,
      series: [{ month: "2026-01", value: 50, numerator: 20, denominator: 40 }],
    });
    const csv = metricToCsv(
      metric,
      { from: "2026-01-01", to: "2026-01-31", site: null, ageBand: "75-84", sex: null },
      {
        sites: [
          { id: "a", code: "N", name: "North Clinic" },
          { id: "b", code: "S", name: "Süd Klinik" },
        ],
        now: new Date("2026-02-01T09:30:00Z"),
      },
    );
    const lead = "screening.dxa,DXA,2026-01-01,2026-01-31,North Clinic; Süd Klinik,N; S,75-84,all";
    const context =
      '"from=2026-01-01; to=2026-01-31; site=N,S; ageBand=75-84",2026-02-01T09:30:00.000Z,UTC';
    expect(csv.split("\r\n")).toEqual([
      "metric,metric_name,from,to,sites,site_codes,age_band,sex,row,month,group,value,unit,numerator,denominator,filters,generated_at,time_zone",
      `${lead},period,,,,percent,<11,40,${context}`,
      `${lead},month,2026-01,,50,percent,20,40,${context}`,
      "",
    ]);
  });
});

describe("query and filters", () => {
  it("defaults to the 12 months up to today", () => {
    expect(resolveQualityFilters({}, "2026-11-26")).toEqual({
      from: "2025-11-26",
      to: "2026-11-26",
      site: null,
      ageBand: null,
      sex: null,
    });
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2024-02-29", -12)).toBe("2023-02-28");
  });

  it("refuses a reversed or too long period with a field path", () => {
    expect(() =>
      resolveQualityFilters({ from: "2026-02-01", to: "2026-01-01" }, "2026-11-26"),
    ).toThrow(expect.objectContaining({ kind: "bad-request" }));
    expect(() => resolveQualityFilters({ from: "2016-01-01" }, "2026-11-26")).toThrow();
  });

  it("reads 85+ even when the + arrived as a space, and treats empty fields as unset", () => {
    const parsed = qualityMetricsQuerySchema.parse({ ageBand: "85 ", sex: "", site: "" });
    expect(parsed).toEqual({ ageBand: "85+" });
  });

  it.each([
    [{ from: "2026-02-30" }, "from"],
    [{ site: "north" }, "site"],
    [{ ageBand: "60-70" }, "ageBand"],
    [{ sex: "f" }, "sex"],
    [{ limit: "5" }, ""],
  ])("rejects %j", (query, path) => {
    const result = qualityMetricsQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    if (path) expect(result.error?.issues[0]?.path).toEqual([path]);
  });

  it("requires a known metric for exports", () => {
    expect(qualityExportQuerySchema.safeParse({ metric: "nope" }).success).toBe(false);
    expect(qualityExportQuerySchema.safeParse({ metric: "rule-performance" }).success).toBe(true);
  });

  it("round-trips the filters through the URL", () => {
    const search = qualityFiltersToSearch({
      from: "2026-01-01",
      to: "2026-06-30",
      site: null,
      ageBand: "85+",
      sex: "female",
    });
    expect(search).toBe("from=2026-01-01&to=2026-06-30&ageBand=85%2B&sex=female");
    expect(filtersFromSearch(new URLSearchParams(search), "2026-11-26")).toEqual({
      filters: { from: "2026-01-01", to: "2026-06-30", site: null, ageBand: "85+", sex: "female" },
      invalid: false,
    });
    expect(filtersFromSearch(new URLSearchParams("from=2027-01-01"), "2026-11-26").invalid).toBe(
      true,
    );
  });
});

describe("page shaping", () => {
  const metric = screeningRate({
    id: "screening.depression",
    title: "Depression screening (65+)",
    value: 85.9,
    numerator: 67,
    denominator: 78,
    series: [
      { month: "2026-01", value: null, numerator: "<11", denominator: "<11" },
      { month: "2026-02", value: 80, numerator: 44, denominator: 55 },
      { month: "2026-03", value: 85.9, numerator: 67, denominator: 78 },
    ],
  });

  it("formats values, counts and months", () => {
    expect(formatValue(metric, 85.9, metric)).toBe("85.9 %");
    expect(formatValue(metric, null, { numerator: "<11", denominator: 40 })).toBe("<11");
    expect(formatValue(metric, null, { numerator: "suppressed", denominator: 40 })).toBe("hidden");
    expect(formatValue(metric, null, { numerator: 0, denominator: 0 })).toBe("—");
    expect(formatValue({ unit: "days" }, 2.5, metric)).toBe("2.5 days");
    expect(formatCount(1234)).toBe("1,234");
    expect(formatCount("suppressed")).toBe("hidden");
    expect(formatBasis(metric)).toBe("67 of 78 patients");
    expect(formatMonth("2026-03")).toBe("Mar 2026");
  });

  it("summarises a trend in words", () => {
    expect(summarizeTrend(metric)).toBe(
      "Depression screening (65+): 85.9 % over the period (67 of 78 patients). " +
        "Monthly: 80 % in Feb 2026, 85.9 % in Mar 2026. 1 month is not shown (no patients or small numbers).",
    );
  });

  it("breaks the sparkline at hidden months", () => {
    expect(sparklineSegments([10, null, 20, 30], 30, 10, { min: 0, max: 30 })).toEqual([
      "0.0,6.7",
      "20.0,3.3 30.0,0.0",
    ]);
    expect(sparklineSegments([null, null], 30, 10)).toEqual([]);
  });

  it("builds chart rows and heat shades", () => {
    expect(trendRows([metric])[1]).toEqual({ month: "Feb 2026", "screening.depression": 80 });
    expect(heatShade("<11", 10)).toBe(0);
    expect(heatShade(5, 10)).toBe(0.5);
  });
});

describe("heatmap colours", () => {
  it("keep text on colour at 4.5:1 or more at every shade", () => {
    for (let i = 0; i <= 200; i++) {
      const { rgb, text } = heatColours(i / 200);
      expect(contrastRatio(rgb, text), `shade ${i / 200}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("compute WCAG contrast as published (black on white is 21:1)", () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2);
  });

  it("grow darker with the count", () => {
    const l = (s: number) => contrastRatio(heatColours(s).rgb, [255, 255, 255]);
    expect(l(0.1)).toBeLessThan(l(0.4));
    expect(l(0.4)).toBeLessThan(l(0.6));
    expect(l(0.6)).toBeLessThan(l(1));
  });
});
