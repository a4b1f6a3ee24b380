import { and, eq } from "drizzle-orm";
import { exportJWK, generateKeyPair } from "jose";
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import {
  auditEvents,
  ehrImports,
  observations,
  patients,
  sites,
  users,
  userSites,
} from "@/db/schema";
import * as callbackRoute from "@/app/smart/callback/route";
import * as jwksRoute from "@/app/smart/jwks.json/route";
import * as launchRoute from "@/app/smart/launch/route";
import * as patientRoute from "@/app/api/v1/patients/[patientId]/route";
import { launchScopes } from "@/lib/auth/smart";
import { authSecret } from "@/lib/auth/secret";
import { auditEventsWhere, deniedAuditEvents } from "../support/audit";
import { testDatabasePerFile } from "../support/db";
import { followAuthorization } from "../support/oidc-server";
import { callRoute, Jar } from "../support/route-call";
import { startSmartEhr, usCoreEhrRecord } from "../support/smart-ehr";

/*
 * SMART App Launch against a real authorization server (oidc-provider) and a FHIR endpoint serving
 * the HL7 US Core examples; the app's route handlers are called as Next.js calls them.
 */

const BASE = "http://localhost:3999";
const CALLBACK = `${BASE}/smart/callback`;
const SECRET = "bbc-test-client-secret-0123456789";
const record = usCoreEhrRecord();
const clientKey = await generateKeyPair("ES256", { extractable: true });
const clientPrivateJwk = { ...(await exportJWK(clientKey.privateKey)), kid: "bbc-1", alg: "ES256" };
const clientPublicJwk = { ...(await exportJWK(clientKey.publicKey)), kid: "bbc-1", alg: "ES256" };

const ehr = await startSmartEhr({
  clients: [
    {
      client_id: "bbc",
      client_secret: SECRET,
      redirect_uris: [CALLBACK],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    {
      client_id: "bbc-jwt",
      redirect_uris: [CALLBACK],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "ES256",
      jwks: { keys: [clientPublicJwk] },
    },
  ],
  accounts: [
    {
      id: "dr",
      claims: { fhirUser: "Practitioner/dr", email: "Dr.EHR@example.org", email_verified: true },
    },
    { id: "stranger", claims: { fhirUser: "Practitioner/x", email: "stranger@example.org" } },
    {
      id: "nurse",
      claims: { fhirUser: "Practitioner/n", email: "nurse@example.org" },
      standalonePatient: "example",
    },
  ],
  bases: [
    { path: "/fhir", resources: record },
    { path: "/fhir-b", resources: record },
    { path: "/fhir-c", resources: record },
    { path: "/fhir-d", resources: record, v1Only: true },
  ],
});
const ISS = ehr.iss("/fhir");
const client = (path: string, site: string, extra: Record<string, unknown> = {}) => ({
  iss: ehr.iss(path),
  clientId: "bbc",
  clientSecret: SECRET,
  site,
  name: `Test EHR ${path}`,
  ...extra,
});
// Read once by lib/env on first use, inside the tests below.
process.env.PUBLIC_URL = BASE;
process.env.SMART_CLIENTS = JSON.stringify([
  client("/fhir", "ehr-a"),
  client("/fhir-b", "ehr-b"),
  client("/fhir-c", "nowhere"),
  {
    ...client("/fhir-d", "ehr-d"),
    clientSecret: undefined,
    clientId: "bbc-jwt",
    privateKeyJwk: clientPrivateJwk,
  },
]);

const t = testDatabasePerFile(setDatabase);
let localPatientId = "";
let doctorId = "";

beforeAll(async () => {
  const db = t.db;
  const [a, , d] = await db
    .insert(sites)
    .values([
      { code: "ehr-a", name: "EHR A clinic" },
      { code: "ehr-b", name: "EHR B clinic" },
      { code: "ehr-d", name: "EHR D clinic" },
    ])
    .returning();
  const [doctor, nurse] = await db
    .insert(users)
    .values([
      { email: "dr.ehr@example.org", name: "Dr EHR", role: "clinician", passwordHash: "x" },
      { email: "nurse@example.org", name: "Nurse", role: "care_team", passwordHash: "x" },
    ])
    .returning();
  doctorId = doctor!.id;
  await db.insert(userSites).values([
    { userId: doctor!.id, siteId: a!.id },
    { userId: doctor!.id, siteId: d!.id },
    { userId: nurse!.id, siteId: a!.id },
  ]);
  const [p] = await db
    .insert(patients)
    .values({
      siteId: a!.id,
      mrn: "1032702",
      givenName: "Amy",
      familyName: "Baxter",
      birthDate: "1987-02-20",
      sex: "female",
      postmenopausal: null,
    })
    .returning();
  localPatientId = p!.id;
});

afterAll(async () => {
  await ehr.close();
});

// As a browser asks: a refusal is then a page (other clients get problem+json).
const html = { headers: { accept: "text/html,application/xhtml+xml" } };
const launch = (query: string, jar: Jar) =>
  callRoute(launchRoute.GET, `${BASE}/smart/launch?${query}`, html, jar);
const callback = (url: string, jar: Jar) => callRoute(callbackRoute.GET, url, html, jar);

/** Launch → the EHR's authorization server → the URL it sends the browser back to. */
async function authorize(iss: string, accountId: string, jar: Jar): Promise<string> {
  const l = ehr.createLaunch(accountId, "example");
  const res = await launch(`iss=${encodeURIComponent(iss)}&launch=${l}`, jar);
  expect(res.status).toBe(302);
  return followAuthorization(res.headers.get("location")!, CALLBACK);
}

async function refusal(res: Response, status: number, text: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(await res.text()).toMatch(text);
}

async function lastDenied(reason: string) {
  const rows = await deniedAuditEvents(t.db, "smart.launch");
  return rows.filter((r) => (r.detail as { reason?: string }).reason === reason);
}

describe("GET /smart/launch", () => {
  it("redirects to the announced authorization endpoint with PKCE, state, aud and launch", async () => {
    const jar = new Jar();
    const res = await launch(`iss=${encodeURIComponent(ISS)}&launch=abc`, jar);
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get("location")!);
    expect(`${url.origin}${url.pathname}`).toBe(`${ehr.as.issuer}/auth`);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("bbc");
    expect(q.get("redirect_uri")).toBe(CALLBACK);
    expect(q.get("aud")).toBe(ISS);
    expect(q.get("launch")).toBe("abc");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")!.length).toBeGreaterThanOrEqual(16);
    expect(q.get("scope")!.split(" ")).toEqual([
      "launch",
      "openid",
      "fhirUser",
      "patient/Patient.rs",
      "patient/Observation.rs",
      "patient/Condition.rs",
      "patient/MedicationRequest.rs",
    ]);
    // The state lives in an encrypted cookie, not in the URL or in memory.
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^bbc-smart-[^=]+=[^.]+\.[^.]*\.[^.]+\.[^.]+\.[^.;]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Path=/smart/callback");
  });

  it("asks launch/patient for a standalone launch and v1 scopes from a v1-only server", async () => {
    const res = await launch(`iss=${encodeURIComponent(ehr.iss("/fhir-d"))}`, new Jar());
    const scope = new URL(res.headers.get("location")!).searchParams.get("scope")!;
    expect(scope).toBe(
      "launch/patient openid fhirUser patient/Patient.read patient/Observation.read patient/Condition.read patient/MedicationRequest.read",
    );
    expect(launchScopes(undefined, true)).toContain("patient/Observation.rs");
  });

  it("refuses an issuer that is not in SMART_CLIENTS with a 400 page, without contacting it", async () => {
    const before = ehr.fhirRequests.length;
    const res = await launch(
      `iss=${encodeURIComponent("https://evil.example/fhir")}&launch=x`,
      new Jar(),
    );
    await refusal(res, 400, /not registered with Bone–Brain Care/);
    expect(ehr.fhirRequests.length).toBe(before);
    const [event] = await lastDenied("unknown-issuer");
    expect(event?.detail).toMatchObject({ iss: "https://evil.example/fhir" });
    const api = await callRoute(launchRoute.GET, `${BASE}/smart/launch?iss=https://evil.example/x`);
    expect(api.status).toBe(400);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    expect(((await api.json()) as { detail: string }).detail).toContain("not registered");
  });
});

describe("EHR launch, end to end", () => {
  it("signs the practitioner in, opens the matched patient and imports the EHR's record", async () => {
    const jar = new Jar();
    const back = await authorize(ISS, "dr", jar);
    const res = await callback(back, jar);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${BASE}/patients/${localPatientId}?launched=1`);
    // The session cookie is next-auth's own, for the local user.
    const session = jar.value("next-auth.session-token");
    const token = await decode({ token: session, secret: authSecret() });
    expect(token?.sub).toBe(doctorId);
    // …and it opens the API like a password sign-in.
    const api = await callRoute(
      patientRoute.GET,
      `${BASE}/api/v1/patients/${localPatientId}`,
      { params: { patientId: localPatientId } },
      jar,
    );
    expect(api.status).toBe(200);
    // The access token never reached the browser.
    expect(res.headers.getSetCookie().join(" ")).not.toMatch(/access_token/);
    expect(jar.header()).not.toContain(ehr.as.issuer);

    const imported = await t.db
      .select()
      .from(observations)
      .where(eq(observations.patientId, localPatientId));
    const kinds = new Set(imported.map((o) => o.kind));
    expect(kinds.has("phq9")).toBe(true);
    expect(kinds.has("vitaminD")).toBe(true);
    expect(kinds.has("medication")).toBe(true);
    expect(imported.some((o) => o.kind === "fracture")).toBe(true);
    const [row] = await t.db
      .select()
      .from(ehrImports)
      .where(eq(ehrImports.patientId, localPatientId));
    expect(row?.source).toBe(ISS);
    expect(row?.summary).toMatchObject({ source: "Test EHR /fhir", updated: 0 });
    expect((row?.summary as { created: number }).created).toBeGreaterThan(3);
    const [ok] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "smart.launch"),
      eq(auditEvents.outcome, "success"),
      eq(auditEvents.patientId, localPatientId),
    );
    expect(ok?.actorId).toBe(doctorId);
    expect(ok?.detail).toMatchObject({ iss: ISS, stage: "callback", patientCreated: false });
  });

  it("imports nothing twice when the same patient is launched again", async () => {
    const count = async () =>
      (await t.db.select().from(observations).where(eq(observations.patientId, localPatientId)))
        .length;
    const before = await count();
    const jar = new Jar();
    const res = await callback(await authorize(ISS, "dr", jar), jar);
    expect(res.status).toBe(302);
    expect(await count()).toBe(before);
    const rows = await t.db
      .select()
      .from(ehrImports)
      .where(eq(ehrImports.patientId, localPatientId));
    expect(rows.map((r) => (r.summary as { created: number }).created).sort()).toContain(0);
  });

  it("registers the EHR's patient at the client's site when none matches (private_key_jwt client)", async () => {
    const jar = new Jar();
    const res = await callback(await authorize(ehr.iss("/fhir-d"), "dr", jar), jar);
    expect(res.status).toBe(302);
    const [site] = await t.db.select().from(sites).where(eq(sites.code, "ehr-d"));
    const [created] = await t.db
      .select()
      .from(patients)
      .where(and(eq(patients.siteId, site!.id), eq(patients.mrn, "1032702")));
    expect(created?.familyName).toBe("Baxter");
    expect(res.headers.get("location")).toBe(`${BASE}/patients/${created!.id}?launched=1`);
  });

  it("publishes the private_key_jwt client's public key, never its private part", async () => {
    const res = await callRoute(jwksRoute.GET, `${BASE}/smart/jwks.json`);
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kid: "bbc-1", kty: "EC", x: clientPublicJwk.x });
    expect(body.keys[0]).not.toHaveProperty("d");
  });

  it("opens the patient for a care-team member (standalone launch) without importing", async () => {
    const jar = new Jar();
    const res = await launch(`iss=${encodeURIComponent(ISS)}`, jar);
    const before = (await t.db.select().from(ehrImports)).length;
    const back = await followAuthorization(res.headers.get("location")!, CALLBACK);
    const done = await callback(back, jar);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${BASE}/patients/${localPatientId}?launched=1`);
    expect((await t.db.select().from(ehrImports)).length).toBe(before);
  });
});

describe("refusals, each with a page and an audit event", () => {
  it("a wrong state", async () => {
    const jar = new Jar();
    const back = new URL(await authorize(ISS, "dr", jar));
    back.searchParams.set("state", "not-the-state-of-this-launch");
    await refusal(await callback(back.href, jar), 400, /does not belong to a launch/);
    expect(await lastDenied("state-mismatch")).not.toHaveLength(0);
  });

  it("a replayed callback, and a replayed code under a new launch", async () => {
    const jar = new Jar();
    const back = await authorize(ISS, "dr", jar);
    const copy = new Jar();
    for (const [k, v] of jar.cookies) copy.cookies.set(k, v);
    expect((await callback(back, jar)).status).toBe(302);
    await refusal(await callback(back, copy), 400, /already completed/);
    expect(await lastDenied("state-replayed")).not.toHaveLength(0);

    const code = new URL(back).searchParams.get("code")!;
    const jar2 = new Jar();
    const fresh = new URL(await authorize(ISS, "dr", jar2));
    fresh.searchParams.set("code", code);
    await refusal(await callback(fresh.href, jar2), 403, /refused the authorization code/);
    const [event] = await lastDenied("code-refused");
    expect(event?.detail).toMatchObject({ iss: ISS });
  });

  it("an id_token for another audience", async () => {
    const jar = new Jar();
    const back = await authorize(ISS, "dr", jar);
    ehr.as.tamperNextIdToken((c) => ({ ...c, aud: "another-app" }));
    await refusal(await callback(back, jar), 403, /issued for another application/);
    expect(await lastDenied("id-token-audience")).not.toHaveLength(0);
  });

  it("an expired id_token", async () => {
    const jar = new Jar();
    const back = await authorize(ISS, "dr", jar);
    const past = Math.floor(Date.now() / 1000) - 7200;
    ehr.as.tamperNextIdToken((c) => ({ ...c, iat: past, exp: past + 300 }));
    await refusal(await callback(back, jar), 403, /has expired/);
    expect(await lastDenied("id-token-expired")).not.toHaveLength(0);
  });

  it("a practitioner with no local account (never created)", async () => {
    const jar = new Jar();
    await refusal(
      await callback(await authorize(ISS, "stranger", jar), jar),
      403,
      /no account in Bone–Brain Care/,
    );
    const [event] = await lastDenied("no-local-account");
    expect(event?.actorEmail).toBe("stranger@example.org");
    expect(
      await t.db.select().from(users).where(eq(users.email, "stranger@example.org")),
    ).toHaveLength(0);
    expect(jar.value("next-auth.session-token")).toBeUndefined();
  });

  it("a patient at a site the practitioner does not work at, and at a site the app does not have", async () => {
    const jar = new Jar();
    await refusal(
      await callback(await authorize(ehr.iss("/fhir-b"), "dr", jar), jar),
      403,
      /not one of your sites/,
    );
    expect(await lastDenied("site-not-yours")).not.toHaveLength(0);
    const jar2 = new Jar();
    await refusal(
      await callback(await authorize(ehr.iss("/fhir-c"), "dr", jar2), jar2),
      403,
      /does not exist in Bone–Brain Care/,
    );
    const [event] = await lastDenied("unmapped-site");
    expect(event?.detail).toMatchObject({ iss: ehr.iss("/fhir-c") });
    expect(jar2.value("next-auth.session-token")).toBeUndefined();
  });
});
