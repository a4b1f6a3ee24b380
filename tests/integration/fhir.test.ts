import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { observations, patients, sites, visits } from "@/db/schema";
import { FhirError } from "@/lib/api/fhir";
import { assess, type Assessment, type Observation } from "@/lib/clinical";
import {
  assessInputFromPrefetch,
  LOINC,
  mrnSystem,
  parseSearch,
  toTransaction,
  type Bundle,
  type FhirPatient,
  type Resource,
} from "@/lib/fhir";
import type { Ctx } from "@/lib/server/context";
import {
  exportPatientEverything,
  importTransaction,
  readFhirPatient,
  searchFhir,
} from "@/lib/server/fhir";
import { recordVisit } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";
import { observationOf, postEntry, usCorePrefetch, usCoreTransaction } from "../fixtures/us-core";

const t = testDatabasePerFile();
let ctx: Ctx;
let siteId: string;
let siteCode: string;
beforeAll(async () => {
  const world = await makeWorld(t.db);
  ctx = { db: t.db, actor: world.actor };
  siteId = world.siteId;
  const [site] = await t.db.select().from(sites).where(eq(sites.id, siteId));
  siteCode = site!.code;
});

const NOW = new Date("2026-03-01T12:00:00Z");

async function storedPayloads(patientId: string): Promise<Observation[]> {
  const rows = await t.db
    .select({ payload: observations.payload })
    .from(observations)
    .where(and(eq(observations.patientId, patientId), isNull(observations.enteredInErrorAt)));
  return rows.map((r) => r.payload as Observation);
}

async function assessStored(patientId: string, asOf: string): Promise<Assessment> {
  const [p] = await t.db.select().from(patients).where(eq(patients.id, patientId));
  return assess({
    asOf,
    patient: {
      birthDate: p!.birthDate,
      sex: p!.sex,
      ...(p!.postmenopausal !== null ? { postmenopausal: p!.postmenopausal } : {}),
    },
    observations: await storedPayloads(patientId),
  });
}

/** What must be the same for two assessments of the same data. */
function essence(a: Assessment) {
  return {
    priority: a.priority,
    flags: a.flags.map((f) => [f.code, f.severity]),
    suggestions: a.suggestions.map((s) => s.id),
    scores: a.scores,
    dataStatus: a.dataStatus,
  };
}

describe("US Core examples imported as a transaction", () => {
  let patientId: string;

  it("creates the patient (sex from the extension) and one visit from source fhir", async () => {
    const result = await importTransaction(ctx, usCoreTransaction(), {}, NOW);
    patientId = result.patientId;
    expect(result.patientCreated).toBe(true);
    expect(result.visitId).not.toBeNull();
    const [p] = await t.db.select().from(patients).where(eq(patients.id, patientId));
    expect(p).toMatchObject({
      siteId,
      mrn: "1032702",
      givenName: "Amy V.",
      familyName: "Baxter",
      birthDate: "1987-02-20",
      sex: "female",
      postmenopausal: null,
    });
    const [visit] = await t.db.select().from(visits).where(eq(visits.id, result.visitId!));
    expect(visit).toMatchObject({ source: "fhir", occurredOn: "2022-11-29" });
    expect(await storedPayloads(patientId)).toHaveLength(3);
    expect(result.response.type).toBe("transaction-response");
    expect(result.response.entry?.[0]?.response).toMatchObject({
      status: "201 Created",
      location: `Patient/${patientId}`,
    });
  });

  it("assessed as of 2022-12-01: PHQ-9 12 moderate, item 9 = 0, depression.positive, no safety or bone flag", async () => {
    const a = await assessStored(patientId, "2022-12-01");
    expect(a.scores.phq9).toMatchObject({ total: 12, band: "moderate", item9: 0, complete: true });
    expect(a.scores.lowestTScore?.value).toBe(-1.62);
    expect(a.scores.lowestZScore?.value).toBe(-0.19);
    expect(a.scores.whoApplicable).toBe(false);
    const codes = a.flags.map((f) => f.code);
    expect(codes).toContain("depression.positive");
    expect(a.flags.find((f) => f.code === "depression.positive")?.severity).toBe("moderate");
    expect(codes.some((c) => c.startsWith("safety."))).toBe(false);
    expect(codes.some((c) => c.startsWith("bone."))).toBe(false);
  });

  it("the same Observations sent as CDS Hooks prefetch give the same assessment", async () => {
    const read = assessInputFromPrefetch(usCorePrefetch(), "2022-12-01");
    if (read.status !== "ok") throw new Error(read.reason);
    expect(essence(assess(read.input))).toEqual(
      essence(await assessStored(patientId, "2022-12-01")),
    );
  });

  it("importing the same Bundle again matches the patient by site and MRN", async () => {
    const again = await importTransaction(ctx, usCoreTransaction(), {}, NOW);
    expect(again.patientCreated).toBe(false);
    expect(again.patientId).toBe(patientId);
    expect(again.response.entry?.[0]?.response?.status).toBe("200 OK");
  });

  it("refuses to merge into a patient with the same MRN and another birth date", async () => {
    const bundle = usCoreTransaction();
    (bundle.entry![0]!.resource as FhirPatient).birthDate = "1987-02-21";
    await expect(importTransaction(ctx, bundle, {}, NOW)).rejects.toMatchObject({
      status: 422,
      outcome: {
        issue: [
          expect.objectContaining({
            code: "conflict",
            expression: ["Bundle.entry[0].resource.birthDate"],
          }),
        ],
      },
    });
  });
});

describe("all or nothing", () => {
  it("a Bundle with an unknown code writes nothing and names the entry", async () => {
    const before = (await t.db.select({ id: observations.id }).from(observations)).length;
    const patientsBefore = (await t.db.select({ id: patients.id }).from(patients)).length;
    const bundle = usCoreTransaction();
    (bundle.entry![0]!.resource as FhirPatient).identifier = [
      { system: mrnSystem(siteCode), value: "NEW-1" },
    ];
    bundle.entry!.push(postEntry(observationOf("99999-9", { valueQuantity: { value: 1 } })));
    const error = await importTransaction(ctx, bundle, {}, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(422);
    expect((error as FhirError).outcome.issue).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "code-invalid",
        expression: [`Bundle.entry[${bundle.entry!.length - 1}].resource.code`],
      }),
    ]);
    expect((await t.db.select({ id: observations.id }).from(observations)).length).toBe(before);
    expect((await t.db.select({ id: patients.id }).from(patients)).length).toBe(patientsBefore);
  });

  it("a user with several sites must say which one (site parameter or our MRN system)", async () => {
    const [other] = await t.db
      .insert(sites)
      .values({ code: `other-${Date.now()}`, name: "Other" })
      .returning();
    const actor = await makeUser(t.db, "clinician", [siteId, other!.id]);
    const twoSites: Ctx = { db: t.db, actor };
    const error = await importTransaction(twoSites, usCoreTransaction(), {}, NOW).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 422 });
    expect((error as FhirError).outcome.issue[0]?.diagnostics).toContain("Which site?");
    const ok = await importTransaction(
      twoSites,
      usCoreTransaction(),
      { siteCode: other!.code },
      NOW,
    );
    expect(ok.patientCreated).toBe(true);
  });
});

describe("FHIR reads", () => {
  let patientId: string;
  beforeAll(async () => {
    const world = await makeWorld(t.db, {
      patient: { birthDate: "1948-05-02", sex: "female", postmenopausal: true },
    });
    ctx = { db: t.db, actor: world.actor };
    patientId = world.patientId;
    const visit = (occurredOn: string, obs: Record<string, unknown>[]) =>
      recordVisit(ctx, patientId, { occurredOn, observations: obs }, NOW);
    await visit("2025-03-01", [
      { kind: "phq9", items: [2, 2, 2, 2, 1, 1, 2, 1, 1] },
      { kind: "bmd", site: "femoral_neck", tScore: -2.7, zScore: -1.2 },
      { kind: "vitaminD", value: 40, unit: "nmol/L" },
      { kind: "fracture", effective: "2024-11-02", site: "hip", fragility: true },
      { kind: "medication", class: "ssri", name: "sertraline", startedOn: "2024-12-01" },
      {
        kind: "medication",
        class: "glucocorticoid",
        name: "prednisolone",
        prednisoloneMgPerDay: 5,
        startedOn: "2024-06-01",
      },
    ]);
    await visit("2025-12-01", [
      { kind: "phq9", total: 16 },
      { kind: "gds15", total: 7 },
      { kind: "phq2", items: [2, 2] },
      { kind: "frax", majorOsteoporoticPct: 24, hipPct: 4.1, withBmd: true },
      {
        kind: "falls",
        countPast12Months: 2,
        injurious: true,
        unsteady: true,
        worriedAboutFalling: false,
      },
      {
        kind: "medication",
        class: "denosumab",
        name: "denosumab",
        startedOn: "2023-01-01",
        stoppedOn: "2025-10-01",
      },
    ]);
  });

  it("reads the Patient with our MRN system", async () => {
    const p = await readFhirPatient(ctx, patientId);
    expect(p).toMatchObject({
      resourceType: "Patient",
      id: patientId,
      gender: "female",
      birthDate: "1948-05-02",
    });
  });

  it("searches Observations by code token, newest first, with _count", async () => {
    const search = (query: Record<string, string>) =>
      parseSearch("Observation", new URLSearchParams({ patient: patientId, ...query }));
    const bundle = await searchFhir(
      ctx,
      "Observation",
      search({ code: `${LOINC}|44261-6`, _sort: "-date", _count: "10" }),
      "http://test/fhir/r4/Observation",
    );
    expect(bundle.total).toBe(2);
    expect(
      bundle.entry?.map(
        (e) => (e.resource as { valueQuantity?: { value: number } }).valueQuantity?.value,
      ),
    ).toEqual([16, 14]);
    const oldestOnly = await searchFhir(
      ctx,
      "Observation",
      search({ code: "44261-6", _sort: "date", _count: "1" }),
      "http://test/fhir/r4/Observation",
    );
    expect(oldestOnly.total).toBe(2);
    expect(oldestOnly.entry).toHaveLength(1);
    expect(oldestOnly.entry![0]!.resource!.effectiveDateTime).toBe("2025-03-01");
  });

  it("a patient of another site is not found", async () => {
    const stranger = await makeWorld(t.db);
    await expect(
      readFhirPatient({ db: t.db, actor: stranger.actor }, patientId),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("round trip: $everything exported and imported as a new patient gives the same assessment", async () => {
    const everything = await exportPatientEverything(
      ctx,
      patientId,
      "http://test/fhir/r4/Patient/x/$everything",
    );
    expect(everything.entry?.[0]?.resource?.resourceType).toBe("Patient");
    const resources = everything.entry!.map((e) => structuredClone<Resource>(e.resource!));
    const patient = resources[0] as FhirPatient;
    patient.identifier![0]!.value = "ROUND-TRIP-1";
    const transaction: Bundle = toTransaction(resources, "http://test/fhir/r4");
    const imported = await importTransaction(ctx, transaction, {}, NOW);
    expect(imported.patientCreated).toBe(true);
    expect(imported.patientId).not.toBe(patientId);
    for (const asOf of ["2025-12-01", "2026-02-15"]) {
      expect(essence(await assessStored(imported.patientId, asOf))).toEqual(
        essence(await assessStored(patientId, asOf)),
      );
    }
  });
});
