import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { Client } from "fhir-kit-client";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { observations, visits } from "@/db/schema";
import { issueTokenSchema } from "@/lib/api/tokens";
import { LOINC, type Bundle, type BundleEntry, type Resource } from "@/lib/fhir";
import { issueApiToken } from "@/lib/server/api-tokens";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";
import { fhirErrors } from "../support/fhir-validate";
import { observationOf, postEntry, usCoreTransaction } from "../fixtures/us-core";

/**
 * The FHIR endpoint as an EHR interface engine meets it: a third-party client (fhir-kit-client)
 * over HTTP against the route handlers, and every body the server returns validated by Medplum's
 * validator against the official R4 definitions and the US Core profiles it claims.
 */

type Handler = (
  req: NextRequest,
  route: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;
type RouteModule = Partial<Record<string, unknown>>;

let t: TestDatabase;
let server: http.Server;
let base = "";
let token = "";
let client: Client;
const invalid: string[] = [];
let checked = 0;
const routes: {
  pattern: RegExp;
  module: RouteModule;
  params: (m: RegExpExecArray) => Record<string, unknown>;
}[] = [];

/** Every response body, checked: the test at the end fails on any error found along the way. */
function check(body: unknown, what: string): void {
  checked++;
  for (const e of fhirErrors(body)) invalid.push(`${what}: ${e}`);
}

async function dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", base);
  // Next.js answers a trailing slash with a redirect to the path without it.
  url.pathname = url.pathname.replace(/(.)\/+$/, "$1");
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const route = routes.find((r) => r.pattern.test(url.pathname))!;
  const match = route.pattern.exec(url.pathname)!;
  const handler = route.module[req.method ?? "GET"];
  if (handler !== undefined && typeof handler !== "function") throw new Error("not a handler");
  const nextReq = new NextRequest(url, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
  });
  const response = handler
    ? await (handler as Handler)(nextReq, { params: Promise.resolve(route.params(match)) })
    : new Response(null, { status: 405 });
  const text = await response.text();
  if (text) check(JSON.parse(text), `${req.method} ${url.pathname}${url.search}`);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(text);
}

beforeAll(async () => {
  fhirErrors({ resourceType: "Basic", code: { text: "warm-up" } });
  server = http.createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      res.writeHead(599).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.PUBLIC_URL = base;
  t = await createTestDatabase();
  setDatabase(t);
  const world = await makeWorld(t.db);
  const admin = { db: t.db, actor: await makeUser(t.db, "admin", []) };
  token = (
    await issueApiToken(
      admin,
      issueTokenSchema.parse({
        name: "Interface engine",
        scopes: ["fhir.read", "fhir.write"],
        siteIds: [world.siteId],
        expiresInDays: 30,
      }),
    )
  ).token;
  const r4 = "^/fhir/r4";
  const id = "([A-Za-z0-9\\-.$]+)";
  const none = () => ({});
  routes.push(
    { pattern: new RegExp(`${r4}$`), module: await import("@/app/fhir/r4/route"), params: none },
    {
      pattern: new RegExp(`${r4}/metadata$`),
      module: await import("@/app/fhir/r4/metadata/route"),
      params: none,
    },
    {
      pattern: new RegExp(`${r4}/Patient$`),
      module: await import("@/app/fhir/r4/Patient/route"),
      params: none,
    },
    {
      pattern: new RegExp(`${r4}/Patient/${id}/\\$everything$`),
      module: await import("@/app/fhir/r4/Patient/[patientId]/$everything/route"),
      params: (m) => ({ patientId: m[1] }),
    },
    {
      pattern: new RegExp(`${r4}/Patient/${id}$`),
      module: await import("@/app/fhir/r4/Patient/[patientId]/route"),
      params: (m) => ({ patientId: m[1] }),
    },
  );
  for (const type of ["Observation", "Condition", "MedicationRequest"] as const) {
    const search = (await import(`@/app/fhir/r4/${type}/route`)) as RouteModule;
    const read = (await import(`@/app/fhir/r4/${type}/[id]/route`)) as RouteModule;
    routes.push(
      { pattern: new RegExp(`${r4}/${type}$`), module: search, params: none },
      { pattern: new RegExp(`${r4}/${type}/${id}$`), module: read, params: (m) => ({ id: m[1] }) },
    );
  }
  routes.push({
    pattern: /.*/,
    module: await import("@/app/fhir/r4/[...path]/route"),
    params: (m) => ({ path: m[0].split("/").slice(3) }),
  });
  client = new Client({ baseUrl: `${base}/fhir/r4`, bearerToken: token });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.dispose();
});

async function raw(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });
}

async function currentObservations(patientId: string) {
  return t.db
    .select()
    .from(observations)
    .where(and(eq(observations.patientId, patientId), isNull(observations.enteredInErrorAt)));
}

const MRN = "http://example.org/patient/identifiers|1032702";
let patientId = "";

describe("the US Core examples through a third-party client", () => {
  it("the CapabilityStatement names the supported profiles and search parameters", async () => {
    const cs = (await client.capabilityStatement()) as unknown as {
      rest: {
        resource: { type: string; supportedProfile?: string[]; searchParam?: { name: string }[] }[];
      }[];
    };
    const byType = Object.fromEntries(cs.rest[0]!.resource.map((r) => [r.type, r]));
    expect(byType.Patient!.supportedProfile).toEqual([
      "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient",
    ]);
    expect(byType.Observation!.searchParam!.map((p) => p.name)).toEqual(
      expect.arrayContaining(["patient", "category", "code", "date", "_id", "_lastUpdated"]),
    );
  });

  it("imports the transaction twice: exactly one copy of each", async () => {
    const first = (await client.transaction({ body: usCoreTransaction() })) as Bundle;
    expect(first.type).toBe("transaction-response");
    const search = (await client.search({
      resourceType: "Patient",
      searchParams: { identifier: MRN },
    })) as Bundle;
    expect(search.total).toBe(1);
    patientId = search.entry![0]!.resource!.id!;
    const before = await currentObservations(patientId);
    expect(before).toHaveLength(3);
    const created = first.entry!.filter((e) => e.response?.status === "201 Created");
    // Each created Observation names the resource it became.
    for (const e of created.slice(1))
      expect(e.response!.location).toMatch(
        /^Observation\/[0-9a-f-]{36}(-[a-z0-9-]+)?\/_history\/\d+$/,
      );

    const second = (await client.transaction({ body: usCoreTransaction() })) as Bundle;
    expect(second.entry!.every((e: BundleEntry) => e.response?.status === "200 OK")).toBe(true);
    const after = await currentObservations(patientId);
    expect(after.map((o) => o.id).sort()).toEqual(before.map((o) => o.id).sort());
    const visitRows = await t.db.select().from(visits).where(eq(visits.patientId, patientId));
    expect(visitRows).toHaveLength(1);
  });

  it("finds the patient by its MRN, name and birth date; the Patient keeps what was sent", async () => {
    const queries: Record<string, string>[] = [
      { identifier: MRN },
      { identifier: "1032702" },
      { name: "baxt" },
      { birthdate: "1987-02-20" },
      { birthdate: "ge1987", family: "Baxter" },
    ];
    for (const searchParams of queries) {
      const found = (await client.search({ resourceType: "Patient", searchParams })) as Bundle;
      expect(
        found.entry?.map((e) => e.resource?.id),
        JSON.stringify(searchParams),
      ).toEqual([patientId]);
    }
    const response = await raw(`/fhir/r4/Patient/${patientId}`);
    const patient = (await response.json()) as Resource & Record<string, unknown>;
    expect(response.headers.get("etag")).toBe(`W/"${patient.meta!.versionId}"`);
    expect(patient.identifier).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          system: "http://example.org/patient/identifiers",
          value: "1032702",
        }),
      ]),
    );
    expect(patient.name).toEqual(
      expect.arrayContaining([expect.objectContaining({ family: "Baxter", given: ["Amy", "V."] })]),
    );
    expect(patient.telecom).toHaveLength(2);
    expect(patient.address).toHaveLength(2);
    const urls = (patient.extension as { url: string }[]).map((e) => e.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity",
      ]),
    );
  });

  it("searches by the codes that were sent (laterality kept), category and date", async () => {
    const by = async (searchParams: Record<string, string>) =>
      (await client.search({
        resourceType: "Observation",
        searchParams: { patient: patientId, ...searchParams },
      })) as Bundle;
    const left = await by({ code: `${LOINC}|80946-7` });
    expect(left.total).toBe(1);
    const coding = (left.entry![0]!.resource!.code as { coding: { code: string }[] }).coding;
    expect(coding[0]!.code).toBe("80946-7");
    expect((await by({ code: "38264-8" })).total).toBe(1);
    expect((await by({ category: "imaging" })).total).toBe(4);
    expect((await by({ category: "survey", date: "ge2022-01-01" })).total).toBe(12);
    expect((await by({ date: "lt2022-01-01" })).total).toBe(4);
    expect((await by({ date: "2021-11" })).total).toBe(4);
    const absolute = await by({ patient: `${base}/fhir/r4/Patient/${patientId}` });
    expect(absolute.total).toBe(16);
    const one = left.entry![0]!.resource!;
    expect((await by({ _id: one.id! })).total).toBe(1);
    expect((await by({ _lastUpdated: `le${one.meta!.lastUpdated!}` })).total).toBe(16);
    expect((await by({ _lastUpdated: "gt2100-01-01" })).total).toBe(0);
  });

  it("pages with next links the server answers", async () => {
    let bundle = (await client.search({
      resourceType: "Observation",
      searchParams: { patient: patientId, _count: 3 },
    })) as Bundle;
    const seen: string[] = [];
    for (;;) {
      expect(bundle.total).toBe(16);
      seen.push(...bundle.entry!.map((e) => e.resource!.id!));
      const next = bundle.link?.find((l) => l.relation === "next");
      if (!next) break;
      expect(next.url.startsWith(`${base}/fhir/r4/Observation?`)).toBe(true);
      bundle = (await client.nextPage({ bundle: bundle as never })) as Bundle;
    }
    expect(seen).toHaveLength(16);
    expect(new Set(seen).size).toBe(16);
  });

  it("reads one Observation with its ETag", async () => {
    const list = (await client.search({
      resourceType: "Observation",
      searchParams: { patient: patientId, code: "80946-7" },
    })) as Bundle;
    const id = list.entry![0]!.resource!.id!;
    const response = await raw(`/fhir/r4/Observation/${id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Resource;
    expect(response.headers.get("etag")).toBe(`W/"${body.meta!.versionId}"`);
  });
});

describe("unknown parameters, routes and methods", () => {
  it("ignores an unknown parameter and says so; refuses it with Prefer: handling=strict", async () => {
    const lenient = await raw(`/fhir/r4/Observation?patient=${patientId}&foo=bar&_count=1`);
    expect(lenient.status).toBe(200);
    const bundle = (await lenient.json()) as Bundle;
    const outcome = bundle.entry!.find((e) => e.search?.mode === "outcome");
    expect(JSON.stringify(outcome)).toContain("foo");
    const strict = await raw(`/fhir/r4/Observation?patient=${patientId}&foo=bar`, {
      headers: { prefer: "handling=strict" },
    });
    expect(strict.status).toBe(400);
    expect(strict.headers.get("content-type")).toMatch(/application\/fhir\+json/);
  });

  it.each([
    ["GET", "/fhir/r4/Encounter", 404],
    ["GET", "/fhir/r4/Patient/x/y/z", 404],
    ["DELETE", "/fhir/r4/Patient/123", 405],
    ["PUT", "/fhir/r4/Observation", 405],
    ["GET", "/fhir/r4", 405],
  ])("%s %s is a %i OperationOutcome", async (method, path, status) => {
    const response = await raw(path, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/fhir\+json/);
    expect(((await response.json()) as Resource).resourceType).toBe("OperationOutcome");
  });
});

describe("updates, conditional writes and refusals", () => {
  const vitaminD = (value: number, extra: Partial<BundleEntry> = {}): Bundle => ({
    resourceType: "Bundle",
    type: "batch",
    entry: [
      {
        fullUrl: "urn:uuid:8f1d6a3e-0000-4000-8000-000000000001",
        resource: {
          resourceType: "Observation",
          identifier: [{ system: "urn:oid:1.2.3.4", value: "lab-77" }],
          status: "final",
          category: [
            {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/observation-category",
                  code: "laboratory",
                },
              ],
            },
          ],
          code: { coding: [{ system: LOINC, code: "62292-8" }] },
          subject: { reference: `${base}/fhir/r4/Patient/${patientId}` },
          effectiveDateTime: "2022-11-30",
          valueQuantity: {
            value,
            unit: "ng/mL",
            system: "http://unitsofmeasure.org",
            code: "ng/mL",
          },
        },
        request: { method: "PUT", url: "Observation?identifier=urn:oid:1.2.3.4|lab-77" },
        ...extra,
      },
    ],
  });

  it("a corrected value with the same identifier updates the observation (new version)", async () => {
    const first = (await client.batch({ body: vitaminD(20) })) as Bundle;
    expect(first.type).toBe("batch-response");
    expect(first.entry![0]!.response!.status).toBe("201 Created");
    const corrected = (await client.batch({ body: vitaminD(25) })) as Bundle;
    expect(corrected.entry![0]!.response!.status).toBe("200 OK");
    expect(corrected.entry![0]!.response!.etag).not.toBe(first.entry![0]!.response!.etag);
    const rows = (await currentObservations(patientId)).filter((o) => o.kind === "vitaminD");
    expect(rows).toHaveLength(1);
    expect((rows[0]!.payload as { value: number }).value).toBe(25);
    const found = (await client.search({
      resourceType: "Observation",
      searchParams: { patient: patientId, code: "62292-8" },
    })) as Bundle;
    expect(found.entry![0]!.resource!.identifier).toEqual([
      { system: "urn:oid:1.2.3.4", value: "lab-77" },
    ]);
  });

  it("another identifier with the same value is another result; the same content without one is not", async () => {
    const other = vitaminD(25);
    const entry = other.entry![0]!;
    entry.resource!.identifier = [{ system: "urn:oid:1.2.3.4", value: "lab-78" }];
    entry.request = { method: "POST", url: "Observation" };
    await client.batch({ body: other });
    const count = async () =>
      (await currentObservations(patientId)).filter((o) => o.kind === "vitaminD").length;
    expect(await count()).toBe(2);
    delete entry.resource!.identifier;
    entry.fullUrl = "urn:uuid:8f1d6a3e-0000-4000-8000-000000000009";
    await client.batch({ body: other });
    expect(await count()).toBe(2);
    // Back to one result for the tests below.
    const [extra] = (await currentObservations(patientId)).filter(
      (o) => o.kind === "vitaminD" && o.sourceKeys.includes("identifier:urn:oid:1.2.3.4|lab-78"),
    );
    await t.db
      .update(observations)
      .set({ enteredInErrorAt: new Date() })
      .where(eq(observations.id, extra!.id));
  });

  it("a stale If-Match is 412 and changes nothing", async () => {
    const response = await raw("/fhir/r4", {
      method: "POST",
      headers: { "content-type": "application/fhir+json" },
      body: JSON.stringify(
        vitaminD(30, {
          request: {
            method: "PUT",
            url: "Observation?identifier=urn:oid:1.2.3.4|lab-77",
            ifMatch: 'W/"1"',
          },
        }),
      ),
    });
    expect(response.status).toBe(412);
    const rows = (await currentObservations(patientId)).filter((o) => o.kind === "vitaminD");
    expect((rows[0]!.payload as { value: number }).value).toBe(25);
  });

  it("a Patient entry with a stale If-Match is 412", async () => {
    const bundle = usCoreTransaction({ withReport: false });
    bundle.entry![0]!.request = { method: "PUT", url: "Patient/example", ifMatch: 'W/"1"' };
    const response = await raw("/fhir/r4", {
      method: "POST",
      headers: { "content-type": "application/fhir+json" },
      body: JSON.stringify(bundle),
    });
    expect(response.status).toBe(412);
    const current = await raw(`/fhir/r4/Patient/${patientId}`);
    bundle.entry![0]!.request.ifMatch = current.headers.get("etag")!;
    const ok = await raw("/fhir/r4", {
      method: "POST",
      headers: { "content-type": "application/fhir+json" },
      body: JSON.stringify(bundle),
    });
    expect(ok.status).toBe(200);
  });

  it("keeps the RxNorm code and the prescriber of a MedicationRequest (US Core valid)", async () => {
    const body: Bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [
        {
          fullUrl: "urn:uuid:8f1d6a3e-0000-4000-8000-000000000002",
          resource: {
            resourceType: "MedicationRequest",
            status: "active",
            intent: "order",
            medicationCodeableConcept: {
              coding: [
                {
                  system: "http://www.nlm.nih.gov/research/umls/rxnorm",
                  code: "36437",
                  display: "sertraline",
                },
              ],
              text: "sertraline",
            },
            subject: { reference: `Patient/${patientId}` },
            authoredOn: "2022-10-01",
            requester: { display: "Dr. Example" },
          },
          request: { method: "POST", url: "MedicationRequest" },
        },
      ],
    };
    await client.transaction({ body });
    await client.transaction({ body });
    const found = (await client.search({
      resourceType: "MedicationRequest",
      searchParams: {
        patient: patientId,
        code: "http://www.nlm.nih.gov/research/umls/rxnorm|36437",
      },
    })) as Bundle;
    expect(found.total).toBe(1);
    expect(found.entry![0]!.resource!.requester).toEqual({ display: "Dr. Example" });
  });

  it("a null component is a 400 OperationOutcome, not a 500", async () => {
    const response = await raw("/fhir/r4", {
      method: "POST",
      headers: { "content-type": "application/fhir+json" },
      body: JSON.stringify({
        resourceType: "Bundle",
        type: "transaction",
        entry: [
          postEntry(
            observationOf(
              "panel",
              { component: [null] },
              {
                system: "urn:bone-brain-care:frax",
                subject: `Patient/${patientId}`,
                effective: "2022-11-30",
              },
            ),
          ),
        ],
      }),
    });
    expect(response.status).toBe(400);
    const outcome = (await response.json()) as { issue: { expression?: string[] }[] };
    expect(outcome.issue[0]!.expression).toEqual(["Bundle.entry[0].resource.component[0]"]);
  });

  it("a skipped preliminary Observation gets an outcome with an issue", async () => {
    const bundle = usCoreTransaction({ withReport: false });
    const valueQuantity = {
      value: 12,
      unit: "ng/mL",
      system: "http://unitsofmeasure.org",
      code: "ng/mL",
    };
    bundle.entry!.push(
      postEntry(observationOf("62292-8", { valueQuantity }, { status: "preliminary" })),
    );
    const response = (await client.transaction({ body: bundle })) as Bundle;
    const last = response.entry![response.entry!.length - 1]!;
    expect(last.response!.outcome!.issue.length).toBeGreaterThan(0);
  });
});

describe("conformance", () => {
  it("the validator is not a rubber stamp", () => {
    expect(fhirErrors({ resourceType: "Bundle", type: "searchset", entry: [] })).not.toEqual([]);
    expect(
      fhirErrors({
        resourceType: "MedicationRequest",
        meta: {
          profile: ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest"],
        },
        status: "active",
        intent: "order",
        medicationCodeableConcept: { text: "x" },
        subject: { reference: "Patient/1" },
      }),
    ).toEqual([expect.stringContaining("MedicationRequest.requester")]);
  });

  it("every resource the server returned validates (R4 and the US Core profiles it claims)", () => {
    expect(checked).toBeGreaterThan(40);
    expect(invalid).toEqual([]);
  });
});
