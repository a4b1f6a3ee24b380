import { describe, expect, it } from "vitest";
import { describeObservation } from "@/components/patient/observation-text";
import { groupByVisit, type HistoryObservation } from "@/components/patient/visit-history.utils";
import { asksMenopause, toCreateBody } from "@/components/patient/registration-form";
import type { Observation } from "@/lib/clinical";

function row(
  id: string,
  visitId: string | null,
  payload: Observation,
  recordedAt = "2026-11-20T10:00:00.000Z",
): HistoryObservation {
  return {
    id,
    kind: payload.kind,
    effective: payload.effective,
    payload,
    visitId,
    recordedAt,
    recordedBy: "Dr Demo",
    enteredInError: null,
  };
}

describe("groupByVisit", () => {
  it("groups by visit, newest first, in paper order, dated by the latest effective", () => {
    const visits = groupByVisit([
      row("1", "v1", { kind: "falls", effective: "2026-01-05", countPast12Months: 0 }),
      row("2", "v2", { kind: "bmd", effective: "2026-11-20", site: "femoral_neck", tScore: -2.7 }),
      row("3", "v2", { kind: "fracture", effective: "2025-03-01", site: "wrist", fragility: true }),
      row("4", "v2", { kind: "phq9", effective: "2026-11-20", total: 12 }),
      row("5", null, { kind: "vitaminD", effective: "2025-12-01", value: 20, unit: "ng/mL" }),
    ]);
    expect(visits.map((v) => [v.key, v.date])).toEqual([
      ["v2", "2026-11-20"],
      ["v1", "2026-01-05"],
      ["date:2025-12-01", "2025-12-01"],
    ]);
    expect(visits[0]?.observations.map((o) => o.kind)).toEqual(["phq9", "bmd", "fracture"]);
  });
});

describe("describeObservation", () => {
  it.each<[Observation, string]>([
    [
      { kind: "phq9", effective: "2026-11-20", items: [2, 2, 1, 1, 1, 1, 1, 0, 1], difficulty: 1 },
      "total 10 (moderate); item 9: 1; difficulty 1",
    ],
    [
      {
        kind: "phq9",
        effective: "2026-11-20",
        items: [2, null, null, null, null, null, null, null, 1],
      },
      "incomplete: 2 of 9 answered, no total; item 9: 1",
    ],
    [
      { kind: "phq9", effective: "2026-11-20", total: 14 },
      "total 14 (moderate); item 9 not recorded",
    ],
    [{ kind: "phq2", effective: "2026-11-20", items: [2, 1] }, "total 3 (positive)"],
    [{ kind: "gds15", effective: "2026-11-20", total: 11 }, "total 11 (probable depression)"],
    [
      { kind: "bmd", effective: "2026-11-20", site: "femoral_neck", tScore: -2.7, zScore: -1 },
      "Femoral neck · T-score −2.7 · Z-score −1",
    ],
    [
      {
        kind: "frax",
        effective: "2026-11-20",
        majorOsteoporoticPct: 22,
        hipPct: 3.5,
        withBmd: true,
      },
      "major osteoporotic 22 %, hip 3.5 % (with BMD)",
    ],
    [
      { kind: "vitaminD", effective: "2026-11-20", value: 50, unit: "nmol/L" },
      "50 nmol/L (= 20 ng/mL)",
    ],
    [
      { kind: "fracture", effective: "2025-06-02", site: "hip", fragility: true },
      "hip fracture on 2 Jun 2025, fragility",
    ],
    [
      { kind: "falls", effective: "2026-11-20", countPast12Months: 1, unsteady: true },
      "1 fall in 12 months; injurious: not asked; unsteady: yes; worried about falling: not asked",
    ],
    [
      {
        kind: "medication",
        effective: "2026-11-20",
        class: "glucocorticoid",
        name: "prednisolone",
        prednisoloneMgPerDay: 5,
        startedOn: "2026-01-02",
      },
      "prednisolone (glucocorticoid) · 5 mg/day · started 2 Jan 2026",
    ],
  ])("%j", (observation, text) => {
    expect(describeObservation(observation)).toBe(text);
  });
});

describe("registration body", () => {
  const base = {
    siteId: "s",
    mrn: "M1",
    givenName: "Ann",
    familyName: "Lee",
    birthDate: "1950-11-20",
    postmenopausal: "yes" as const,
  };
  it("asks about menopause for female, other and unknown sex only", () => {
    expect(
      ["female", "other", "unknown", "male", ""].map((s) => asksMenopause(s as never)),
    ).toEqual([true, true, true, false, false]);
  });
  it("sends yes / no / null, and null for men", () => {
    expect(toCreateBody({ ...base, sex: "female" }).postmenopausal).toBe(true);
    expect(toCreateBody({ ...base, sex: "female", postmenopausal: "no" }).postmenopausal).toBe(
      false,
    );
    expect(
      toCreateBody({ ...base, sex: "other", postmenopausal: "unknown" }).postmenopausal,
    ).toBeNull();
    expect(toCreateBody({ ...base, sex: "male" }).postmenopausal).toBeNull();
  });
});

describe("reading helpers", () => {
  it("joins a list with 'and'", async () => {
    const { joinWithAnd } = await import("@/components/patient/print-plan");
    expect(joinWithAnd([])).toBe("");
    expect(joinWithAnd(["a"])).toBe("a");
    expect(joinWithAnd(["a", "b", "c"])).toBe("a, b and c");
  });

  it("makes engine values readable", async () => {
    const { readableValue } = await import("@/components/clinical/flag-card");
    expect(readableValue("femoral_neck T -2.7")).toBe("femoral-neck T −2.7");
    expect(readableValue("PHQ-9 item 9 = 1")).toBe("PHQ-9 item 9 = 1");
    expect(readableValue(14)).toBe("14");
  });
});
