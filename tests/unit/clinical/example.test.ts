import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assess, validate } from "@/lib/clinical";
import type { Assessment } from "@/lib/clinical";
import { codes, flagOf } from "./fixtures";

const EXAMPLE_PATH = path.resolve(import.meta.dirname, "../../fixtures/assess-input.json");

function assessExample(): Assessment {
  const result = validate(JSON.parse(readFileSync(EXAMPLE_PATH, "utf8")) as unknown);
  if (result.status !== "valid") throw new Error(JSON.stringify(result.errors));
  return assess(result.input);
}

/*
 * Worked by hand (asOf 2026-11-26, woman born 1951-09-30, postmenopausal → age 75, WHO applicable):
 * - PHQ-9 24 Nov = 11 (moderate), item 9 = 0; it beats the same-day GDS-15 (7) → depression.positive
 *   (moderate). PHQ-9 12 Aug = 14 is 104 days earlier and 11 > 14 / 2 → depression.not-improving.
 * - Femoral neck T −2.6 (2 Mar 2025, 634 days: current) + wrist fragility fracture (2024) →
 *   bone.severe-osteoporosis; T ≤ −2.5 at a central site, no osteoporosis drug → bone.treatment-gap.
 * - FRAX 24 % / 4.1 % → bone.high-fracture-risk. Depression + bone → comorbidity.bone-brain.
 * - 42 nmol/L = 16.8 ng/mL → vitd.inadequate. One fall, unsteady, worried → falls.at-risk (low).
 * - Sertraline (SSRI) with bone flags and falls → meds.antidepressant-bone-risk; sertraline and
 *   lorazepam with falls → meds.fall-risk-drugs. Prednisolone stopped 15 Apr 2026 → inactive.
 * - Not firing: DXA is 634 days old (< 730) → no dxa-due; fracture older than 52 weeks → no
 *   follow-up; item 9 recorded 0 → no suicide flags.
 */
describe("the design example", () => {
  const result = assessExample();

  it("gives the hand-worked flags", () => {
    expect(codes(result).sort()).toEqual(
      [
        "bone.high-fracture-risk",
        "bone.severe-osteoporosis",
        "bone.treatment-gap",
        "comorbidity.bone-brain",
        "depression.not-improving",
        "depression.positive",
        "falls.at-risk",
        "meds.antidepressant-bone-risk",
        "meds.fall-risk-drugs",
        "vitd.inadequate",
      ].sort(),
    );
    expect(result.priority).toBe("high");
  });

  it("has the expected scores", () => {
    expect(result.scores.age).toBe(75);
    expect(result.scores.phq9).toEqual({
      total: 11,
      band: "moderate",
      item9: 0,
      complete: true,
      effective: "2026-11-24",
      stale: false,
    });
    expect(result.scores.gds15).toMatchObject({ total: 7, band: "suggests-depression" });
    expect(result.scores.whoCategory).toBe("severe-osteoporosis");
    expect(result.scores.lowestTScore).toMatchObject({ value: -2.6, site: "femoral_neck" });
    expect(result.scores.vitaminDNgPerMl).toBeCloseTo(16.83, 2);
    expect(result.scores.activeMedicationClasses).toEqual(["ssri", "benzodiazepine"]);
  });

  it("explains its flags with values and dates", () => {
    expect(flagOf(result, "depression.positive")?.rationale).toBe(
      "PHQ-9 11 (moderate) on 24 Nov 2026",
    );
    expect(flagOf(result, "bone.severe-osteoporosis")?.rationale).toBe(
      "femoral-neck T −2.6 on 2 Mar 2025 + wrist fragility fracture on 10 Feb 2024",
    );
    expect(flagOf(result, "vitd.inadequate")?.rationale).toBe(
      "25(OH)D 42 nmol/L (16.8 ng/mL) on 24 Nov 2026",
    );
  });

  it("suggests the integrated plan and marks investigational options", () => {
    const ids = result.suggestions.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "depression-evaluate-treat",
        "depression-treat-to-target",
        "osteoporosis-pharmacotherapy",
        "vitamin-d-calcium",
        "integrated-care-plan",
        "exercise-programme",
        "fall-risk-drug-review",
        "investigational-neuromodulation",
      ]),
    );
    expect(ids).not.toContain("rescreen-depression-due");
  });

  it("reports every data kind", () => {
    expect(result.dataStatus.map((d) => `${d.kind}:${d.status}`)).toEqual([
      "phq9:current",
      "phq2:missing",
      "gds15:current",
      "bmd:current",
      "frax:current",
      "vitaminD:current",
      "fracture:current",
      "falls:current",
      "medication:current",
    ]);
  });
});
