import { describe, expect, it } from "vitest";
import { assess, validateObservations, type Observation } from "@/lib/clinical";
import {
  LOINC,
  observationToFhir,
  operationOutcome,
  patientFromFhir,
  patientToFhir,
  planTransaction,
  readClinicalResources,
  validatePlannedObservations,
  type Bundle,
  type FhirPatient,
  type Resource,
} from "@/lib/fhir";
import { observationOf, usCoreTransaction } from "../../fixtures/us-core";

const P = "Patient/p1";

/** Writes one observation as FHIR and reads it back through the import path. */
function roundTrip(o: Observation): Record<string, unknown>[] {
  const resources = observationToFhir(o, { id: "obs-1", patientReference: P });
  const read = readClinicalResources(
    resources.map((resource, i) => ({ resource, path: `Bundle.entry[${i}].resource` })),
    { mode: "import" },
  );
  expect(read.issues.filter((i) => i.severity === "error")).toEqual([]);
  return read.observations.map((m) => m.observation);
}

describe("observation ⇄ FHIR, each kind both ways", () => {
  it.each<[string, Observation, Record<string, unknown>?]>([
    [
      "PHQ-9 with items (the total is added on export)",
      { kind: "phq9", effective: "2026-01-10", items: [1, 2, 3, 0, 1, 2, 0, 1, 1], difficulty: 2 },
      {
        kind: "phq9",
        effective: "2026-01-10",
        items: [1, 2, 3, 0, 1, 2, 0, 1, 1],
        total: 11,
        difficulty: 2,
      },
    ],
    ["PHQ-9 total only", { kind: "phq9", effective: "2026-01-10", total: 14 }],
    [
      "PHQ-9 with an unanswered item",
      { kind: "phq9", effective: "2026-01-10", items: [1, 1, 1, 1, 1, 1, 1, 1, null] },
    ],
    [
      "PHQ-2 items",
      { kind: "phq2", effective: "2026-01-10", items: [2, 1] },
      { kind: "phq2", effective: "2026-01-10", items: [2, 1], total: 3 },
    ],
    ["PHQ-2 total", { kind: "phq2", effective: "2026-01-10", total: 4 }],
    ["GDS-15 total", { kind: "gds15", effective: "2026-01-10", total: 6 }],
    [
      "GDS-15 answers",
      {
        kind: "gds15",
        effective: "2026-01-10",
        answers: [
          "no",
          "yes",
          "yes",
          "no",
          "yes",
          "no",
          "yes",
          "no",
          "no",
          "no",
          "yes",
          "no",
          "yes",
          "no",
          null,
        ],
      },
    ],
    [
      "DXA T and Z at the femoral neck",
      { kind: "bmd", effective: "2025-05-01", site: "femoral_neck", tScore: -2.7, zScore: -1.1 },
    ],
    [
      "DXA T at the lumbar spine",
      { kind: "bmd", effective: "2025-05-01", site: "lumbar_spine", tScore: -1.2 },
    ],
    [
      "DXA Z at the radius",
      { kind: "bmd", effective: "2025-05-01", site: "radius_33", zScore: -2.1 },
    ],
    [
      "DXA T at the total hip",
      { kind: "bmd", effective: "2025-05-01", site: "total_hip", tScore: 0.3 },
    ],
    [
      "vitamin D in ng/mL",
      { kind: "vitaminD", effective: "2025-05-01", value: 18.5, unit: "ng/mL" },
    ],
    [
      "vitamin D in nmol/L",
      { kind: "vitaminD", effective: "2025-05-01", value: 45, unit: "nmol/L" },
    ],
    [
      "FRAX",
      {
        kind: "frax",
        effective: "2025-05-01",
        majorOsteoporoticPct: 21.5,
        hipPct: 3.2,
        withBmd: true,
      },
    ],
    [
      "falls",
      {
        kind: "falls",
        effective: "2025-05-01",
        countPast12Months: 2,
        injurious: true,
        unsteady: false,
        worriedAboutFalling: true,
      },
    ],
    [
      "fragility hip fracture",
      { kind: "fracture", effective: "2024-03-01", site: "hip", fragility: true },
    ],
    [
      "traumatic wrist fracture",
      { kind: "fracture", effective: "2024-03-01", site: "wrist", fragility: false },
    ],
    [
      "vertebral fracture",
      { kind: "fracture", effective: "2024-03-01", site: "vertebral", fragility: true },
    ],
    [
      "SSRI by name",
      {
        kind: "medication",
        effective: "2025-01-01",
        class: "ssri",
        name: "sertraline",
        startedOn: "2024-12-01",
      },
    ],
    [
      "prednisolone with a dose",
      {
        kind: "medication",
        effective: "2025-01-01",
        class: "glucocorticoid",
        name: "prednisolone",
        prednisoloneMgPerDay: 5,
        startedOn: "2024-09-01",
      },
    ],
    [
      "denosumab stopped",
      {
        kind: "medication",
        effective: "2024-01-01",
        class: "denosumab",
        name: "denosumab",
        startedOn: "2022-01-01",
        stoppedOn: "2025-06-01",
      },
    ],
    ["class without a name", { kind: "medication", effective: "2025-01-01", class: "z_drug" }],
  ])("%s", (_label, observation, expected) => {
    const back = roundTrip(observation);
    expect(back).toEqual([expected ?? observation]);
    expect(validateObservations(back, "2026-12-31").status).toBe("valid");
  });

  it("writes LOINC codes, UCUM units and US Core categories", () => {
    const [resource] = observationToFhir(
      { kind: "vitaminD", effective: "2025-05-01", value: 50, unit: "nmol/L" },
      { id: "v", patientReference: P },
    );
    expect(resource).toMatchObject({
      resourceType: "Observation",
      status: "final",
      category: [{ coding: [{ code: "laboratory" }] }],
      code: { coding: [{ system: LOINC, code: "62292-8" }] },
      valueQuantity: { value: 50, system: "http://unitsofmeasure.org", code: "nmol/L" },
      subject: { reference: P },
      effectiveDateTime: "2025-05-01",
    });
    const phq = observationToFhir(
      { kind: "phq9", effective: "2025-05-01", total: 3 },
      { id: "q", patientReference: P },
    );
    expect(phq[0]).toMatchObject({
      code: { coding: [{ code: "44249-1" }] },
      category: [{ coding: [{ code: "survey" }] }],
    });
    const bmd = observationToFhir(
      { kind: "bmd", effective: "2025-05-01", site: "total_hip", tScore: -1 },
      { id: "b", patientReference: P },
    );
    expect(bmd[0]).toMatchObject({
      code: { coding: [{ code: "38264-8" }] },
      category: [{ coding: [{ code: "imaging" }] }],
      valueQuantity: { code: "{T-Score}" },
    });
  });
});

describe("medications from other systems", () => {
  const med = (
    concept: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Resource => ({
    resourceType: "MedicationRequest",
    status: "active",
    intent: "order",
    subject: { reference: P },
    authoredOn: "2025-02-01",
    medicationCodeableConcept: concept,
    ...extra,
  });
  const read = (resource: Resource, mode: "import" | "cds" = "import") =>
    readClinicalResources([{ resource, path: "Bundle.entry[0].resource" }], { mode });

  it("classifies by RxNorm ingredient code", () => {
    const r = read(
      med({ coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "36437" }] }),
    );
    expect(r.observations[0]?.observation).toMatchObject({ class: "ssri", name: "sertraline" });
  });

  it("falls back to the name in the text of a clinical-drug code, with the daily prednisone dose", () => {
    const r = read(
      med(
        {
          coding: [
            {
              system: "http://www.nlm.nih.gov/research/umls/rxnorm",
              code: "312617",
              display: "predniSONE 5 MG Oral Tablet",
            },
          ],
        },
        {
          dosageInstruction: [
            {
              timing: { repeat: { frequency: 2, period: 1, periodUnit: "d" } },
              doseAndRate: [{ doseQuantity: { value: 5, unit: "mg", code: "mg" } }],
            },
          ],
        },
      ),
    );
    expect(r.observations[0]?.observation).toMatchObject({
      class: "glucocorticoid",
      prednisoloneMgPerDay: 10,
    });
  });

  it("reads a glucocorticoid course the sender plans for 3 months or more as plannedLongTerm", () => {
    const prednisone = {
      coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "8640" }],
      text: "prednisone",
    };
    const course = (repeat: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      read(
        med(prednisone, {
          dosageInstruction: [
            {
              timing: { repeat: { frequency: 1, period: 1, periodUnit: "d", ...repeat } },
              doseAndRate: [{ doseQuantity: { value: 5, unit: "mg", code: "mg" } }],
            },
          ],
          ...extra,
        }),
      ).observations[0]?.observation;
    expect(course({ boundsDuration: { value: 6, unit: "months", code: "mo" } })).toMatchObject({
      plannedLongTerm: true,
    });
    expect(course({ boundsDuration: { value: 90, code: "d" } })).toMatchObject({
      plannedLongTerm: true,
    });
    expect(course({ boundsDuration: { value: 89, code: "d" } })).toMatchObject({
      plannedLongTerm: false,
    });
    expect(
      course({}, { dispenseRequest: { expectedSupplyDuration: { value: 13, code: "wk" } } }),
    ).toMatchObject({ plannedLongTerm: true });
    // No stated duration: nothing is assumed.
    expect(course({})).not.toHaveProperty("plannedLongTerm");
  });

  it("reports an unknown medication in import and lists it in CDS, never guessing", () => {
    const resource = med({ text: "Mystery tonic" });
    const imported = read(resource);
    expect(imported.observations).toEqual([]);
    expect(imported.issues).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "code-invalid",
        expression: "Bundle.entry[0].resource.medication[x]",
      }),
    ]);
    const cds = read(resource, "cds");
    expect(cds.issues.every((i) => i.severity !== "error")).toBe(true);
    expect(cds.notUnderstood).toEqual([
      'Medication "Mystery tonic" is not one this service can classify.',
    ]);
  });
});

describe("Patient ⇄ FHIR", () => {
  it("writes our MRN system per site and reads it back", () => {
    const ann = {
      siteCode: "north",
      mrn: "N-001",
      givenName: "Ann",
      familyName: "Lee",
      birthDate: "1950-03-01",
      sex: "female",
      postmenopausal: true,
    } as const;
    const resource = patientToFhir({ id: "11111111-2222-3333-4444-555555555555", ...ann });
    expect(resource.identifier?.[0]).toMatchObject({
      system: "urn:bone-brain-care:site:north:mrn",
      value: "N-001",
    });
    expect(resource.gender).toBe("female");
    const back = patientFromFhir(resource, "Patient");
    expect(back.issues).toEqual([]);
    expect(back.patient).toEqual(ann);
  });

  it("reads sex from the us-core-individual-sex extension when gender is absent", () => {
    const bundle = usCoreTransaction();
    const resource = bundle.entry![0]!.resource as FhirPatient;
    const read = patientFromFhir(resource, "Bundle.entry[0].resource");
    expect(read.patient).toMatchObject({
      mrn: "1032702",
      siteCode: null,
      givenName: "Amy V.",
      familyName: "Baxter",
      birthDate: "1987-02-20",
      sex: "female",
      postmenopausal: null,
    });
  });
});

describe("US Core examples as a transaction", () => {
  it("reads the PHQ-9 panel (answers as LOINC codes, total as a string) and merges DXA T and Z by site", () => {
    const plan = planTransaction(usCoreTransaction());
    expect(plan.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(plan.occurredOn).toBe("2022-11-29");
    const observations = plan.observations.map((o) => o.observation);
    expect(observations).toContainEqual({
      kind: "phq9",
      effective: "2022-11-29",
      items: [2, 2, 2, 2, 1, 1, 2, 0, 0],
      total: 12,
      difficulty: 1,
    });
    expect(observations).toContainEqual({
      kind: "bmd",
      effective: "2021-11-10",
      site: "total_hip",
      tScore: -1.62,
      zScore: -0.19,
    });
    expect(observations).toContainEqual({
      kind: "bmd",
      effective: "2021-11-10",
      site: "femoral_neck",
      tScore: -1.48,
      zScore: 0.05,
    });
    expect(observations).toHaveLength(3);
    // The report and the areal BMD values are known and deliberately not used.
    expect(plan.issues.filter((i) => i.severity === "information").length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it("assessed as of 2022-12-01: PHQ-9 12 (moderate), no safety flag, no bone flag at 35", () => {
    const plan = planTransaction(usCoreTransaction());
    const checked = validatePlannedObservations(plan.observations, plan.occurredOn!);
    if (checked.status !== "valid") throw new Error(JSON.stringify(checked.issues));
    const a = assess({
      asOf: "2022-12-01",
      patient: { birthDate: plan.patient!.birthDate!, sex: plan.patient!.sex },
      observations: checked.observations,
    });
    expect(a.scores.phq9).toMatchObject({ total: 12, band: "moderate", item9: 0 });
    expect(a.scores.age).toBe(35);
    expect(a.scores.whoApplicable).toBe(false);
    expect(a.scores.lowestTScore?.value).toBe(-1.62);
    expect(a.scores.lowestZScore?.value).toBe(-0.19);
    const codes = a.flags.map((f) => f.code);
    expect(codes).toContain("depression.positive");
    expect(codes.filter((c) => c.startsWith("safety."))).toEqual([]);
    expect(codes.filter((c) => c.startsWith("bone."))).toEqual([]);
  });
});

describe("precise OperationOutcomes", () => {
  function withEntry(resource: Record<string, unknown>): Bundle {
    const bundle = usCoreTransaction({ withReport: false });
    bundle.entry!.push({
      fullUrl: "urn:uuid:bad",
      resource: resource as Resource,
      request: { method: "POST", url: "Observation" },
    });
    return bundle;
  }
  /** A final Observation of the example patient with `code` and `valueQuantity`, appended. */
  function observationEntry(code: string, valueQuantity: Record<string, unknown>): Bundle {
    return withEntry(observationOf(code, { valueQuantity }));
  }
  const lastIndex = usCoreTransaction({ withReport: false }).entry!.length;

  it("an unknown code names the entry and the code", () => {
    const plan = planTransaction(
      observationEntry("2345-7", { value: 99, unit: "mg/dL", code: "mg/dL" }),
    );
    const errors = plan.issues.filter((i) => i.severity === "error");
    expect(errors).toEqual([
      {
        severity: "error",
        code: "code-invalid",
        expression: `Bundle.entry[${lastIndex}].resource.code`,
        message: "Observation code http://loinc.org|2345-7 is not one this service understands.",
      },
    ]);
    const outcome = operationOutcome(errors);
    expect(outcome.issue[0]).toMatchObject({
      severity: "error",
      code: "code-invalid",
      expression: [`Bundle.entry[${lastIndex}].resource.code`],
      location: [`Bundle.entry[${lastIndex}].resource.code`],
    });
  });

  it("a wrong vitamin D unit names the unit field and the accepted units", () => {
    const plan = planTransaction(
      observationEntry("62292-8", {
        value: 3,
        unit: "ug/dL",
        system: "http://unitsofmeasure.org",
        code: "ug/dL",
      }),
    );
    expect(plan.issues.filter((i) => i.severity === "error")).toEqual([
      {
        severity: "error",
        code: "value",
        expression: `Bundle.entry[${lastIndex}].resource.valueQuantity.code`,
        message:
          'Unit "ug/dL" is not accepted for 25-hydroxyvitamin D: send ng/mL or nmol/L (UCUM).',
      },
    ]);
  });

  it("a PHQ-9 total that contradicts its items is reported on the panel", () => {
    const bundle = usCoreTransaction({ withReport: false });
    const total = bundle.entry!.find(
      (e) => e.resource?.id === "PHQ9-item-example-44261-6",
    )!.resource!;
    total.valueString = "15";
    const plan = planTransaction(bundle);
    expect(plan.issues.filter((i) => i.severity === "error")).toEqual([
      expect.objectContaining({
        code: "business-rule",
        expression: "Bundle.entry[1].resource",
        message: "The PHQ-9 total 15 does not match its items, which score 12.",
      }),
    ]);
  });

  it("a value outside the assess contract points back at its resource", () => {
    const plan = planTransaction(
      observationEntry("38267-1", { value: -9, unit: "T-Score", code: "{T-Score}" }),
    );
    const checked = validatePlannedObservations(plan.observations, plan.occurredOn!);
    expect(checked.status).toBe("invalid");
    if (checked.status === "invalid") {
      expect(checked.issues).toEqual([
        expect.objectContaining({
          expression: `Bundle.entry[${lastIndex}].resource`,
          message: "bmd tScore: must be a number from -7 to 7",
        }),
      ]);
    }
  });

  it("refuses a Bundle that is not a transaction", () => {
    const plan = planTransaction({ resourceType: "Bundle", type: "collection", entry: [] });
    expect(plan.issues[0]).toMatchObject({ expression: "Bundle.type", severity: "error" });
  });
});
