import { describe, expect, it } from "vitest";
import { EVIDENCE_IDS, RULESET_VERSION, SUGGESTIONS, assess, getEvidence } from "@/lib/clinical";
import type { AssessInput, Assessment, Observation, SuggestionId } from "@/lib/clinical";
import { validate } from "@/lib/clinical";
import { FINDING_TEXT } from "@/components/patient/plain-language";
import {
  bmdT,
  codes,
  daysAgo,
  falls,
  female,
  flagOf,
  fracture,
  gds15Answers,
  makeInput,
  male,
  med,
  phq9,
  phq9Total,
  vitD,
} from "./fixtures";

/*
 * Ruleset 2026.12.0, written from the clinical reference (docs/CLINICAL-RULES.md, "What changed in
 * 2026.12.0"), not from the code: each block names the rule it checks and its boundaries.
 */

const suggestionIds = (a: Assessment): SuggestionId[] => a.suggestions.map((s) => s.id);

/** A PHQ-9 whose `answered` items are given and whose other items are unanswered. */
function phq9Partial(answered: readonly (number | null)[], ago = 0): Observation {
  const items = [...answered, ...Array<null>(9 - answered.length).fill(null)];
  return { kind: "phq9", effective: daysAgo(ago), items };
}

/** A GDS-15 scoring `points` on its answered items, with the last item unanswered. */
function gds15Partial(points: number, ago = 0): Observation {
  const answers: ("yes" | "no" | null)[] = gds15Answers(points);
  // The builder gives points first, so with points ≤ 14 the last item carries no point: leaving it
  // unanswered keeps the answered points exactly `points`.
  answers[14] = null;
  return { kind: "gds15", effective: daysAgo(ago), answers };
}

describe("ruleset version", () => {
  it("is 2026.12.0 and every assessment records it", () => {
    expect(RULESET_VERSION).toBe("2026.12.0");
    expect(assess(makeInput([])).rulesetVersion).toBe("2026.12.0");
  });
});

describe("incomplete questionnaires are a lower bound of the total", () => {
  it("the review's case: seven PHQ-9 items summing to 21, two days after a PHQ-9 of 3", () => {
    const result = assess(
      makeInput([phq9(3, 2), phq9Partial([3, 3, 3, 3, 3, 3, 3, null, null], 0)]),
    );
    const flag = flagOf(result, "depression.positive");
    expect(flag?.severity).toBe("high");
    expect(result.priority).not.toBe("none");
    expect(flag?.rationale).toMatch(/at least 21/);
  });

  it("an answered PHQ-9 sum of 10 is a positive screen; 9 is no screen", () => {
    const ten = assess(makeInput([phq9Partial([3, 3, 3, 1, 0, 0, 0, 0])], male(70)));
    expect(flagOf(ten, "depression.positive")?.severity).toBe("moderate");
    expect(codes(ten)).not.toContain("depression.screen-due");
    expect(codes(ten)).not.toContain("depression.mild-symptoms");

    const nine = assess(makeInput([phq9Partial([3, 3, 3, 0, 0, 0, 0, 0])], male(70)));
    expect(codes(nine)).not.toContain("depression.positive");
    expect(codes(nine)).not.toContain("depression.mild-symptoms");
    // Not a screen: the 70-year-old still needs one.
    expect(codes(nine)).toContain("depression.screen-due");
  });

  it("an answered PHQ-9 sum of 15 gives the high severity", () => {
    const result = assess(makeInput([phq9Partial([3, 3, 3, 3, 3, 0, 0, 0])]));
    expect(flagOf(result, "depression.positive")?.severity).toBe("high");
  });

  it("an incomplete PHQ-9 never decides mild symptoms: a complete earlier one still does", () => {
    const result = assess(makeInput([phq9(7, 20), phq9Partial([2, 2, 2, 0, 0, 0, 0, 0], 0)]));
    expect(codes(result)).toContain("depression.mild-symptoms");
    expect(codes(result)).not.toContain("depression.positive");
  });

  it("a positive incomplete PHQ-9 takes part in which instrument decides, with its answered sum", () => {
    // Newer than a complete PHQ-9 of 7: the incomplete one (at least 12) decides.
    const result = assess(makeInput([phq9(7, 20), phq9Partial([3, 3, 3, 3, 0, 0, 0, 0, null], 0)]));
    expect(flagOf(result, "depression.positive")?.severity).toBe("moderate");
    expect(codes(result)).not.toContain("depression.mild-symptoms");
  });

  it("an incomplete PHQ-9 is never either PHQ-9 of depression.not-improving", () => {
    // Baseline 20 at 100 days; the newest is incomplete with an answered sum of 18: positive, but
    // treat-to-target is judged on complete questionnaires only.
    const result = assess(
      makeInput([phq9(20, 100), phq9Partial([3, 3, 3, 3, 3, 3, 0, 0, null], 0)]),
    );
    expect(codes(result)).toContain("depression.positive");
    expect(codes(result)).not.toContain("depression.not-improving");
    expect(suggestionIds(result)).not.toContain("depression-treat-to-target");
  });

  it("GDS-15 answered points of 5 are a positive screen; 4 are no screen", () => {
    const five = assess(makeInput([gds15Partial(5)], male(70)));
    expect(flagOf(five, "depression.positive")?.severity).toBe("moderate");
    expect(codes(five)).not.toContain("depression.screen-due");

    const four = assess(makeInput([gds15Partial(4)], male(70)));
    expect(codes(four)).not.toContain("depression.positive");
    expect(codes(four)).toContain("depression.screen-due");

    const ten = assess(makeInput([gds15Partial(10)]));
    expect(flagOf(ten, "depression.positive")?.severity).toBe("high");
  });

  it("a PHQ-2 with one unanswered item is positive when the answered item is 3", () => {
    const three = assess(
      makeInput([{ kind: "phq2", effective: daysAgo(0), items: [3, null] }], male(70)),
    );
    expect(codes(three)).toContain("depression.positive");
    expect(suggestionIds(three)).toContain("phq9-after-positive-phq2");

    const two = assess(
      makeInput([{ kind: "phq2", effective: daysAgo(0), items: [null, 2] }], male(70)),
    );
    expect(codes(two)).not.toContain("depression.positive");
    expect(codes(two)).toContain("depression.screen-due");
  });

  it("a positive incomplete screen counts as a screen for comorbidity.mood-unassessed", () => {
    const bone = [bmdT(-2.7)];
    const without = assess(makeInput(bone, female(70)));
    expect(codes(without)).toContain("comorbidity.mood-unassessed");
    const withScreen = assess(
      makeInput([...bone, phq9Partial([3, 3, 3, 3, 0, 0, 0, 0])], female(70)),
    );
    expect(codes(withScreen)).not.toContain("comorbidity.mood-unassessed");
    expect(codes(withScreen)).toContain("comorbidity.bone-brain");
  });
});

describe("safety.suicide-item-unknown: ask item 9 the same day when symptoms are moderate or worse", () => {
  it("a PHQ-9 total of 24 entered alone is high and asks item 9 today", () => {
    const result = assess(makeInput([phq9Total(24)]));
    const flag = flagOf(result, "safety.suicide-item-unknown");
    expect(flag?.severity).toBe("high");
    expect(suggestionIds(result)).toContain("phq9-item9-ask");
    expect(SUGGESTIONS["phq9-item9-ask"].detail).toMatch(/today/i);
    expect(SUGGESTIONS["phq9-item9-ask"].detail).toMatch(/before the patient leaves/i);
    expect(result.priority).toBe("high");
  });

  it("totals of 10 and 9 entered alone: high, then moderate", () => {
    expect(
      flagOf(assess(makeInput([phq9Total(10)])), "safety.suicide-item-unknown")?.severity,
    ).toBe("high");
    expect(flagOf(assess(makeInput([phq9Total(9)])), "safety.suicide-item-unknown")?.severity).toBe(
      "moderate",
    );
  });

  it("item 9 unanswered: answered sums of 10 and 9 give high and moderate", () => {
    const ten = assess(makeInput([phq9Partial([3, 3, 3, 1, 0, 0, 0, 0, null])]));
    expect(flagOf(ten, "safety.suicide-item-unknown")?.severity).toBe("high");
    const nine = assess(makeInput([phq9Partial([3, 3, 3, 0, 0, 0, 0, 0, null])]));
    expect(flagOf(nine, "safety.suicide-item-unknown")?.severity).toBe("moderate");
  });

  it("is never an info flag", () => {
    for (const total of [0, 4, 9, 10, 27]) {
      const flag = flagOf(assess(makeInput([phq9Total(total)])), "safety.suicide-item-unknown");
      expect(flag?.severity === "info").toBe(false);
    }
  });
});

describe("vitamin D: no supplement advice above target, stop and check with high levels", () => {
  const osteoporosis = bmdT(-2.7);
  const cases: readonly {
    value: number;
    flag: string | null;
    calciumAdvice: boolean;
  }[] = [
    { value: 50, flag: null, calciumAdvice: true },
    { value: 50.1, flag: "vitd.above-target", calciumAdvice: false },
    { value: 100, flag: "vitd.above-target", calciumAdvice: false },
    { value: 100.1, flag: "vitd.high", calciumAdvice: false },
    { value: 150, flag: "vitd.high", calciumAdvice: false },
    { value: 150.1, flag: "safety.vitamin-d-toxicity", calciumAdvice: false },
  ];
  for (const c of cases) {
    it(`${c.value} ng/mL with osteoporosis`, () => {
      const result = assess(makeInput([osteoporosis, vitD(c.value)], female(70)));
      expect(codes(result)).toContain("bone.osteoporosis");
      if (c.flag) expect(codes(result)).toContain(c.flag);
      expect(suggestionIds(result).includes("vitamin-d-calcium")).toBe(c.calciumAdvice);
    });
    it(`${c.value} ng/mL without a bone flag`, () => {
      const result = assess(makeInput([vitD(c.value)]));
      if (c.flag) expect(codes(result)).toContain(c.flag);
      else expect(codes(result).some((code) => code.startsWith("vitd."))).toBe(false);
      expect(suggestionIds(result)).not.toContain("vitamin-d-calcium");
    });
  }

  it("a treatment gap above target does not advise vitamin D either", () => {
    const result = assess(makeInput([bmdT(-2.7), vitD(60)], female(70)));
    expect(codes(result)).toContain("bone.treatment-gap");
    expect(suggestionIds(result)).toContain("osteoporosis-pharmacotherapy");
    expect(suggestionIds(result)).not.toContain("vitamin-d-calcium");
  });

  it("vitd.high: review says stop vitamin D and calcium and check calcium and creatinine", () => {
    const result = assess(makeInput([vitD(120)]));
    expect(suggestionIds(result)).toContain("vitamin-d-excess-review");
    const detail = SUGGESTIONS["vitamin-d-excess-review"].detail;
    expect(detail).toMatch(/stop vitamin D and calcium supplements/i);
    expect(detail).toMatch(/calcium and creatinine/i);
  });

  it("toxicity: stop vitamin D and calcium, check calcium and creatinine, cite Holick 2007", () => {
    const result = assess(makeInput([vitD(160)], female(70)));
    expect(suggestionIds(result)).toContain("vitamin-d-toxicity-action");
    const action = SUGGESTIONS["vitamin-d-toxicity-action"];
    expect(action.detail).toMatch(/stop vitamin D and calcium supplements/i);
    expect(action.detail).toMatch(/creatinine/i);
    expect(action.sources).toContain("holick-2007-vitamin-d");
    expect(action.sources).not.toContain("heaney-2008-vitamin-d-toxicity");
  });

  it("the review's case: osteoporosis with 160 ng/mL gets no advice to take vitamin D", () => {
    const result = assess(makeInput([bmdT(-2.8), vitD(160)], female(72)));
    expect(suggestionIds(result)).toContain("vitamin-d-toxicity-action");
    expect(suggestionIds(result)).not.toContain("vitamin-d-calcium");
  });

  it("a recheck only with an indication: a bone flag, a fragility fracture, a glucocorticoid or a low result", () => {
    const stale = 400;
    // Stale above-target value, no indication: no recheck.
    const none = assess(makeInput([vitD(60, "ng/mL", stale)]));
    expect(codes(none)).toContain("vitd.above-target");
    expect(suggestionIds(none)).not.toContain("vitamin-d-recheck");
    // The same with osteoporosis: recheck.
    const bone = assess(makeInput([vitD(60, "ng/mL", stale), bmdT(-2.7)], female(70)));
    expect(suggestionIds(bone)).toContain("vitamin-d-recheck");
    // A stale low result: recheck.
    const low = assess(makeInput([vitD(10, "ng/mL", stale)]));
    expect(suggestionIds(low)).toContain("vitamin-d-recheck");
  });

  it("Endocrine Society 2024 is cited neither for the 30–50 ng/mL target nor for rechecking", () => {
    expect(SUGGESTIONS["vitamin-d-calcium"].sources).not.toContain("endocrine-2024-vitamin-d");
    expect(SUGGESTIONS["vitamin-d-recheck"].sources).not.toContain("endocrine-2024-vitamin-d");
  });
});

describe("osteoporosis medicines: safety checks before starting, timing after denosumab", () => {
  it("pharmacotherapy names kidney function, calcium and vitamin D checks", () => {
    const detail = SUGGESTIONS["osteoporosis-pharmacotherapy"].detail;
    expect(detail).toMatch(/eGFR/);
    expect(detail).toMatch(/calcium/i);
    expect(detail).toMatch(/25\(OH\)D/);
    expect(detail).toMatch(/30[–-]35 mL\/min/);
    expect(detail).toMatch(/denosumab/i);
    expect(detail).toMatch(/refer/i);
    expect(SUGGESTIONS["osteoporosis-pharmacotherapy"].sources).toContain(
      "osteoporosis-drug-labels",
    );
  });

  it("follow-on after denosumab is timed about 6 months after the last injection", () => {
    const detail = SUGGESTIONS["denosumab-follow-on"].detail;
    expect(detail).toMatch(/6 months/);
    expect(detail).toMatch(/last injection/i);
    expect(detail).not.toMatch(/without delay/i);
  });
});

describe("glucocorticoids: a course planned for 3 months or more counts from its start", () => {
  const gc = (plannedLongTerm: boolean | undefined, startedAgo = 10) =>
    ({
      kind: "medication",
      effective: daysAgo(startedAgo),
      class: "glucocorticoid",
      prednisoloneMgPerDay: 5,
      startedOn: daysAgo(startedAgo),
      ...(plannedLongTerm === undefined ? {} : { plannedLongTerm }),
    }) as Observation;

  it("plannedLongTerm true fires from the start; false waits for more than 90 days", () => {
    expect(codes(assess(makeInput([gc(true)])))).toContain("meds.glucocorticoid-bone-risk");
    expect(codes(assess(makeInput([gc(false)])))).not.toContain("meds.glucocorticoid-bone-risk");
    expect(codes(assess(makeInput([gc(undefined)])))).not.toContain(
      "meds.glucocorticoid-bone-risk",
    );
    expect(codes(assess(makeInput([gc(false, 91)])))).toContain("meds.glucocorticoid-bone-risk");
    expect(codes(assess(makeInput([gc(false, 90)])))).not.toContain(
      "meds.glucocorticoid-bone-risk",
    );
  });

  it("below 2.5 mg/day a planned long course is no bone risk", () => {
    const low = { ...gc(true), prednisoloneMgPerDay: 2 } as Observation;
    expect(codes(assess(makeInput([low])))).not.toContain("meds.glucocorticoid-bone-risk");
  });

  it("a planned long course is a bone-loss medication: a DXA indication", () => {
    const result = assess(makeInput([gc(true)]));
    expect(codes(result)).toContain("bone.dxa-due");
    expect(codes(assess(makeInput([gc(false)])))).not.toContain("bone.dxa-due");
  });

  it("the input accepts plannedLongTerm as a boolean only", () => {
    const ok: AssessInput = makeInput([gc(true)]);
    expect(validate(ok).status).toBe("valid");
    const bad = makeInput([{ ...gc(true), plannedLongTerm: "yes" } as unknown as Observation]);
    expect(validate(bad).status).toBe("invalid");
  });
});

describe("meds.fall-risk-drugs also fires with a fragility fracture (AGS Beers 2023)", () => {
  it("an SSRI with a fragility fracture and no recorded fall", () => {
    const result = assess(makeInput([med("ssri"), fracture("hip", 100, true)]));
    expect(codes(result)).toContain("meds.fall-risk-drugs");
    expect(codes(result)).not.toContain("falls.at-risk");
  });

  it("a benzodiazepine with a non-fragility fracture and no fall does not fire", () => {
    const result = assess(makeInput([med("benzodiazepine"), fracture("wrist", 100, false)]));
    expect(codes(result)).not.toContain("meds.fall-risk-drugs");
  });

  it("a fragility fracture without a fall-risk drug does not fire", () => {
    const result = assess(makeInput([med("ppi"), fracture("hip", 100, true)]));
    expect(codes(result)).not.toContain("meds.fall-risk-drugs");
  });

  it("the advice is to taper, never to stop abruptly, citing Beers", () => {
    const review = SUGGESTIONS["fall-risk-drug-review"];
    expect(review.detail).toMatch(/taper/i);
    expect(review.detail).toMatch(/abruptly/i);
    expect(review.detail).toMatch(/benzodiazepine/i);
    expect(review.detail).toMatch(/antiepileptic/i);
    expect(review.sources).toContain("ags-beers-2023");
  });
});

describe("falls: a STEADI assessment for every positive screen", () => {
  it("one positive key question (unsteady, no fall) gets the assessment, with orthostatic blood pressure", () => {
    const result = assess(makeInput([falls(0, { unsteady: true })]));
    expect(flagOf(result, "falls.at-risk")?.severity).toBe("low");
    expect(suggestionIds(result)).toContain("steadi-falls-assessment");
    const detail = SUGGESTIONS["steadi-falls-assessment"].detail;
    expect(detail).toMatch(/orthostatic/i);
    expect(detail).not.toMatch(/with two or more falls or an injurious fall, do/i);
  });
});

describe("SSRI advice", () => {
  it("says the fracture risk is raised early and persists, and to check sodium", () => {
    for (const id of ["antidepressant-bone-risk-review", "depression-evaluate-treat"] as const) {
      const detail = SUGGESTIONS[id].detail;
      expect(detail).not.toMatch(/most in the first weeks/i);
      expect(detail).toMatch(/persist/i);
      expect(detail).toMatch(/sodium/i);
    }
  });
});

describe("citations support their statements", () => {
  it("the catalogue swaps Heaney 2008 for Holick 2007 and adds Beers 2023 and the drug labels", () => {
    expect(EVIDENCE_IDS).toContain("holick-2007-vitamin-d");
    expect(EVIDENCE_IDS).not.toContain("heaney-2008-vitamin-d-toxicity");
    expect(EVIDENCE_IDS).toContain("ags-beers-2023");
    expect(EVIDENCE_IDS).toContain("osteoporosis-drug-labels");
    expect(getEvidence("holick-2007-vitamin-d")?.publisher).toMatch(/N Engl J Med 2007;357/);
  });

  it("the same-day suicide step cites the PHQ-9's own instructions, not USPSTF", () => {
    const sources = SUGGESTIONS["suicide-risk-same-day"].sources;
    expect(sources).toContain("kroenke-2001-phq9");
    expect(sources).not.toContain("uspstf-2023-depression");
  });

  it("sleep advice is general advice and cites Beers for avoiding sedatives", () => {
    const sleep = SUGGESTIONS["sleep-circadian"];
    expect(sleep.detail).toMatch(/general advice/i);
    expect(sleep.sources).toContain("ags-beers-2023");
  });

  it("glucocorticoid text for patients says prednisone or prednisolone", () => {
    expect(FINDING_TEXT["meds.glucocorticoid-bone-risk"]).toMatch(/prednisone or prednisolone/);
  });
});
