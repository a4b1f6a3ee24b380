import { describe, expect, it } from "vitest";
import { gds15Progress, phq9Progress } from "@/components/visit/instrument-progress";
import {
  emptyVisitForm,
  hasEntries,
  localToday,
  parseEnteredNumber,
  shapeVisit,
  type VisitFormState,
} from "@/components/visit/visit-form.utils";
import {
  fieldMessage,
  mapErrorsToFields,
  previewObservations,
  validateVisit,
} from "@/components/visit/visit-validation";

const VISIT = "2026-11-20";

function form(change: Partial<VisitFormState> = {}): VisitFormState {
  return { ...emptyVisitForm(VISIT), ...change };
}

describe("parseEnteredNumber", () => {
  it.each([
    ["", undefined],
    ["  ", undefined],
    ["-2.7", -2.7],
    ["−2.7", -2.7],
    ["2,5", 2.5],
    [".5", 0.5],
    ["14", 14],
    ["abc", "abc"],
    ["1e3", "1e3"],
  ])("%j → %j", (text, expected) => {
    expect(parseEnteredNumber(text)).toEqual(expected);
  });
});

describe("shapeVisit", () => {
  it("produces nothing for an empty form", () => {
    expect(shapeVisit(form()).observations).toEqual([]);
    expect(hasEntries(form())).toBe(false);
  });

  it("keeps nulls for unanswered PHQ-9 items and dates it on the visit", () => {
    const phq9 = [2, null, null, null, null, null, null, null, 1] as VisitFormState["phq9"];
    const { observations, targets } = shapeVisit(form({ phq9 }));
    expect(observations).toEqual([
      {
        kind: "phq9",
        effective: VISIT,
        items: [2, null, null, null, null, null, null, null, 1],
      },
    ]);
    expect(targets[0]?.prefix).toBe("phq9");
  });

  it("adds the difficulty item only when answered", () => {
    const phq9 = [1, 1, 1, 1, 1, 1, 1, 1, 0] as VisitFormState["phq9"];
    const shaped = shapeVisit(form({ phq9, phq9Difficulty: 2 }));
    expect(shaped.observations[0]).toMatchObject({ difficulty: 2 });
  });

  it("sends a PHQ-2 instead of a PHQ-9 when chosen", () => {
    const shaped = shapeVisit(
      form({ depressionInstrument: "phq2", phq2: [2, 1], phq9: [3, 3, 3, 3, 3, 3, 3, 3, 3] }),
    );
    expect(shaped.observations).toEqual([{ kind: "phq2", effective: VISIT, items: [2, 1] }]);
  });

  it("shapes one bmd observation per measured site with the DXA date or the visit date", () => {
    const base = form();
    const shaped = shapeVisit({
      ...base,
      bmd: {
        ...base.bmd,
        femoral_neck: { tScore: "-2.7", zScore: "" },
        lumbar_spine: { tScore: "", zScore: "−1.1" },
      },
    });
    expect(shaped.observations).toEqual([
      { kind: "bmd", effective: VISIT, site: "lumbar_spine", zScore: -1.1 },
      { kind: "bmd", effective: VISIT, site: "femoral_neck", tScore: -2.7 },
    ]);
    const dated = shapeVisit({
      ...base,
      bmdEffective: "2026-06-02",
      bmd: { ...base.bmd, total_hip: { tScore: "-1", zScore: "" } },
    });
    expect(dated.observations[0]).toMatchObject({ effective: "2026-06-02", site: "total_hip" });
  });

  it("shapes FRAX, vitamin D, falls, fractures and medications only when filled", () => {
    const shaped = shapeVisit(
      form({
        fraxMajorPct: "22",
        fraxHipPct: "3.5",
        fraxWithBmd: true,
        vitaminDValue: "45",
        vitaminDUnit: "nmol/L",
        fallsCount: "2",
        fallsUnsteady: true,
        fractures: [
          { id: "f1", site: "wrist", effective: "2026-03-01", fragility: true },
          { id: "f2", site: "", effective: "", fragility: null },
        ],
        medications: [
          {
            id: "m1",
            name: "Prednisolone",
            medicationClass: "glucocorticoid",
            doseMgPerDay: "5",
            plannedLongTerm: true,
            startedOn: "2026-01-01",
            stoppedOn: "",
          },
          {
            id: "m2",
            name: "sertraline",
            medicationClass: "ssri",
            doseMgPerDay: "50",
            plannedLongTerm: true,
            startedOn: "",
            stoppedOn: "",
          },
        ],
      }),
    );
    expect(shaped.observations).toEqual([
      { kind: "frax", effective: VISIT, majorOsteoporoticPct: 22, hipPct: 3.5, withBmd: true },
      { kind: "vitaminD", effective: VISIT, value: 45, unit: "nmol/L" },
      { kind: "fracture", effective: "2026-03-01", site: "wrist", fragility: true },
      { kind: "falls", effective: VISIT, countPast12Months: 2, unsteady: true },
      {
        kind: "medication",
        effective: VISIT,
        class: "glucocorticoid",
        name: "Prednisolone",
        prednisoloneMgPerDay: 5,
        plannedLongTerm: true,
        startedOn: "2026-01-01",
      },
      // A dose typed on a non-glucocorticoid row is not sent.
      { kind: "medication", effective: VISIT, class: "ssri", name: "sertraline" },
    ]);
    expect(shaped.targets.map((t) => t.prefix)).toEqual([
      "frax",
      "vitaminD",
      "fractures.f1",
      "falls",
      "medications.m1",
      "medications.m2",
    ]);
  });
});

describe("mapErrorsToFields", () => {
  it("maps relative and API paths to fields, aliases to shared fields, the rest to the form", () => {
    const base = form();
    const shaped = shapeVisit({
      ...base,
      phq9: [1, 4 as never, null, null, null, null, null, null, null],
      bmd: { ...base.bmd, femoral_neck: { tScore: "-9", zScore: "" } },
      medications: [
        {
          id: "m7",
          name: "",
          medicationClass: "glucocorticoid",
          doseMgPerDay: "x",
          startedOn: "",
          stoppedOn: "",
        },
      ],
    });
    const fields = mapErrorsToFields(
      [
        { path: "0.items.1", message: "must be a whole number from 0 to 3" },
        { path: "observations.1.tScore", message: "must be a number from -7 to 7" },
        { path: "observations.1.effective", message: "must not be after the visit date" },
        { path: "observations.2.prednisoloneMgPerDay", message: "is required" },
        { path: "occurredOn", message: "The visit date cannot be in the future." },
        { path: "observations", message: "Enter at least one observation." },
        { path: "observations.9.site", message: "stray" },
      ],
      shaped.targets,
    );
    expect(fields).toEqual({
      "phq9.items.1": "Must be a whole number from 0 to 3",
      "bmd.femoral_neck.tScore": "Must be a number from −7 to 7",
      "bmd.effective": "Must not be after the visit date",
      "medications.m7.dose": "Required",
      occurredOn: "The visit date cannot be in the future.",
      // The first message per field wins.
      form: "Enter at least one observation.",
    });
    expect(fieldMessage("is required")).toBe("Required");
  });
});

describe("validateVisit", () => {
  it("asks for at least one result", () => {
    expect(validateVisit(form(), VISIT).errors.form).toMatch(/at least one/);
  });

  it("refuses a visit date in the future", () => {
    const errors = validateVisit(form({ occurredOn: "2026-11-21", fallsCount: "0" }), VISIT).errors;
    expect(errors.occurredOn).toMatch(/future/);
  });

  it("reports engine errors at their fields, and accepts a partial PHQ-9", () => {
    const base = form({ phq9: [1, null, null, null, null, null, null, null, null] });
    expect(validateVisit(base, VISIT).errors).toEqual({});
    const broken = validateVisit(
      {
        ...base,
        fraxMajorPct: "25",
        bmd: { ...base.bmd, total_hip: { tScore: "low", zScore: "" } },
        fractures: [{ id: "f9", site: "hip", effective: "", fragility: null }],
      },
      VISIT,
    ).errors;
    expect(broken["bmd.total_hip.tScore"]).toMatch(/number/);
    expect(broken).toMatchObject({
      "frax.hipPct": "Required",
      "frax.withBmd": "Required",
      "fractures.f9.effective": "Required",
      "fractures.f9.fragility": "Required",
    });
  });

  it("names a date field that does not hold a date with the parser's words, not the schema's", () => {
    const base = form({ phq9: [1, null, null, null, null, null, null, null, null] });
    const errors = validateVisit(
      {
        ...base,
        bmdEffective: "6/13/2026",
        bmd: { ...base.bmd, total_hip: { tScore: "-1.0", zScore: "" } },
        vitaminDEffective: "2026-02-30",
        vitaminDValue: "20",
        medications: [
          {
            id: "m1",
            name: "alendronate",
            medicationClass: "bisphosphonate",
            doseMgPerDay: "",
            startedOn: "last year",
            stoppedOn: "",
          },
        ],
      },
      VISIT,
    ).errors;
    expect(errors["bmd.effective"]).toMatch(/^There is no such day: 6\/13\/2026/);
    expect(errors["vitaminD.effective"]).toMatch(/no such day/);
    expect(errors["medications.m1.startedOn"]).toMatch(/^Not a date: type 6\/12\/2026/);
    expect(validateVisit({ ...base, occurredOn: "yesterday" }, VISIT).errors.occurredOn).toMatch(
      /^Not a date/,
    );
    expect(validateVisit({ ...base, occurredOn: "" }, VISIT).errors.occurredOn).toBe(
      "Enter the visit date",
    );
  });
});

describe("previewObservations", () => {
  it("keeps valid entries and counts the others", () => {
    const base = form({ phq9: [1, 1, 1, 1, 1, 1, 1, 1, 1], fraxMajorPct: "30" });
    const preview = previewObservations(base);
    expect(preview.observations.map((o) => o.kind)).toEqual(["phq9"]);
    expect(preview.notCounted).toBe(1);
  });
});

describe("progress", () => {
  it("PHQ-9: running total, then total and band when complete", () => {
    expect(phq9Progress([2, 2, null, null, null, null, null, null, 1])).toMatchObject({
      answered: 3,
      runningTotal: 5,
      total: null,
      band: null,
      item9: 1,
    });
    expect(phq9Progress([2, 2, 1, 1, 1, 1, 1, 0, 1])).toMatchObject({
      total: 10,
      band: "moderate",
    });
  });

  it("GDS-15: reverse-scored items count a 'no'", () => {
    const answers = Array.from({ length: 15 }, () => "no" as const);
    // "no" scores on items 1, 5, 7, 11, 13 only.
    expect(gds15Progress(answers)).toMatchObject({ total: 5, band: "suggests-depression" });
    expect(
      gds15Progress(["no", null, "yes", ...Array.from({ length: 12 }, () => null)]),
    ).toMatchObject({
      answered: 2,
      runningTotal: 2,
      total: null,
    });
  });
});

it("localToday formats the local date", () => {
  expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
});
