import fs from "node:fs";
import path from "node:path";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { importJWK, SignJWT, type JWK } from "jose";
import { PHQ9_ITEM_CODES } from "../../lib/fhir/codes";
import { fhirErrors } from "../support/fhir-validate";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";
import { observationOf, postEntry, usCoreTransaction } from "../fixtures/us-core";

/*
 * FHIR R4 and CDS Hooks over HTTP against the e2e server. The server must trust the test issuer:
 * CDS_CLIENTS comes from tests/e2e/fixtures/cds-test-keys.json (a TEST-ONLY key pair).
 */
const KEYS = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "fixtures/cds-test-keys.json"), "utf8"),
) as { iss: string; alg: string; kid: string; privateJwk: JWK };

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE = `http://localhost:${PORT}`;
const SERVICE = "/cds-services/bone-brain-axis";
const FHIR_JSON = /application\/fhir\+json/;

let counter = 0;
async function clientJwt(
  options: { aud?: string; exp?: number; iat?: number; jti?: string; alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = options.iat ?? now;
  return new SignJWT({})
    .setProtectedHeader({ alg: KEYS.alg, kid: KEYS.kid, typ: "JWT" })
    .setIssuer(KEYS.iss)
    .setSubject("ehr-client")
    .setAudience(options.aud ?? `${BASE}${SERVICE}`)
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 300)
    .setJti(options.jti ?? `e2e-${Date.now()}-${++counter}`)
    .sign(await importJWK(KEYS.privateJwk, KEYS.alg));
}

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A prefetch built the way an EHR sends it: the Patient resource and searchset Bundles. */
function ehrPrefetch() {
  const loinc = (code: string) => ({ coding: [{ system: "http://loinc.org", code }] });
  const survey = [
    {
      coding: [
        { system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "survey" },
      ],
    },
  ];
  const answers = [
    "LA6570-1",
    "LA6570-1",
    "LA6569-3",
    "LA6570-1",
    "LA6569-3",
    "LA6570-1",
    "LA6569-3",
    "LA6568-5",
    "LA6569-3",
  ];
  const items = PHQ9_ITEM_CODES;
  const when = `${isoDaysAgo(10)}T10:00:00Z`;
  const observations = [
    {
      resourceType: "Observation",
      id: "phq9",
      status: "final",
      category: survey,
      code: loinc("44249-1"),
      subject: { reference: "Patient/ehr-123" },
      effectiveDateTime: when,
      hasMember: items.map((_, i) => ({ reference: `Observation/phq9-${i + 1}` })),
    },
    ...items.map((code, i) => ({
      resourceType: "Observation",
      id: `phq9-${i + 1}`,
      status: "final",
      category: survey,
      code: loinc(code),
      subject: { reference: "Patient/ehr-123" },
      effectiveDateTime: when,
      valueCodeableConcept: { coding: [{ system: "http://loinc.org", code: answers[i] }] },
    })),
    {
      resourceType: "Observation",
      id: "dxa-t",
      status: "final",
      code: loinc("80948-3"),
      subject: { reference: "Patient/ehr-123" },
      effectiveDateTime: isoDaysAgo(40),
      valueQuantity: {
        value: -2.8,
        unit: "T-Score",
        system: "http://unitsofmeasure.org",
        code: "{T-Score}",
      },
    },
    {
      resourceType: "Observation",
      id: "vitd",
      status: "final",
      code: loinc("62292-8"),
      subject: { reference: "Patient/ehr-123" },
      effectiveDateTime: isoDaysAgo(40),
      valueQuantity: {
        value: 25,
        unit: "nmol/L",
        system: "http://unitsofmeasure.org",
        code: "nmol/L",
      },
    },
  ];
  const searchset = (resources: Record<string, unknown>[]) => ({
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `https://ehr.example/fhir/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
      search: { mode: "match" },
    })),
  });
  return {
    patient: {
      resourceType: "Patient",
      id: "ehr-123",
      identifier: [{ system: "https://ehr.example/mrn", value: "E-123" }],
      name: [{ family: "Example", given: ["Edna"] }],
      gender: "female",
      birthDate: "1950-06-15",
    },
    observations: searchset(observations),
    medications: searchset([
      {
        resourceType: "MedicationRequest",
        id: "rx1",
        status: "active",
        intent: "order",
        subject: { reference: "Patient/ehr-123" },
        authoredOn: isoDaysAgo(200),
        medicationCodeableConcept: {
          coding: [
            {
              system: "http://www.nlm.nih.gov/research/umls/rxnorm",
              code: "36437",
              display: "sertraline",
            },
          ],
        },
      },
    ]),
    conditions: searchset([
      {
        resourceType: "Condition",
        id: "fx1",
        code: {
          coding: [
            {
              system: "http://snomed.info/sct",
              code: "5913000",
              display: "Fracture of neck of femur",
            },
          ],
        },
        subject: { reference: "Patient/ehr-123" },
        onsetDateTime: isoDaysAgo(300),
        extension: [
          { url: "urn:bone-brain-care:fhir:extension:fragility-fracture", valueBoolean: true },
        ],
      },
      {
        resourceType: "Condition",
        id: "htn",
        code: {
          coding: [{ system: "http://snomed.info/sct", code: "38341003", display: "Hypertension" }],
        },
        subject: { reference: "Patient/ehr-123" },
        onsetDateTime: isoDaysAgo(3000),
      },
    ]),
  };
}

function hookBody(extra: Record<string, unknown> = {}) {
  return {
    hook: "patient-view",
    hookInstance: `e2e-${Date.now()}-${++counter}`,
    context: { userId: "Practitioner/1", patientId: "ehr-123" },
    prefetch: ehrPrefetch(),
    ...extra,
  };
}

interface Card {
  uuid: string;
  summary: string;
  indicator: string;
  detail: string;
  source: { label: string; url: string; topic?: { code: string } };
  links?: { url: string; type: string }[];
  overrideReasons?: unknown[];
}

test.beforeAll(async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
});

test.describe("CDS Hooks", () => {
  test("discovery lists the patient-view service with its prefetch templates", async ({
    request,
  }) => {
    const response = await request.get("/cds-services");
    expect(response.status()).toBe(200);
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    const body = (await response.json()) as {
      services: { id: string; hook: string; prefetch: Record<string, string> }[];
    };
    expect(body.services).toHaveLength(1);
    expect(body.services[0]).toMatchObject({ id: "bone-brain-axis", hook: "patient-view" });
    expect(Object.keys(body.services[0]!.prefetch).sort()).toEqual([
      "conditions",
      "medications",
      "observations",
      "patient",
    ]);
    expect(body.services[0]!.prefetch.patient).toBe("Patient/{{context.patientId}}");
  });

  test("a patient-view call with EHR prefetch returns the expected cards", async ({ request }) => {
    const started = Date.now();
    const response = await request.post(SERVICE, {
      headers: { authorization: `Bearer ${await clientJwt()}` },
      data: hookBody(),
    });
    const elapsed = Date.now() - started;
    expect(response.status()).toBe(200);
    const { cards } = (await response.json()) as { cards: Card[] };
    const byCode = new Map(cards.map((c) => [c.source.topic?.code, c]));
    // Item 9 answered "several days": critical, whatever the total.
    expect(byCode.get("safety.suicide-risk")?.indicator).toBe("critical");
    expect(byCode.get("depression.positive")?.indicator).toBe("warning");
    expect(byCode.get("bone.severe-osteoporosis")?.indicator).toBe("warning");
    expect(byCode.get("comorbidity.bone-brain")).toBeDefined();
    expect(byCode.get("meds.antidepressant-bone-risk")).toBeDefined();
    for (const card of cards) {
      expect(card.summary.length).toBeLessThan(140);
      expect(card.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(["info", "warning", "critical"]).toContain(card.indicator);
      expect(card.source.label).toBe("Bone–Brain Care");
    }
    const depression = byCode.get("depression.positive")!;
    expect(depression.source.url).toBe(`${BASE}/evidence#rule-depression-positive`);
    expect(depression.detail).toContain("**Based on**");
    expect(depression.links?.[0]).toMatchObject({ url: `${BASE}/patients`, type: "absolute" });
    expect(depression.overrideReasons?.length).toBeGreaterThan(0);
    // The spec expects an answer in about 500 ms; leave room for a cold, shared test machine.
    expect(elapsed).toBeLessThan(2000);

    const feedback = await request.post(`${SERVICE}/feedback`, {
      headers: {
        authorization: `Bearer ${await clientJwt({ aud: `${BASE}${SERVICE}/feedback` })}`,
      },
      data: {
        feedback: [
          {
            card: depression.uuid,
            outcome: "overridden",
            overrideReason: {
              reason: {
                code: "patient-declined",
                system: "urn:bone-brain-care:cds-override-reason",
              },
            },
            outcomeTimestamp: new Date().toISOString(),
          },
        ],
      },
    });
    expect(feedback.status()).toBe(200);
  });

  test("without prefetch and without fhirServer: 412", async ({ request }) => {
    const response = await request.post(SERVICE, {
      headers: { authorization: `Bearer ${await clientJwt()}` },
      data: hookBody({ prefetch: undefined }),
    });
    expect(response.status()).toBe(412);
  });

  test("null prefetch keys mean no data: cards, not 412; cards carry suggestions", async ({
    request,
  }) => {
    const response = await request.post(SERVICE, {
      headers: { authorization: `Bearer ${await clientJwt()}` },
      data: hookBody({ prefetch: { ...ehrPrefetch(), medications: null, conditions: null } }),
    });
    expect(response.status()).toBe(200);
    const { cards } = (await response.json()) as {
      cards: (Card & { suggestions?: { uuid: string; actions: { resource: unknown }[] }[] })[];
    };
    expect(cards.length).toBeGreaterThan(0);
    const suggestions = cards.flatMap((c) => c.suggestions ?? []);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions)
      for (const a of s.actions) expect(fhirErrors(a.resource)).toEqual([]);
  });

  test("a fhirServer not on the client's allow-list is not contacted: 412", async ({ request }) => {
    const response = await request.post(SERVICE, {
      headers: { authorization: `Bearer ${await clientJwt()}` },
      data: hookBody({ prefetch: undefined, fhirServer: "http://127.0.0.1:9/fhir" }),
    });
    expect(response.status()).toBe(412);
    expect(((await response.json()) as { detail: string }).detail).toContain("allow-list");
  });

  test("unsigned, expired, wrong-audience, replayed and HS256 tokens are refused with 401", async ({
    request,
  }) => {
    const post = (authorization?: string) =>
      request.post(SERVICE, { headers: authorization ? { authorization } : {}, data: hookBody() });
    expect((await post()).status()).toBe(401);

    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: KEYS.iss, aud: `${BASE}${SERVICE}`, iat: now, exp: now + 60 };
    expect(
      (
        await post(`Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, jti: "u1" })}.`)
      ).status(),
    ).toBe(401);

    expect(
      (await post(`Bearer ${await clientJwt({ iat: now - 900, exp: now - 600 })}`)).status(),
    ).toBe(401);
    expect(
      (await post(`Bearer ${await clientJwt({ aud: `${BASE}/cds-services/other` })}`)).status(),
    ).toBe(401);

    const once = await clientJwt();
    expect((await post(`Bearer ${once}`)).status()).toBe(200);
    const replay = await post(`Bearer ${once}`);
    expect(replay.status()).toBe(401);
    expect(((await replay.json()) as { detail: string }).detail).toContain("replay");

    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(KEYS.iss)
      .setAudience(`${BASE}${SERVICE}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti(`hs-${now}`)
      .sign(new TextEncoder().encode("shared-secret-shared-secret-123"));
    expect((await post(`Bearer ${hs}`)).status()).toBe(401);
  });
});

test.describe("FHIR R4 with an API token", () => {
  let admin: APIRequestContext;
  let token: string;
  let readOnly: string;
  let tokenId: string;
  let patientId: string;

  test.beforeAll(async () => {
    admin = await playwrightRequest.newContext({ baseURL: BASE });
    await credentialsSignIn(admin, "admin@example.org");
    const list = (await (await admin.get("/api/v1/admin/tokens")).json()) as {
      sites: { id: string; code: string }[];
    };
    const north = list.sites.find((s) => s.code === "north")!;
    const issue = async (name: string, scopes: string[]) => {
      const res = await admin.post("/api/v1/admin/tokens", {
        data: { name, scopes, siteIds: [north.id] },
      });
      expect(res.status()).toBe(201);
      return (await res.json()) as { token: string; item: { id: string } };
    };
    const full = await issue(`e2e ehr ${Date.now()}`, ["fhir.read", "fhir.write"]);
    token = full.token;
    tokenId = full.item.id;
    readOnly = (await issue(`e2e reader ${Date.now()}`, ["fhir.read"])).token;

    const clinician = await playwrightRequest.newContext({ baseURL: BASE });
    await credentialsSignIn(clinician, "clinician@example.org");
    const patients = (await (await clinician.get("/api/v1/patients?limit=100")).json()) as {
      items: { id: string; siteCode: string; priority: string; openFlagCount: number }[];
    };
    // A seeded patient with findings, so the CDS call below has cards to show.
    const atNorth = patients.items.filter((p) => p.siteCode === "north");
    patientId = (
      atNorth.find((p) => p.priority === "high" || p.priority === "urgent") ??
      atNorth.find((p) => p.openFlagCount > 0) ??
      atNorth[0]!
    ).id;
    await clinician.dispose();
  });
  test.afterAll(async () => {
    await admin?.dispose();
  });

  const auth = (t: string) => ({ authorization: `Bearer ${t}`, accept: "application/fhir+json" });

  test("metadata is a CapabilityStatement", async ({ request }) => {
    const res = await request.get("/fhir/r4/metadata");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(FHIR_JSON);
    expect(await res.json()).toMatchObject({
      resourceType: "CapabilityStatement",
      fhirVersion: "4.0.1",
    });
  });

  test("without credentials: 401 OperationOutcome; read-only token cannot import: 403", async ({
    request,
  }) => {
    const res = await request.get(`/fhir/r4/Patient/${patientId}`);
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toMatch(FHIR_JSON);
    expect(await res.json()).toMatchObject({
      resourceType: "OperationOutcome",
      issue: [{ code: "login" }],
    });
    const bad = await request.get(`/fhir/r4/Patient/${patientId}`, { headers: auth("bbc_wrong") });
    expect(bad.status()).toBe(401);
    const write = await request.post("/fhir/r4", {
      headers: { ...auth(readOnly), "content-type": "application/fhir+json" },
      data: usCoreTransaction(),
    });
    expect(write.status()).toBe(403);
    expect(await write.json()).toMatchObject({
      resourceType: "OperationOutcome",
      issue: [{ code: "forbidden" }],
    });
  });

  test("Patient, Observation search and $everything", async ({ request }) => {
    const patient = await request.get(`/fhir/r4/Patient/${patientId}`, { headers: auth(token) });
    expect(patient.status()).toBe(200);
    expect(await patient.json()).toMatchObject({ resourceType: "Patient", id: patientId });

    const search = await request.get(
      `/fhir/r4/Observation?patient=${patientId}&code=http://loinc.org|44249-1,http://loinc.org|62292-8&_sort=-date&_count=2`,
      { headers: auth(token) },
    );
    expect(search.status()).toBe(200);
    const bundle = (await search.json()) as {
      type: string;
      entry?: { resource: { effectiveDateTime: string } }[];
    };
    expect(bundle.type).toBe("searchset");
    expect(bundle.entry?.length ?? 0).toBeLessThanOrEqual(2);
    const dates = (bundle.entry ?? []).map((e) => e.resource.effectiveDateTime);
    expect([...dates].sort().reverse()).toEqual(dates);

    const everything = await request.get(`/fhir/r4/Patient/${patientId}/$everything`, {
      headers: auth(token),
    });
    expect(everything.status()).toBe(200);
    const all = (await everything.json()) as { entry: { resource: { resourceType: string } }[] };
    expect(all.entry[0]!.resource.resourceType).toBe("Patient");
    expect(all.entry.length).toBeGreaterThan(1);
  });

  test("a transaction imports the US Core examples; a wrong unit gives a precise OperationOutcome", async ({
    request,
  }) => {
    const ok = await request.post("/fhir/r4", {
      headers: { ...auth(token), "content-type": "application/fhir+json" },
      data: usCoreTransaction(),
    });
    expect(ok.status()).toBe(200);
    const response = (await ok.json()) as {
      type: string;
      entry: { response: { status: string; location?: string } }[];
    };
    expect(response.type).toBe("transaction-response");
    expect(response.entry[0]!.response.location).toMatch(/^Patient\/[0-9a-f-]{36}$/);

    const bad = usCoreTransaction();
    bad.entry!.push(
      postEntry(
        observationOf("62292-8", { valueQuantity: { value: 3, unit: "ug/dL", code: "ug/dL" } }),
      ),
    );
    const refused = await request.post("/fhir/r4", {
      headers: { ...auth(token), "content-type": "application/fhir+json" },
      data: bad,
    });
    expect(refused.status()).toBe(422);
    expect(await refused.json()).toMatchObject({
      resourceType: "OperationOutcome",
      issue: [
        {
          severity: "error",
          code: "value",
          expression: [`Bundle.entry[${bad.entry!.length - 1}].resource.valueQuantity.code`],
        },
      ],
    });
  });

  test("CDS without prefetch reads from our own /fhir/r4 as fhirServer", async ({ request }) => {
    const response = await request.post(SERVICE, {
      headers: { authorization: `Bearer ${await clientJwt()}` },
      data: hookBody({
        prefetch: undefined,
        context: { userId: "Practitioner/1", patientId },
        fhirServer: `${BASE}/fhir/r4`,
        fhirAuthorization: {
          access_token: token,
          token_type: "Bearer",
          expires_in: 300,
          scope: "patient/*.read",
          subject: "cds",
        },
      }),
    });
    expect(response.status()).toBe(200);
    const { cards } = (await response.json()) as { cards: Card[] };
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.some((c) => c.summary.includes("could not"))).toBe(false);
    // The Patient carries our MRN identifier, so the card links to the patient in the app.
    expect(cards[0]!.links?.[0]?.url).toBe(`${BASE}/patients/${patientId}`);
  });

  test("the US Core examples twice: one copy, found by MRN and sent codes, paged, all valid", async ({
    request,
  }) => {
    const seen: unknown[] = [];
    const get = async (url: string, headers = auth(token)) => {
      const res = await request.get(url, { headers });
      expect(res.headers()["content-type"]).toMatch(FHIR_JSON);
      const body = (await res.json()) as Record<string, unknown>;
      seen.push(body);
      return { status: res.status(), body, headers: res.headers() };
    };
    for (let i = 0; i < 2; i++) {
      const res = await request.post("/fhir/r4", {
        headers: { ...auth(token), "content-type": "application/fhir+json" },
        data: usCoreTransaction(),
      });
      expect(res.status()).toBe(200);
      seen.push(await res.json());
    }
    const found = await get(
      "/fhir/r4/Patient?identifier=http://example.org/patient/identifiers|1032702",
    );
    const entries = found.body.entry as { resource: { id: string } }[];
    expect(entries).toHaveLength(1);
    const id = entries[0]!.resource.id;
    const patient = await get(`/fhir/r4/Patient/${id}`);
    expect(patient.headers.etag).toMatch(/^W\/"\d+"$/);
    const left = await get(`/fhir/r4/Observation?patient=${id}&code=http://loinc.org|80946-7`);
    expect(left.body.total).toBe(1);
    let page = await get(`/fhir/r4/Observation?patient=${BASE}/fhir/r4/Patient/${id}&_count=5`);
    const ids: string[] = [];
    for (;;) {
      expect(page.body.total).toBe(16);
      ids.push(...(page.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id));
      const next = (page.body.link as { relation: string; url: string }[]).find(
        (l) => l.relation === "next",
      );
      if (!next) break;
      expect(next.url.startsWith(BASE)).toBe(true);
      page = await get(next.url.slice(BASE.length));
    }
    expect(new Set(ids).size).toBe(16);
    for (const [method, path, status] of [
      ["GET", "/fhir/r4/Encounter", 404],
      ["GET", `/fhir/r4/Patient/${id}/history/1`, 404],
      ["DELETE", `/fhir/r4/Patient/${id}`, 405],
    ] as const) {
      const res = await request.fetch(path, { method, headers: auth(token) });
      expect(res.status()).toBe(status);
      expect(res.headers()["content-type"]).toMatch(FHIR_JSON);
      seen.push(await res.json());
    }
    seen.push((await get("/fhir/r4/metadata")).body);
    for (const body of seen) expect(fhirErrors(body)).toEqual([]);
  });

  test("revoking a token stops it at once", async ({ request }) => {
    const res = await admin.post(`/api/v1/admin/tokens/${tokenId}/revoke`);
    expect(res.status()).toBe(200);
    const after = await request.get(`/fhir/r4/Patient/${patientId}`, { headers: auth(token) });
    expect(after.status()).toBe(401);
  });
});

test("an administrator issues and revokes a token on /users/tokens", async ({ page }) => {
  await signInAs(page, "admin@example.org", /\/users$/);
  await page.goto("/users/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  const name = `UI token ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("checkbox", { name: /Northside/ }).check();
  await page.getByRole("button", { name: "Issue token" }).click();
  await expect(page.getByTestId("issued-token")).toHaveText(/^bbc_/);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("Revoked");
});
