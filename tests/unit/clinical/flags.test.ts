import { describe, expect, it } from "vitest";
import { FLAG_CODES, SUGGESTION_CATEGORIES, SUGGESTION_IDS, assess } from "@/lib/clinical";
import type { AssessInput, FlagCode, Severity } from "@/lib/clinical";
import {
  bmdT,
  bmdZ,
  bornAged,
  codes,
  daysAgo,
  falls,
  female,
  flagOf,
  fracture,
  frax,
  makeInput,
  male,
  med,
  phq9,
  phq2,
  phq9Total,
  vitD,
} from "./fixtures";

interface FiresCase {
  readonly name: string;
  readonly code: FlagCode;
  readonly input: AssessInput;
  readonly severity: Severity;
}

interface SilentCase {
  readonly name: string;
  readonly code: FlagCode;
  readonly input: AssessInput;
}

const FIRES: readonly FiresCase[] = [
  {
    name: "current item 9 = 1",
    code: "safety.suicide-risk",
    severity: "critical",
    input: makeInput([phq9(5, 0, 1)]),
  },
  {
    name: "item 9 = 2 at 91 days",
    code: "safety.suicide-risk",
    severity: "high",
    input: makeInput([phq9(5, 91, 2)]),
  },
  {
    name: "total without items",
    code: "safety.suicide-item-unknown",
    severity: "high",
    input: makeInput([phq9Total(12)]),
  },
  {
    name: "item 9 unanswered",
    code: "safety.suicide-item-unknown",
    severity: "moderate",
    input: makeInput([
      { kind: "phq9", effective: daysAgo(0), items: [1, 1, 1, 1, 1, 1, 1, 1, null] },
    ]),
  },
  {
    name: "25(OH)D 151 ng/mL",
    code: "safety.vitamin-d-toxicity",
    severity: "high",
    input: makeInput([vitD(151)]),
  },
  {
    name: "PHQ-9 10",
    code: "depression.positive",
    severity: "moderate",
    input: makeInput([phq9(10)]),
  },
  {
    name: "PHQ-9 5",
    code: "depression.mild-symptoms",
    severity: "low",
    input: makeInput([phq9(5)]),
  },
  {
    name: "PHQ-9 14 after 14 seventy days earlier",
    code: "depression.not-improving",
    severity: "high",
    input: makeInput([phq9(14, 0), phq9(14, 70)]),
  },
  {
    name: "age 65, never screened",
    code: "depression.screen-due",
    severity: "low",
    input: makeInput([], male(65)),
  },
  {
    name: "T −2.5 with a wrist fracture",
    code: "bone.severe-osteoporosis",
    severity: "high",
    input: makeInput([bmdT(-2.5), fracture("wrist")]),
  },
  {
    name: "T −2.5",
    code: "bone.osteoporosis",
    severity: "moderate",
    input: makeInput([bmdT(-2.5)]),
  },
  {
    name: "hip fragility fracture",
    code: "bone.osteoporosis",
    severity: "moderate",
    input: makeInput([fracture("hip")]),
  },
  { name: "T −1.1", code: "bone.osteopenia", severity: "low", input: makeInput([bmdT(-1.1)]) },
  {
    name: "man of 40, Z −2.0",
    code: "bone.low-for-age",
    severity: "moderate",
    input: makeInput([bmdZ(-2.0)], male(40)),
  },
  {
    name: "FRAX major 20 %",
    code: "bone.high-fracture-risk",
    severity: "moderate",
    input: makeInput([frax(20, 0)]),
  },
  {
    name: "FRAX hip 3 %",
    code: "bone.high-fracture-risk",
    severity: "moderate",
    input: makeInput([frax(0, 3)]),
  },
  {
    name: "T −2.5 untreated",
    code: "bone.treatment-gap",
    severity: "high",
    input: makeInput([bmdT(-2.5)]),
  },
  {
    name: "wrist fracture 364 days ago, no DXA",
    code: "bone.fracture-followup-due",
    severity: "high",
    input: makeInput([fracture("wrist", 364)]),
  },
  {
    name: "woman of 65 without DXA",
    code: "bone.dxa-due",
    severity: "low",
    input: makeInput([], female(65)),
  },
  {
    name: "woman of 70, low bone mass 731 days ago",
    code: "bone.dxa-due",
    severity: "low",
    input: makeInput([bmdT(-1.1, "femoral_neck", 731)], female(70)),
  },
  {
    name: "11.9 ng/mL",
    code: "vitd.deficient",
    severity: "moderate",
    input: makeInput([vitD(11.9)]),
  },
  { name: "19.9 ng/mL", code: "vitd.inadequate", severity: "low", input: makeInput([vitD(19.9)]) },
  {
    name: "29.9 ng/mL with osteopenia",
    code: "vitd.below-bone-target",
    severity: "low",
    input: makeInput([vitD(29.9), bmdT(-1.1)]),
  },
  {
    name: "50.1 ng/mL",
    code: "vitd.above-target",
    severity: "info",
    input: makeInput([vitD(50.1)]),
  },
  { name: "100.1 ng/mL", code: "vitd.high", severity: "moderate", input: makeInput([vitD(100.1)]) },
  { name: "one fall", code: "falls.at-risk", severity: "low", input: makeInput([falls(1)]) },
  {
    name: "unsteady only",
    code: "falls.at-risk",
    severity: "low",
    input: makeInput([falls(0, { unsteady: true })]),
  },
  {
    name: "worried only",
    code: "falls.at-risk",
    severity: "low",
    input: makeInput([falls(0, { worriedAboutFalling: true })]),
  },
  { name: "two falls", code: "falls.at-risk", severity: "moderate", input: makeInput([falls(2)]) },
  {
    name: "injurious fall",
    code: "falls.at-risk",
    severity: "moderate",
    input: makeInput([falls(1, { injurious: true })]),
  },
  {
    name: "age 65, no falls screen",
    code: "falls.screen-due",
    severity: "low",
    input: makeInput([], male(65)),
  },
  {
    name: "SSRI with osteopenia",
    code: "meds.antidepressant-bone-risk",
    severity: "moderate",
    input: makeInput([med("ssri"), bmdT(-1.1)]),
  },
  {
    name: "TCA with a fragility fracture",
    code: "meds.antidepressant-bone-risk",
    severity: "moderate",
    input: makeInput([med("tca"), fracture("rib", 1000)]),
  },
  {
    name: "SSRI with a fall",
    code: "meds.antidepressant-bone-risk",
    severity: "moderate",
    input: makeInput([med("ssri"), falls(1)]),
  },
  {
    name: "prednisolone 2.5 mg for 91 days",
    code: "meds.glucocorticoid-bone-risk",
    severity: "moderate",
    input: makeInput([
      med("glucocorticoid", { prednisoloneMgPerDay: 2.5, startedOn: daysAgo(91) }),
    ]),
  },
  {
    name: "prednisolone 5 mg recorded 91 days ago, no start date",
    code: "meds.glucocorticoid-bone-risk",
    severity: "moderate",
    input: makeInput([med("glucocorticoid", { prednisoloneMgPerDay: 5, effective: daysAgo(91) })]),
  },
  {
    name: "benzodiazepine with a fall",
    code: "meds.fall-risk-drugs",
    severity: "moderate",
    input: makeInput([med("benzodiazepine"), falls(1)]),
  },
  {
    name: "denosumab stopped 365 days ago",
    code: "meds.denosumab-stopped",
    severity: "high",
    input: makeInput([
      med("denosumab", {
        effective: daysAgo(700),
        startedOn: daysAgo(700),
        stoppedOn: daysAgo(365),
      }),
    ]),
  },
  {
    name: "denosumab recorded active, then a later record stops it",
    code: "meds.denosumab-stopped",
    severity: "high",
    input: makeInput([
      med("denosumab", { effective: daysAgo(400) }),
      med("denosumab", { effective: daysAgo(30), stoppedOn: daysAgo(30) }),
    ]),
  },
  {
    name: "PHQ-9 10 with osteopenia",
    code: "comorbidity.bone-brain",
    severity: "high",
    input: makeInput([phq9(10), bmdT(-1.1)]),
  },
  {
    name: "GDS-15 positive with an old fragility fracture",
    code: "comorbidity.bone-brain",
    severity: "high",
    input: makeInput([{ kind: "gds15", effective: daysAgo(0), total: 5 }, fracture("wrist", 3000)]),
  },
  {
    name: "PHQ-9 10 at 60 without BMD",
    code: "comorbidity.bone-unassessed",
    severity: "moderate",
    input: makeInput([phq9(10)]),
  },
  {
    name: "osteoporosis without a mood screen",
    code: "comorbidity.mood-unassessed",
    severity: "moderate",
    input: makeInput([bmdT(-2.5)]),
  },
  {
    name: "fragility fracture 730 days ago without a mood screen",
    code: "comorbidity.mood-unassessed",
    severity: "moderate",
    input: makeInput([fracture("wrist", 730)]),
  },
];

const SILENT: readonly SilentCase[] = [
  { name: "item 9 = 0", code: "safety.suicide-risk", input: makeInput([phq9(5, 0, 0)]) },
  {
    name: "item 9 > 0 older than the usable window",
    code: "safety.suicide-risk",
    input: makeInput([phq9(5, 366, 1)]),
  },
  {
    name: "newer PHQ-9 records item 9 = 0",
    code: "safety.suicide-risk",
    input: makeInput([phq9(5, 10, 2), phq9(5, 0, 0)]),
  },
  { name: "items recorded", code: "safety.suicide-item-unknown", input: makeInput([phq9(12)]) },
  { name: "150 ng/mL", code: "safety.vitamin-d-toxicity", input: makeInput([vitD(150)]) },
  { name: "PHQ-9 9", code: "depression.positive", input: makeInput([phq9(9)]) },
  {
    name: "incomplete PHQ-9 below the cut-off by its answered items does not decide",
    code: "depression.positive",
    input: makeInput([
      phq9(4),
      { kind: "phq9", effective: daysAgo(0), items: [3, 3, 3, 0, null, 0, 0, 0, 0] },
    ]),
  },
  { name: "PHQ-9 4", code: "depression.mild-symptoms", input: makeInput([phq9(4)]) },
  { name: "PHQ-9 10 is not mild", code: "depression.mild-symptoms", input: makeInput([phq9(10)]) },
  {
    name: "69 days apart",
    code: "depression.not-improving",
    input: makeInput([phq9(14, 0), phq9(14, 69)]),
  },
  {
    name: "exactly half",
    code: "depression.not-improving",
    input: makeInput([phq9(10, 0), phq9(20, 80)]),
  },
  { name: "age 64", code: "depression.screen-due", input: makeInput([], male(64)) },
  {
    name: "age 65, screened",
    code: "depression.screen-due",
    input: makeInput([phq9(0)], male(65)),
  },
  {
    name: "T −2.4 with a fracture",
    code: "bone.severe-osteoporosis",
    input: makeInput([bmdT(-2.4), fracture("wrist")]),
  },
  {
    name: "T −2.5, premenopausal",
    code: "bone.severe-osteoporosis",
    input: makeInput([bmdT(-2.5), fracture("wrist")], {
      sex: "female",
      postmenopausal: false,
      birthDate: bornAged(45),
    }),
  },
  { name: "T −2.4", code: "bone.osteoporosis", input: makeInput([bmdT(-2.4)]) },
  { name: "wrist fracture only", code: "bone.osteoporosis", input: makeInput([fracture("wrist")]) },
  {
    name: "hip fracture not fragility",
    code: "bone.osteoporosis",
    input: makeInput([fracture("hip", 100, false)]),
  },
  { name: "T −1.0", code: "bone.osteopenia", input: makeInput([bmdT(-1.0)]) },
  {
    name: "T −1.1 in a man of 49 (WHO not applicable)",
    code: "bone.osteopenia",
    input: makeInput([bmdT(-1.1)], male(49)),
  },
  { name: "Z −1.9", code: "bone.low-for-age", input: makeInput([bmdZ(-1.9)], male(40)) },
  {
    name: "Z −3 where WHO applies",
    code: "bone.low-for-age",
    input: makeInput([bmdZ(-3)], male(60)),
  },
  {
    name: "FRAX 19.9 % / 2.9 %",
    code: "bone.high-fracture-risk",
    input: makeInput([frax(19.9, 2.9)]),
  },
  {
    name: "treated",
    code: "bone.treatment-gap",
    input: makeInput([bmdT(-2.5), med("bisphosphonate")]),
  },
  {
    name: "radius T −2.7 alone is not a BHOF T criterion",
    code: "bone.treatment-gap",
    input: makeInput([bmdT(-2.7, "radius_33"), bmdT(-0.5, "femoral_neck")]),
  },
  {
    name: "osteopenia with FRAX below thresholds",
    code: "bone.treatment-gap",
    input: makeInput([bmdT(-2.0), frax(19.9, 2.9)]),
  },
  {
    name: "fracture 365 days ago",
    code: "bone.fracture-followup-due",
    input: makeInput([fracture("wrist", 365)]),
  },
  {
    name: "DXA on the fracture day",
    code: "bone.fracture-followup-due",
    input: makeInput([fracture("wrist", 100), bmdT(-1.0, "femoral_neck", 100)]),
  },
  { name: "woman of 64", code: "bone.dxa-due", input: makeInput([], female(64)) },
  {
    name: "low bone mass 730 days ago",
    code: "bone.dxa-due",
    input: makeInput([bmdT(-1.1, "femoral_neck", 730)], female(70)),
  },
  {
    name: "normal DXA 1000 days ago",
    code: "bone.dxa-due",
    input: makeInput([bmdT(-0.5, "femoral_neck", 1000)], female(70)),
  },
  { name: "man of 69", code: "bone.dxa-due", input: makeInput([], male(69)) },
  { name: "12 ng/mL", code: "vitd.deficient", input: makeInput([vitD(12)]) },
  { name: "20 ng/mL", code: "vitd.inadequate", input: makeInput([vitD(20)]) },
  {
    name: "29.9 ng/mL without a bone flag",
    code: "vitd.below-bone-target",
    input: makeInput([vitD(29.9)]),
  },
  {
    name: "30 ng/mL with osteopenia",
    code: "vitd.below-bone-target",
    input: makeInput([vitD(30), bmdT(-1.1)]),
  },
  { name: "50 ng/mL", code: "vitd.above-target", input: makeInput([vitD(50)]) },
  { name: "100 ng/mL", code: "vitd.high", input: makeInput([vitD(100)]) },
  { name: "no falls, steady, not worried", code: "falls.at-risk", input: makeInput([falls(0)]) },
  {
    name: "fall screen 366 days ago",
    code: "falls.at-risk",
    input: makeInput([falls(3, {}, 366)]),
  },
  { name: "screened", code: "falls.screen-due", input: makeInput([falls(0)], male(65)) },
  { name: "age 64", code: "falls.screen-due", input: makeInput([], male(64)) },
  { name: "SSRI alone", code: "meds.antidepressant-bone-risk", input: makeInput([med("ssri")]) },
  {
    name: "SNRI with osteopenia",
    code: "meds.antidepressant-bone-risk",
    input: makeInput([med("snri"), bmdT(-1.1)]),
  },
  {
    name: "stopped SSRI",
    code: "meds.antidepressant-bone-risk",
    input: makeInput([med("ssri", { stoppedOn: daysAgo(1) }), bmdT(-1.1)]),
  },
  {
    name: "2.4 mg",
    code: "meds.glucocorticoid-bone-risk",
    input: makeInput([
      med("glucocorticoid", { prednisoloneMgPerDay: 2.4, startedOn: daysAgo(200) }),
    ]),
  },
  {
    name: "90 days",
    code: "meds.glucocorticoid-bone-risk",
    input: makeInput([med("glucocorticoid", { prednisoloneMgPerDay: 10, startedOn: daysAgo(90) })]),
  },
  {
    name: "no dose recorded",
    code: "meds.glucocorticoid-bone-risk",
    input: makeInput([med("glucocorticoid", { startedOn: daysAgo(200) })]),
  },
  {
    name: "benzodiazepine without fall risk",
    code: "meds.fall-risk-drugs",
    input: makeInput([med("benzodiazepine"), falls(0)]),
  },
  {
    name: "PPI with a fall",
    code: "meds.fall-risk-drugs",
    input: makeInput([med("ppi"), falls(1)]),
  },
  {
    name: "stopped 366 days ago",
    code: "meds.denosumab-stopped",
    input: makeInput([med("denosumab", { effective: daysAgo(700), stoppedOn: daysAgo(366) })]),
  },
  {
    name: "follow-on bisphosphonate",
    code: "meds.denosumab-stopped",
    input: makeInput([
      med("denosumab", { effective: daysAgo(700), stoppedOn: daysAgo(30) }),
      med("bisphosphonate"),
    ]),
  },
  {
    name: "denosumab restarted",
    code: "meds.denosumab-stopped",
    input: makeInput([
      med("denosumab", { effective: daysAgo(700), stoppedOn: daysAgo(30) }),
      med("denosumab", { effective: daysAgo(5) }),
    ]),
  },
  {
    name: "PHQ-9 9 with osteopenia",
    code: "comorbidity.bone-brain",
    input: makeInput([phq9(9), bmdT(-1.1)]),
  },
  {
    name: "PHQ-9 10, normal bone",
    code: "comorbidity.bone-brain",
    input: makeInput([phq9(10), bmdT(0)]),
  },
  {
    name: "PHQ-9 10 at 49",
    code: "comorbidity.bone-unassessed",
    input: makeInput([phq9(10)], male(49)),
  },
  {
    name: "PHQ-9 10 with a BMD",
    code: "comorbidity.bone-unassessed",
    input: makeInput([phq9(10), bmdT(0)]),
  },
  { name: "osteopenia only", code: "comorbidity.mood-unassessed", input: makeInput([bmdT(-1.1)]) },
  {
    name: "osteoporosis, screened",
    code: "comorbidity.mood-unassessed",
    input: makeInput([bmdT(-2.5), phq9(0)]),
  },
  {
    name: "fracture 731 days ago",
    code: "comorbidity.mood-unassessed",
    input: makeInput([fracture("wrist", 731)]),
  },
];

describe("every flag fires", () => {
  it.each(FIRES)("$code: $name", ({ code, input, severity }) => {
    const flag = flagOf(assess(input), code);
    expect(flag, `expected ${code}`).toBeDefined();
    expect(flag?.severity).toBe(severity);
    expect(flag?.rationale.length).toBeGreaterThan(0);
  });
});

describe("every flag stays silent", () => {
  it.each(SILENT)("$code: $name", ({ code, input }) => {
    expect(codes(assess(input))).not.toContain(code);
  });
});

describe("coverage of the flag vocabulary", () => {
  it("has a firing and a silent case for every code", () => {
    const fired = new Set(FIRES.map((c) => c.code));
    const silent = new Set(SILENT.map((c) => c.code));
    for (const code of FLAG_CODES) {
      expect(fired.has(code), `fires: ${code}`).toBe(true);
      expect(silent.has(code), `silent: ${code}`).toBe(true);
    }
  });

  it("a quiet patient has no flags and priority none", () => {
    const result = assess(makeInput([]));
    expect(result.flags).toEqual([]);
    expect(result.suggestions).toEqual([]);
    expect(result.priority).toBe("none");
  });
});

describe("flag details", () => {
  it("the rationale names values and dates", () => {
    const result = assess(makeInput([phq9(14, 6), bmdT(-2.7, "femoral_neck", 177)]));
    const flag = flagOf(result, "comorbidity.bone-brain");
    expect(flag?.rationale).toBe(
      "PHQ-9 14 (moderate) on 20 Nov 2026 + femoral-neck T −2.7 on 2 Jun 2026",
    );
    expect(flag?.inputs).toEqual([
      { kind: "phq9", effective: "2026-11-20", value: "PHQ-9 total 14", stale: false },
      { kind: "bmd", effective: "2026-06-02", value: "femoral_neck T -2.7", stale: false },
    ]);
  });

  it("a flag on stale data says so and adds the due suggestion", () => {
    const result = assess(makeInput([phq9(12, 120)]));
    const flag = flagOf(result, "depression.positive");
    expect(flag?.inputs[0]?.stale).toBe(true);
    expect(flag?.rationale).toContain("stale");
    const due = result.suggestions.find((s) => s.id === "rescreen-depression-due");
    expect(due?.triggeredBy).toContain("depression.positive");
  });

  it("a stale DXA behind a bone flag adds a repeat-DXA suggestion", () => {
    const result = assess(makeInput([bmdT(-2.0, "total_hip", 800)]));
    expect(flagOf(result, "bone.osteopenia")?.inputs[0]?.stale).toBe(true);
    expect(result.suggestions.map((s) => s.id)).toContain("repeat-dxa-due");
  });

  it("a stale item 9 gives a high suicide flag and a rescreen", () => {
    const result = assess(makeInput([phq9(3, 91, 1)]));
    expect(result.priority).toBe("high");
    const ids = result.suggestions.map((s) => s.id);
    expect(ids).toContain("suicide-risk-same-day");
    expect(ids).toContain("rescreen-depression-due");
  });

  it("the baseline of not-improving does not ask for a rescreen when the deciding screen is current", () => {
    const result = assess(makeInput([phq9(14, 0), phq9(16, 120)]));
    expect(codes(result)).toContain("depression.not-improving");
    expect(result.suggestions.map((s) => s.id)).not.toContain("rescreen-depression-due");
  });

  it("orders flags by severity, then by code order", () => {
    const result = assess(makeInput([phq9(20, 0, 1), bmdT(-2.5), vitD(11), falls(1)], male(70)));
    const ranks = result.flags.map((f) =>
      ["critical", "high", "moderate", "low", "info"].indexOf(f.severity),
    );
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(result.flags[0]?.code).toBe("safety.suicide-risk");
    expect(result.priority).toBe("urgent");
  });

  it("PHQ-9 ≥ 15 and GDS-15 ≥ 10 make depression.positive high", () => {
    expect(flagOf(assess(makeInput([phq9(15)])), "depression.positive")?.severity).toBe("high");
    expect(
      flagOf(
        assess(makeInput([{ kind: "gds15", effective: daysAgo(0), total: 10 }])),
        "depression.positive",
      )?.severity,
    ).toBe("high");
    expect(
      flagOf(
        assess(makeInput([{ kind: "gds15", effective: daysAgo(0), total: 9 }])),
        "depression.positive",
      )?.severity,
    ).toBe("moderate");
  });
});

describe("suggestions", () => {
  const extra: AssessInput[] = [
    makeInput([phq2(3)]),
    makeInput([frax(25, 1, 800)]),
    makeInput([vitD(10, "ng/mL", 400)]),
  ];

  it("every suggestion id is reachable by some input", () => {
    const reached = new Set<string>();
    for (const input of [...FIRES.map((c) => c.input), ...extra]) {
      for (const suggestion of assess(input).suggestions) reached.add(suggestion.id);
    }
    expect([...reached].sort()).toEqual([...SUGGESTION_IDS].sort());
  });

  it("a positive PHQ-2 asks for a PHQ-9", () => {
    const result = assess(makeInput([phq2(3)]));
    expect(flagOf(result, "depression.positive")?.severity).toBe("moderate");
    expect(result.suggestions.map((s) => s.id)).toContain("phq9-after-positive-phq2");
  });

  it("deduplicates suggestions with the union of triggers, in category then id order", () => {
    const result = assess(makeInput([phq9(12), bmdT(-2.6), falls(2)], male(72)));
    const ids = result.suggestions.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const exercise = result.suggestions.find((s) => s.id === "exercise-programme");
    expect(exercise?.triggeredBy).toEqual([
      "depression.positive",
      "bone.osteoporosis",
      "falls.at-risk",
      "comorbidity.bone-brain",
    ]);
    // Within the catalogue's category order, by id.
    const keys = result.suggestions.map(
      (s) => `${SUGGESTION_CATEGORIES.indexOf(s.category)}|${s.id}`,
    );
    expect([...keys].sort()).toEqual(keys);
  });

  it("investigational suggestions say they are not a recommendation", () => {
    const result = assess(makeInput([phq9(12), bmdT(-2.6)]));
    const investigational = result.suggestions.filter((s) => s.category === "investigational");
    expect(investigational.map((s) => s.id)).toEqual([
      "investigational-bone-signal-therapy",
      "investigational-neuromodulation",
    ]);
    for (const s of investigational) expect(s.detail).toMatch(/^Not a recommendation\./);
  });

  it("the suicide suggestion names 988 and the local crisis line", () => {
    const result = assess(makeInput([phq9(3, 0, 1)]));
    const suicide = result.suggestions.find((s) => s.id === "suicide-risk-same-day");
    expect(suicide?.category).toBe("act-now");
    expect(suicide?.detail).toContain("988");
    expect(suicide?.detail).toContain("local crisis line");
  });
});
