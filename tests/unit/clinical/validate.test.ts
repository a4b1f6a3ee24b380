import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validate, validateObservations } from "@/lib/clinical";
import { AS_OF, daysAgo } from "./fixtures";

const patient = { birthDate: "1950-01-01", sex: "female" };
const withObservation = (observation: unknown): unknown => ({
  asOf: AS_OF,
  patient,
  observations: [observation],
});
const today = daysAgo(0);

/** A refused case: the observation (dated today unless it says otherwise), the field named. */
const rejected = (name: string, observation: Record<string, unknown>, field: string) =>
  [name, { effective: today, ...observation }, `observations.0.${field}`] as const;

function errorsOf(input: unknown): { path: string; message: string }[] {
  const result = validate(input);
  if (result.status === "valid") throw new Error("expected invalid input");
  return result.errors;
}

describe("validate: accepts", () => {
  it("the design example", () => {
    const example: unknown = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../../fixtures/assess-input.json"), "utf8"),
    );
    expect(validate(example).status).toBe("valid");
  });

  it.each([
    [
      "PHQ-9 items",
      { kind: "phq9", effective: today, items: [0, 1, 2, 3, 0, 1, 2, 3, 0], difficulty: 1 },
    ],
    [
      "PHQ-9 items with a matching total",
      { kind: "phq9", effective: today, items: [1, 1, 1, 1, 1, 1, 1, 1, 1], total: 9 },
    ],
    [
      "PHQ-9 with unanswered items",
      { kind: "phq9", effective: today, items: [1, null, 1, 1, 1, 1, 1, 1, null] },
    ],
    ["PHQ-9 total only", { kind: "phq9", effective: today, total: 27 }],
    ["PHQ-2 total only", { kind: "phq2", effective: today, total: 6 }],
    ["GDS-15 total only", { kind: "gds15", effective: today, total: 15 }],
    ["BMD with Z only", { kind: "bmd", effective: today, site: "radius_33", zScore: 7 }],
    ["a leap day", { kind: "fracture", effective: "2024-02-29", site: "rib", fragility: false }],
    [
      "falls with all answers",
      {
        kind: "falls",
        effective: today,
        countPast12Months: 2,
        injurious: true,
        unsteady: false,
        worriedAboutFalling: true,
      },
    ],
    [
      "medication stopped the day it started",
      { kind: "medication", effective: today, class: "opioid", startedOn: today, stoppedOn: today },
    ],
  ])("%s", (_name, observation) => {
    expect(validate(withObservation(observation))).toMatchObject({ status: "valid" });
  });
});

describe("validate: rejects with a path", () => {
  it.each([
    rejected(
      "an item out of range",
      { kind: "phq9", items: [0, 0, 0, 4, 0, 0, 0, 0, 0] },
      "items.3",
    ),
    rejected(
      "a non-integer item",
      { kind: "phq9", items: [0, 0, 0, 1.5, 0, 0, 0, 0, 0] },
      "items.3",
    ),
    rejected("PHQ-9 with 8 items", { kind: "phq9", items: [0, 0, 0, 0, 0, 0, 0, 0] }, "items"),
    rejected(
      "PHQ-9 with 10 items",
      { kind: "phq9", items: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      "items",
    ),
    rejected("PHQ-2 with 3 items", { kind: "phq2", items: [0, 0, 0] }, "items"),
    rejected(
      "GDS-15 with 14 answers",
      { kind: "gds15", answers: Array.from({ length: 14 }, () => "no") },
      "answers",
    ),
    rejected(
      "a GDS answer that is not yes/no",
      { kind: "gds15", answers: [...Array.from({ length: 14 }, () => "no"), "maybe"] },
      "answers.14",
    ),
    rejected(
      "a total contradicting the items",
      { kind: "phq9", items: [1, 1, 1, 1, 1, 1, 1, 1, 1], total: 10 },
      "total",
    ),
    rejected(
      "a total next to unanswered items",
      { kind: "phq9", items: [1, 1, 1, 1, 1, 1, 1, 1, null], total: 9 },
      "total",
    ),
    rejected(
      "a GDS total contradicting the answers",
      { kind: "gds15", answers: Array.from({ length: 15 }, () => "no"), total: 4 },
      "total",
    ),
    rejected(
      "a PHQ-2 total contradicting the items",
      { kind: "phq2", items: [1, 1], total: 3 },
      "total",
    ),
    rejected("neither items nor total", { kind: "phq9" }, "items"),
    rejected("a PHQ-9 total over 27", { kind: "phq9", total: 28 }, "total"),
    rejected("a T-score below −7", { kind: "bmd", site: "total_hip", tScore: -7.1 }, "tScore"),
    rejected("a Z-score above +7", { kind: "bmd", site: "total_hip", zScore: 7.1 }, "zScore"),
    rejected("BMD with neither score", { kind: "bmd", site: "total_hip" }, "tScore"),
    rejected("an unknown kind", { kind: "mmse" }, "kind"),
    rejected("a missing kind", {}, "kind"),
    rejected("an unknown BMD site", { kind: "bmd", site: "spine", tScore: -1 }, "site"),
    rejected(
      "an unknown fracture site",
      { kind: "fracture", site: "skull", fragility: true },
      "site",
    ),
    rejected("an unknown class", { kind: "medication", class: "statin" }, "class"),
    rejected("an unknown unit", { kind: "vitaminD", value: 20, unit: "ug/L" }, "unit"),
    rejected(
      "an effective date after asOf",
      { kind: "vitaminD", effective: "2026-11-27", value: 20, unit: "ng/mL" },
      "effective",
    ),
    rejected(
      "startedOn after asOf",
      { kind: "medication", class: "ssri", startedOn: "2026-12-01" },
      "startedOn",
    ),
    rejected(
      "stoppedOn after asOf",
      { kind: "medication", class: "ssri", stoppedOn: "2027-01-01" },
      "stoppedOn",
    ),
    rejected(
      "stoppedOn before startedOn",
      { kind: "medication", class: "ssri", startedOn: "2026-05-02", stoppedOn: "2026-05-01" },
      "stoppedOn",
    ),
    rejected(
      "an impossible date",
      { kind: "vitaminD", effective: "2026-02-30", value: 20, unit: "ng/mL" },
      "effective",
    ),
    rejected(
      "a non-ISO date",
      { kind: "vitaminD", effective: "26/11/2026", value: 20, unit: "ng/mL" },
      "effective",
    ),
    rejected(
      "29 Feb in a common year",
      { kind: "vitaminD", effective: "2025-02-29", value: 20, unit: "ng/mL" },
      "effective",
    ),
    rejected("vitamin D of 0", { kind: "vitaminD", value: 0, unit: "ng/mL" }, "value"),
    rejected("negative vitamin D", { kind: "vitaminD", value: -1, unit: "nmol/L" }, "value"),
    rejected(
      "FRAX over 100 %",
      { kind: "frax", majorOsteoporoticPct: 100.1, hipPct: 1, withBmd: false },
      "majorOsteoporoticPct",
    ),
    rejected(
      "negative FRAX hip",
      { kind: "frax", majorOsteoporoticPct: 10, hipPct: -0.1, withBmd: false },
      "hipPct",
    ),
    rejected(
      "a negative falls count",
      { kind: "falls", countPast12Months: -1 },
      "countPast12Months",
    ),
    rejected(
      "an injurious fall with no falls",
      { kind: "falls", countPast12Months: 0, injurious: true },
      "injurious",
    ),
    rejected("a misspelt field", { kind: "bmd", site: "total_hip", tscore: -1 }, "tscore"),
    rejected(
      "a dose on a non-steroid",
      { kind: "medication", class: "ssri", prednisoloneMgPerDay: 5 },
      "prednisoloneMgPerDay",
    ),
    rejected("a fracture without fragility", { kind: "fracture", site: "hip" }, "fragility"),
  ])("%s", (_name, observation, path) => {
    const errors = errorsOf(withObservation(observation));
    expect(errors.map((e) => e.path)).toContain(path);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(3);
  });

  it("a birth date after asOf", () => {
    const errors = errorsOf({
      asOf: AS_OF,
      patient: { birthDate: "2026-11-27", sex: "male" },
      observations: [],
    });
    expect(errors).toEqual([
      { path: "patient.birthDate", message: "must not be after asOf (2026-11-26)" },
    ]);
  });

  it("an unknown sex and an unknown top-level field", () => {
    const errors = errorsOf({
      asOf: AS_OF,
      patient: { birthDate: "1950-01-01", sex: "f" },
      observations: [],
      extra: 1,
    });
    expect(errors.map((e) => e.path).sort()).toEqual(["extra", "patient.sex"]);
  });

  it("non-objects and missing parts", () => {
    expect(errorsOf("text")).toEqual([
      { path: "", message: "must be an object with asOf, patient and observations" },
    ]);
    expect(
      errorsOf({})
        .map((e) => e.path)
        .sort(),
    ).toEqual(["asOf", "observations", "patient"]);
  });

  it("reports date errors together with other errors", () => {
    const errors = errorsOf({
      asOf: AS_OF,
      patient: { birthDate: "2030-01-01", sex: "x" },
      observations: [{ kind: "vitaminD", effective: "2027-01-01", value: -1, unit: "ng/mL" }],
    });
    expect(errors.map((e) => e.path).sort()).toEqual([
      "observations.0.effective",
      "observations.0.value",
      "patient.birthDate",
      "patient.sex",
    ]);
  });

  it("uses plain language", () => {
    const [error] = errorsOf(
      withObservation({ kind: "phq9", effective: today, items: [0, 0, 0, 9, 0, 0, 0, 0, 0] }),
    );
    expect(error).toEqual({
      path: "observations.0.items.3",
      message: "must be a whole number from 0 to 3",
    });
  });
});

describe("validateObservations (visit recording)", () => {
  it("checks dates against the visit date with list-relative paths", () => {
    const result = validateObservations(
      [
        { kind: "vitaminD", effective: "2026-11-20", value: 20, unit: "ng/mL" },
        { kind: "falls", effective: "2026-11-22", countPast12Months: 0 },
      ],
      "2026-11-21",
    );
    expect(result).toEqual({
      status: "invalid",
      errors: [{ path: "1.effective", message: "must not be after the visit date (2026-11-21)" }],
    });
    expect(validateObservations([], "2026-11-21").status).toBe("valid");
  });
});
