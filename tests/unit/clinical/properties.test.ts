import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SEVERITY_RANK,
  assess,
  priorityFromFlags,
  severityToPriority,
  validate,
} from "@/lib/clinical";
import type { AssessInput, Observation } from "@/lib/clinical";
import { assessInputArb, makeAssessInputArb } from "./arbitraries";
import { AS_OF, codes, daysAgo } from "./fixtures";

const RUNS = { numRuns: 400 };

describe("properties of assess over valid inputs", () => {
  it("validate accepts every generated input", () => {
    fc.assert(
      fc.property(assessInputArb, (input) => {
        const result = validate(input);
        if (result.status === "invalid") throw new Error(JSON.stringify(result.errors));
      }),
      RUNS,
    );
  });

  it("never throws, is deterministic and leaves its input untouched", () => {
    fc.assert(
      fc.property(assessInputArb, (input) => {
        const before = JSON.stringify(input);
        const first = assess(input);
        const second = assess(input);
        expect(second).toEqual(first);
        expect(JSON.stringify(input)).toBe(before);
        // The result is plain JSON: it survives a round trip unchanged.
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
      RUNS,
    );
  });

  it.each([
    ["spread over 11 years", assessInputArb],
    ["crowded onto 3 days (ties)", makeAssessInputArb(2)],
  ])("does not depend on the order of observations (%s)", (_name, inputs) => {
    const arb = inputs.chain((input) =>
      fc
        .shuffledSubarray(input.observations, {
          minLength: input.observations.length,
          maxLength: input.observations.length,
        })
        .map((shuffled): [AssessInput, AssessInput] => [
          input,
          { ...input, observations: shuffled },
        ]),
    );
    fc.assert(
      fc.property(arb, ([input, shuffled]) => {
        expect(assess(shuffled)).toEqual(assess(input));
      }),
      RUNS,
    );
  });

  it("priority always matches the most severe flag", () => {
    fc.assert(
      fc.property(assessInputArb, (input) => {
        const result = assess(input);
        expect(result.priority).toBe(priorityFromFlags(result.flags));
        const worst = [...result.flags].sort(
          (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
        )[0];
        expect(result.priority).toBe(
          worst === undefined ? "none" : severityToPriority(worst.severity),
        );
        expect(new Set(codes(result)).size).toBe(result.flags.length);
      }),
      RUNS,
    );
  });

  it("a new current PHQ-9 with item 9 > 0 makes the assessment urgent", () => {
    const arb = fc.tuple(
      assessInputArb,
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 1, max: 3 }),
    );
    fc.assert(
      fc.property(arb, ([input, items, item9]) => {
        const phq9: Observation = { kind: "phq9", effective: AS_OF, items: [...items, item9] };
        const result = assess({ ...input, observations: [...input.observations, phq9] });
        expect(result.priority).toBe("urgent");
        expect(result.suggestions[0]?.id).toBe("suicide-risk-same-day");
      }),
      RUNS,
    );
  });

  it("vitamin D in nmol/L and the same value in ng/mL give the same flags", () => {
    const arb = fc.tuple(
      assessInputArb,
      fc.integer({ min: 1, max: 2500 }),
      fc.integer({ min: 0, max: 800 }),
    );
    fc.assert(
      fc.property(arb, ([input, ngTenths, agoDays]) => {
        const others = input.observations.filter((o) => o.kind !== "vitaminD");
        const effective = daysAgo(agoDays);
        // Both values are exact decimals: x.y ng/mL and x.y × 2.496 nmol/L.
        const ng: Observation = {
          kind: "vitaminD",
          effective,
          value: ngTenths / 10,
          unit: "ng/mL",
        };
        const nmol: Observation = {
          kind: "vitaminD",
          effective,
          value: (ngTenths * 2496) / 10_000,
          unit: "nmol/L",
        };
        const a = assess({ ...input, observations: [...others, ng] });
        const b = assess({ ...input, observations: [...others, nmol] });
        expect(codes(b)).toEqual(codes(a));
        expect(b.scores.vitaminDBand).toBe(a.scores.vitaminDBand);
      }),
      RUNS,
    );
  });

  it("flags and suggestions are internally consistent", () => {
    fc.assert(
      fc.property(assessInputArb, (input) => {
        const result = assess(input);
        const fired = new Set(codes(result));
        for (const suggestion of result.suggestions) {
          expect(suggestion.triggeredBy.length).toBeGreaterThan(0);
          for (const code of suggestion.triggeredBy) expect(fired.has(code)).toBe(true);
        }
        expect(result.dataStatus).toHaveLength(9);
      }),
      RUNS,
    );
  });
});
