import { describe, expect, it } from "vitest";
import {
  applyExtras,
  assessInputFromPrefetch,
  extrasFor,
  LOINC,
  matchesDate,
  matchesSearch,
  observationToFhir,
  operationOutcome,
  parseDateFilter,
  parseSearch,
  patientExtrasOf,
  patientIdOf,
  planTransaction,
  pruneEmpty,
  readClinicalResources,
  searchsetBundle,
  sourceKeysOf,
  type FhirPatient,
  type Resource,
} from "@/lib/fhir";
import {
  loadFixture,
  observationOf,
  usCorePrefetch,
  usCoreTransaction,
} from "../../fixtures/us-core";

describe("what the sender sent is kept", () => {
  it("pairs the sided DXA codes with our side-less ones and gives them back first", () => {
    const plan = planTransaction(usCoreTransaction());
    const hip = plan.observations.find((o) => o.observation.site === "total_hip")!;
    const sources = plan.entries
      .filter((e) => e.item && hip.sources.some((s) => s.startsWith(e.path)))
      .map((e) => e.item!);
    const observation = hip.observation as never;
    const extras = extrasFor(observation, sources);
    expect(extras.t?.coding?.[0]).toMatchObject({ system: LOINC, code: "80946-7" });
    expect(extras.z?.coding?.[0]).toMatchObject({ system: LOINC, code: "80938-4" });
    const written = applyExtras(
      observationToFhir(observation, { id: "o1", patientReference: "Patient/p" }),
      "o1",
      extras,
      { versionId: "7", lastUpdated: "2026-01-01T00:00:00.000Z" },
    );
    const t = written.find((r) => r.id === "o1-t")!;
    expect((t.code as { coding: { code: string }[] }).coding.map((c) => c.code)).toEqual([
      "80946-7",
      "38264-8",
    ]);
    expect(t.meta).toMatchObject({ versionId: "7", lastUpdated: "2026-01-01T00:00:00.000Z" });
  });

  it("dedup keys: identifiers, the sender's id and URL, a conditional update's identifier", () => {
    const keys = sourceKeysOf(
      {
        resource: {
          resourceType: "Observation",
          id: "abc",
          identifier: [{ system: "urn:x", value: "1" }],
        },
        path: "Bundle.entry[0].resource",
        fullUrl: "http://ehr/fhir/Observation/abc",
      },
      "Observation?identifier=urn:y|2",
    );
    expect(keys).toEqual([
      "identifier:urn:x|1",
      "url:http://ehr/fhir/Observation/abc",
      "id:Observation/abc",
      "identifier:urn:y|2",
    ]);
  });

  it("keeps the Patient's Must Support elements, without empty values", () => {
    const extras = patientExtrasOf(loadFixture("patient-example.json") as FhirPatient);
    expect(extras.identifier?.[0]).toMatchObject({
      system: "http://example.org/patient/identifiers",
    });
    expect(extras.name?.[1]).toMatchObject({ family: "Baxter", given: ["Amy", "V."] });
    expect(extras.telecom).toHaveLength(2);
    expect(extras.extension?.map((e) => e.url)).toContain(
      "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
    );
    expect(pruneEmpty({ a: "", b: [], c: {}, d: [{ e: " " }], f: 0 })).toEqual({ f: 0 });
  });
});

describe("malformed list members", () => {
  const frax = (component: unknown[]): Resource =>
    observationOf(
      "panel",
      { component },
      { system: "urn:bone-brain-care:frax", subject: "Patient/p", effective: "2022-11-30" },
    );

  it("a null component is an error in an import and not understood in CDS, never a TypeError", () => {
    const item = { resource: frax([null]), path: "Bundle.entry[0].resource" };
    const imported = readClinicalResources([item], { mode: "import" });
    expect(imported.issues).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "structure",
        expression: "Bundle.entry[0].resource.component[0]",
      }),
    ]);
    const cds = readClinicalResources([item], { mode: "cds" });
    expect(cds.notUnderstood).toHaveLength(1);
    const prefetch = usCorePrefetch();
    const panel = loadFixture("Observation-PHQ9-panel-example-44249-1.json");
    panel.component = [null];
    prefetch.observations = {
      resourceType: "Bundle",
      type: "searchset",
      entry: [{ resource: panel }, { resource: { ...frax([3]) } }],
    };
    const read = assessInputFromPrefetch(prefetch, "2022-12-01");
    expect(read.notUnderstood.length).toBeGreaterThanOrEqual(2);
  });
});

describe("search", () => {
  it("dates with prefixes at every precision", () => {
    const f = (v: string) => parseDateFilter(v)!;
    expect(matchesDate("2022-11-29", f("ge2022-01-01"))).toBe(true);
    expect(matchesDate("2022-11-29", f("lt2022-11-29"))).toBe(false);
    expect(matchesDate("2022-11-29", f("le2022-11-29"))).toBe(true);
    expect(matchesDate("2022-11-29", f("gt2022-11-29"))).toBe(false);
    expect(matchesDate("2022-11-29", f("2022-11"))).toBe(true);
    expect(matchesDate("2022-11-29", f("ne2022"))).toBe(false);
    expect(matchesDate("2022-11-29T10:00:00Z", f("ge2022-11-29T09:00:00Z"))).toBe(true);
    expect(parseDateFilter("ge2022-13-01")).toBeNull();
    expect(parseDateFilter("soon")).toBeNull();
  });

  it("parses known parameters, lists unknown ones, refuses bad values", () => {
    const s = parseSearch(
      "Observation",
      new URLSearchParams("patient=p&category=survey&date=ge2022&foo=1&_count=3&_offset=6"),
    );
    expect(s.unknown).toEqual(["foo"]);
    expect(s.errors).toEqual([]);
    expect([s.count, s.offset]).toEqual([3, 6]);
    const bad = parseSearch("Observation", new URLSearchParams("date=yesterday&_count=0"));
    expect(bad.errors.map((e) => e.expression)).toEqual(["date", "_count"]);
    const resource: Resource = {
      resourceType: "Observation",
      id: "x",
      status: "final",
      category: [{ coding: [{ code: "survey" }] }],
      effectiveDateTime: "2022-05-01",
    };
    expect(matchesSearch(resource, s)).toBe(true);
    expect(
      matchesSearch(resource, parseSearch("Observation", new URLSearchParams("category=imaging"))),
    ).toBe(false);
    const condition: Resource = {
      resourceType: "Condition",
      clinicalStatus: { coding: [{ code: "active" }] },
    };
    expect(
      matchesSearch(condition, parseSearch("Condition", new URLSearchParams("status=active"))),
    ).toBe(true);
  });

  it("absolute patient references on this server", () => {
    expect(
      patientIdOf("https://bbc.example/fhir/r4/Patient/abc", "https://bbc.example/fhir/r4"),
    ).toBe("abc");
    expect(
      patientIdOf("https://elsewhere/fhir/Patient/abc", "https://bbc.example/fhir/r4"),
    ).toBeNull();
  });

  it("no empty arrays: an empty searchset has no entry; an outcome always has an issue", () => {
    const empty = searchsetBundle(
      [],
      "https://x/fhir/r4",
      "https://x/fhir/r4/Observation?patient=p",
    );
    expect("entry" in empty).toBe(false);
    expect(operationOutcome([]).issue).toHaveLength(1);
  });
});
