import { describe, expect, it } from "vitest";
import {
  RULESET_POLICY,
  assess,
  compareVitaminD,
  gds15Band,
  gds15Total,
  phq2Band,
  phq9Band,
  toNgPerMl,
  vitaminDBand,
  vitaminDBandOf,
  whoCategory,
} from "@/lib/clinical";
import type { FlagCode, ObservationKind, Observation } from "@/lib/clinical";
import {
  bmdT,
  bmdZ,
  bornAged,
  codes,
  daysAgo,
  falls,
  flagOf,
  frax,
  gds15,
  gds15Answers,
  makeInput,
  med,
  phq2,
  phq9,
  vitD,
} from "./fixtures";

describe("PHQ-9 bands (Kroenke 2001)", () => {
  it.each([
    [0, "minimal"],
    [4, "minimal"],
    [5, "mild"],
    [9, "mild"],
    [10, "moderate"],
    [14, "moderate"],
    [15, "moderately-severe"],
    [19, "moderately-severe"],
    [20, "severe"],
    [27, "severe"],
  ] as const)("total %i is %s", (total, band) => {
    expect(phq9Band(total)).toBe(band);
  });

  it.each([
    [4, []],
    [5, ["depression.mild-symptoms"]],
    [9, ["depression.mild-symptoms"]],
    [10, ["depression.positive"]],
    [14, ["depression.positive"]],
    [15, ["depression.positive"]],
    [19, ["depression.positive"]],
    [20, ["depression.positive"]],
  ] as const)("PHQ-9 %i gives depression flags %j", (total, expected) => {
    const depression = codes(assess(makeInput([phq9(total)], { birthDate: bornAged(40) }))).filter(
      (code) => code.startsWith("depression."),
    );
    expect(depression).toEqual(expected);
  });

  it.each([
    [14, "moderate"],
    [15, "high"],
  ] as const)("PHQ-9 %i: depression.positive is %s", (total, severity) => {
    expect(flagOf(assess(makeInput([phq9(total)])), "depression.positive")?.severity).toBe(
      severity,
    );
  });
});

describe("GDS-15 (Sheikh & Yesavage 1986)", () => {
  it("scores reverse items 1, 5, 7, 11, 13 on 'no'", () => {
    const allNo = Array.from({ length: 15 }, () => "no" as const);
    const allYes = Array.from({ length: 15 }, () => "yes" as const);
    expect(gds15Total(allNo)).toBe(5);
    expect(gds15Total(allYes)).toBe(10);
    expect(gds15Total([...allNo.slice(0, 14), null])).toBeNull();
  });

  it.each([0, 4, 5, 9, 10, 15])("answers built for %i score %i", (score) => {
    expect(gds15Total(gds15Answers(score))).toBe(score);
  });

  it.each([
    [4, "normal", null],
    [5, "suggests-depression", "moderate"],
    [9, "suggests-depression", "moderate"],
    [10, "probable-depression", "high"],
  ] as const)("GDS-15 %i is %s", (score, band, severity) => {
    expect(gds15Band(score)).toBe(band);
    const flag = flagOf(assess(makeInput([gds15(score)])), "depression.positive");
    expect(flag?.severity ?? null).toBe(severity);
  });
});

describe("PHQ-2 (Kroenke 2003)", () => {
  it.each([
    [2, "negative", false],
    [3, "positive", true],
  ] as const)("PHQ-2 %i is %s", (total, band, positive) => {
    expect(phq2Band(total)).toBe(band);
    expect(codes(assess(makeInput([phq2(total)]))).includes("depression.positive")).toBe(positive);
  });
});

describe("which screen decides (§3)", () => {
  it("the newest complete screen decides, whatever its kind", () => {
    expect(codes(assess(makeInput([phq9(15, 10), gds15(2, 0)])))).not.toContain(
      "depression.positive",
    );
    expect(codes(assess(makeInput([phq9(2, 10), gds15(6, 0)])))).toContain("depression.positive");
  });

  it("on one day PHQ-9 wins over GDS-15, which wins over PHQ-2", () => {
    expect(codes(assess(makeInput([phq9(3), gds15(12)])))).not.toContain("depression.positive");
    expect(codes(assess(makeInput([gds15(2), phq2(6)])))).not.toContain("depression.positive");
    expect(assess(makeInput([phq2(1), phq9(12)])).scores.depressionScreen?.kind).toBe("phq9");
  });

  it("on one day the higher of two PHQ-9s wins", () => {
    const result = assess(makeInput([phq9(4), phq9(11)]));
    expect(result.scores.depressionScreen?.total).toBe(11);
    expect(assess(makeInput([phq9(11), phq9(4)])).scores.depressionScreen?.total).toBe(11);
  });

  it("an incomplete questionnaire below the cut-off by its answered items is skipped, however new", () => {
    const incomplete: Observation = {
      kind: "gds15",
      effective: daysAgo(0),
      answers: [...gds15Answers(4).slice(0, 14), null],
    };
    const result = assess(makeInput([phq9(3, 30), incomplete]));
    expect(result.scores.depressionScreen?.kind).toBe("phq9");
    expect(result.scores.gds15).toMatchObject({ total: null, band: null, complete: false });
  });

  it("an incomplete questionnaire at the cut-off by its answered items decides, as at least N", () => {
    const incomplete: Observation = {
      kind: "gds15",
      effective: daysAgo(0),
      answers: [...gds15Answers(12).slice(0, 14), null],
    };
    const result = assess(makeInput([phq9(3, 30), incomplete]));
    expect(result.scores.depressionScreen).toMatchObject({
      kind: "gds15",
      total: 12,
      atLeast: true,
      positive: true,
    });
    expect(result.scores.gds15).toMatchObject({ total: null, band: null, complete: false });
  });

  it("an incomplete PHQ-9 has no total but its item 9 still counts", () => {
    const incomplete: Observation = {
      kind: "phq9",
      effective: daysAgo(0),
      items: [null, 0, 0, 0, 0, 0, 0, 0, 1],
    };
    const result = assess(makeInput([incomplete]));
    expect(result.scores.phq9).toMatchObject({ total: null, complete: false, item9: 1 });
    expect(flagOf(result, "safety.suicide-risk")?.severity).toBe("critical");
    expect(result.scores.depressionScreen).toBeNull();
  });
});

describe("WHO categories and T-scores", () => {
  it.each([
    [-0.9, "normal"],
    [-1.0, "normal"],
    [-1.1, "low-bone-mass"],
    [-2.4, "low-bone-mass"],
    [-2.5, "osteoporosis"],
    [-4, "osteoporosis"],
  ] as const)("T %d is %s", (t, category) => {
    expect(whoCategory(t)).toBe(category);
  });

  it("≤ −2.5 with a fragility fracture is severe", () => {
    expect(whoCategory(-2.5, true)).toBe("severe-osteoporosis");
    expect(whoCategory(-2.4, true)).toBe("low-bone-mass");
  });

  it.each([
    [-1.0, []],
    [-1.1, ["bone.osteopenia"]],
    [-2.4, ["bone.osteopenia"]],
    [-2.5, ["bone.osteoporosis", "bone.treatment-gap"]],
  ] as const)("T %d gives bone flags %j", (t, expected) => {
    const bone = codes(assess(makeInput([bmdT(t)]))).filter((c) => c.startsWith("bone."));
    expect(bone.sort()).toEqual([...expected].sort());
  });

  it("uses the latest result per site and the lowest across sites", () => {
    const result = assess(
      makeInput([
        bmdT(-3.0, "femoral_neck", 400),
        bmdT(-1.2, "femoral_neck", 10),
        bmdT(-1.8, "lumbar_spine", 300),
      ]),
    );
    expect(result.scores.lowestTScore).toMatchObject({ value: -1.8, site: "lumbar_spine" });
    expect(codes(result)).toContain("bone.osteopenia");
    expect(codes(result)).not.toContain("bone.osteoporosis");
  });

  it("the radius counts for WHO categories but not for the BHOF T criterion", () => {
    const result = assess(makeInput([bmdT(-2.7, "radius_33"), bmdT(-2.0, "total_hip")]));
    expect(result.scores.lowestTScore?.site).toBe("radius_33");
    expect(result.scores.lowestCentralTScore).toMatchObject({ value: -2.0, site: "total_hip" });
    expect(codes(result)).toContain("bone.osteoporosis");
    expect(codes(result)).not.toContain("bone.treatment-gap");
  });

  it("low bone mass with a high FRAX meets the BHOF criterion", () => {
    expect(codes(assess(makeInput([bmdT(-1.5), frax(20, 1)])))).toContain("bone.treatment-gap");
    expect(codes(assess(makeInput([bmdT(-1.5), frax(10, 3)])))).toContain("bone.treatment-gap");
    expect(codes(assess(makeInput([bmdT(-1.0), frax(30, 5)])))).not.toContain("bone.treatment-gap");
  });
});

describe("Z-scores where WHO categories do not apply", () => {
  it.each([
    [-1.9, false],
    [-2.0, true],
  ] as const)("Z %d in a man of 40: low-for-age %s", (z, fires) => {
    const result = assess(makeInput([bmdZ(z)], { birthDate: bornAged(40) }));
    expect(codes(result).includes("bone.low-for-age")).toBe(fires);
    expect(result.scores.whoCategory).toBe("not-applicable");
  });

  it("T-scores drive no bone flag in a premenopausal woman", () => {
    const result = assess(
      makeInput(
        [{ kind: "bmd", effective: daysAgo(0), site: "lumbar_spine", tScore: -3, zScore: -1 }],
        {
          sex: "female",
          postmenopausal: false,
          birthDate: bornAged(55),
        },
      ),
    );
    expect(codes(result).filter((c) => c.startsWith("bone."))).toEqual([]);
  });
});

describe("WHO applicability by age and sex (policy)", () => {
  it.each([
    ["male", undefined, 49, false],
    ["male", undefined, 50, true],
    ["female", undefined, 49, false],
    ["female", undefined, 50, true],
    ["female", true, 45, true],
    ["female", false, 60, false],
    ["other", undefined, 49, false],
    ["other", undefined, 50, true],
    ["unknown", undefined, 50, true],
  ] as const)(
    "%s (postmenopausal %s) at %i: applicable %s",
    (sex, postmenopausal, age, applicable) => {
      const patient =
        postmenopausal === undefined
          ? { sex, birthDate: bornAged(age) }
          : { sex, postmenopausal, birthDate: bornAged(age) };
      const result = assess(makeInput([bmdT(-1.5)], patient));
      expect(result.scores.whoApplicable).toBe(applicable);
      expect(codes(result).includes("bone.osteopenia")).toBe(applicable);
    },
  );
});

describe("FRAX (BHOF 2022)", () => {
  it.each([
    [19.9, 2.9, false],
    [20, 0, true],
    [0, 3, true],
    [19.9, 3, true],
  ] as const)("major %d %%, hip %d %%: high %s", (major, hip, high) => {
    expect(codes(assess(makeInput([frax(major, hip)]))).includes("bone.high-fracture-risk")).toBe(
      high,
    );
  });
});

describe("vitamin D thresholds (ng/mL and exact nmol/L)", () => {
  it.each([
    [11.99, "deficient"],
    [12, "inadequate"],
    [19.99, "inadequate"],
    [20, "sufficient"],
    [29.99, "sufficient"],
    [30, "bone-target"],
    [50, "bone-target"],
    [50.01, "above-target"],
    [100, "above-target"],
    [100.01, "high"],
    [150, "high"],
    [150.01, "toxic"],
  ] as const)("%d ng/mL is %s", (value, band) => {
    expect(vitaminDBand(value)).toBe(band);
  });

  it.each([
    [29.95, "deficient"],
    [29.952, "inadequate"],
    [49.919, "inadequate"],
    [49.92, "sufficient"],
    [74.879, "sufficient"],
    [74.88, "bone-target"],
    [124.8, "bone-target"],
    [124.801, "above-target"],
    [249.6, "above-target"],
    [249.601, "high"],
    [374.4, "high"],
    [374.401, "toxic"],
  ] as const)("%d nmol/L is %s", (value, band) => {
    expect(vitaminDBandOf(value, "nmol/L")).toBe(band);
  });

  it("compares the exact converted value", () => {
    expect(compareVitaminD(29.952, "nmol/L", 12)).toBe(0);
    expect(compareVitaminD(29.95, "nmol/L", 12)).toBe(-1);
    expect(compareVitaminD(29.9520001, "nmol/L", 12)).toBe(1);
    expect(compareVitaminD(374.4, "nmol/L", 150)).toBe(0);
    expect(toNgPerMl(24.96, "nmol/L")).toBeCloseTo(10, 12);
  });

  it.each([
    [29.95, "vitd.deficient"],
    [29.952, "vitd.inadequate"],
    [374.4, "vitd.high"],
    [374.401, "safety.vitamin-d-toxicity"],
  ] as const)("%d nmol/L fires %s", (value, code) => {
    expect(codes(assess(makeInput([vitD(value, "nmol/L")])))).toContain(code);
  });
});

describe("freshness windows (§2, inclusive)", () => {
  const cases: readonly [
    ObservationKind,
    Observation,
    Observation,
    "current" | "stale",
    "stale" | "missing",
  ][] = [
    ["phq9", phq9(3, 90), phq9(3, 91), "current", "stale"],
    ["phq9", phq9(3, 365), phq9(3, 366), "stale", "missing"],
    ["phq2", phq2(1, 90), phq2(1, 91), "current", "stale"],
    ["gds15", gds15(1, 365), gds15(1, 366), "stale", "missing"],
    ["bmd", bmdT(0, "total_hip", 730), bmdT(0, "total_hip", 731), "current", "stale"],
    ["bmd", bmdT(0, "total_hip", 3650), bmdT(0, "total_hip", 3651), "stale", "missing"],
    ["frax", frax(5, 1, 730), frax(5, 1, 731), "current", "stale"],
    ["frax", frax(5, 1, 1825), frax(5, 1, 1826), "stale", "missing"],
    ["vitaminD", vitD(35, "ng/mL", 365), vitD(35, "ng/mL", 366), "current", "stale"],
    ["vitaminD", vitD(35, "ng/mL", 730), vitD(35, "ng/mL", 731), "stale", "missing"],
  ];

  it.each(cases)(
    "%s: edge inside vs one day outside",
    (kind, inside, outside, insideStatus, outsideStatus) => {
      const statusOf = (obs: Observation): unknown =>
        assess(makeInput([obs])).dataStatus.find((entry) => entry.kind === kind)?.status;
      expect(statusOf(inside)).toBe(insideStatus);
      expect(statusOf(outside)).toBe(outsideStatus);
    },
  );

  it("falls: 365 days is current, 366 is missing", () => {
    const status = (ago: number): unknown =>
      assess(makeInput([falls(1, {}, ago)])).dataStatus.find((e) => e.kind === "falls");
    expect(status(365)).toEqual({ kind: "falls", status: "current", lastEffective: daysAgo(365) });
    expect(status(366)).toEqual({ kind: "falls", status: "missing", lastEffective: daysAgo(366) });
  });

  it("an observation outside the usable window is ignored but its date is kept", () => {
    const result = assess(makeInput([bmdT(-3, "total_hip", 4000)]));
    expect(codes(result)).not.toContain("bone.osteoporosis");
    expect(result.dataStatus.find((e) => e.kind === "bmd")).toEqual({
      kind: "bmd",
      status: "missing",
      lastEffective: daysAgo(4000),
    });
  });

  it("fracture and medication have no limit", () => {
    const result = assess(
      makeInput([
        { kind: "fracture", effective: daysAgo(9000), site: "rib", fragility: false },
        med("ppi", { effective: daysAgo(9000) }),
      ]),
    );
    expect(
      result.dataStatus
        .filter((e) => e.kind === "fracture" || e.kind === "medication")
        .map((e) => e.status),
    ).toEqual(["current", "current"]);
  });

  it("an older observation never overrides a newer one", () => {
    expect(codes(assess(makeInput([vitD(8, "ng/mL", 100), vitD(35, "ng/mL", 10)])))).not.toContain(
      "vitd.deficient",
    );
  });

  it("the policy windows are the ones tested", () => {
    expect(RULESET_POLICY.freshness.phq9).toEqual({ currentDays: 90, usableDays: 365 });
    expect(RULESET_POLICY.freshness.bmd).toEqual({ currentDays: 730, usableDays: 3650 });
  });
});

describe("glucocorticoid (ACR 2022)", () => {
  it.each([
    [2.4, 200, false],
    [2.5, 200, true],
    [5, 90, false],
    [5, 91, true],
  ] as const)("%d mg/day for %i days: flag %s", (dose, days, fires) => {
    const result = assess(
      makeInput([
        med("glucocorticoid", {
          prednisoloneMgPerDay: dose,
          startedOn: daysAgo(days),
          effective: daysAgo(0),
        }),
      ]),
    );
    expect(codes(result).includes("meds.glucocorticoid-bone-risk")).toBe(fires);
  });

  it("a long-term glucocorticoid is a DXA indication", () => {
    const result = assess(
      makeInput([med("glucocorticoid", { prednisoloneMgPerDay: 5, startedOn: daysAgo(200) })], {
        birthDate: bornAged(40),
      }),
    );
    expect(codes(result)).toContain("bone.dxa-due");
  });
});

describe("age thresholds", () => {
  const screens = (age: number, sex: "female" | "male" = "male"): FlagCode[] =>
    codes(assess(makeInput([], { birthDate: bornAged(age), sex })));

  it.each([
    [64, false],
    [65, true],
  ] as const)("age %i: falls and depression screens due %s", (age, due) => {
    expect(screens(age).includes("falls.screen-due")).toBe(due);
    expect(screens(age).includes("depression.screen-due")).toBe(due);
    expect(screens(age, "female").includes("bone.dxa-due")).toBe(due);
  });

  it.each([
    [69, false],
    [70, true],
  ] as const)("man aged %i: DXA due %s", (age, due) => {
    expect(screens(age).includes("bone.dxa-due")).toBe(due);
  });

  it.each([
    [49, false],
    [50, true],
  ] as const)("depressed adult aged %i: bone unassessed %s", (age, fires) => {
    const result = assess(makeInput([phq9(12)], { birthDate: bornAged(age) }));
    expect(codes(result).includes("comorbidity.bone-unassessed")).toBe(fires);
  });

  it("a birthday on asOf counts, the day after does not", () => {
    expect(assess(makeInput([], { birthDate: "1961-11-26" })).scores.age).toBe(65);
    expect(assess(makeInput([], { birthDate: "1961-11-27" })).scores.age).toBe(64);
  });
});
