import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { apiTokens, auditEvents } from "@/db/schema";
import { DEFAULT_TOKEN_DAYS, issueTokenSchema } from "@/lib/api/tokens";
import { CLIENT_ADDRESS_HEADER, vouchForClientAddressHeader } from "@/lib/auth/client-address";
import * as revokeRoute from "@/app/api/v1/admin/tokens/[tokenId]/revoke/route";
import * as tokensRoute from "@/app/api/v1/admin/tokens/route";
import * as fhirTransactionRoute from "@/app/fhir/r4/route";
import * as fhirPatientRoute from "@/app/fhir/r4/Patient/[patientId]/route";
import * as flagRoute from "@/app/api/v1/flags/[flagId]/route";
import * as observationsRoute from "@/app/api/v1/patients/[patientId]/observations/route";
import * as patientRoute from "@/app/api/v1/patients/[patientId]/route";
import * as patientsRoute from "@/app/api/v1/patients/route";
import { recordVisit } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { authCall, authForm, callRoute, Jar, signedInJar, signIn } from "../support/route-call";
import { auditEventsWhere } from "../support/audit";
import { setPassword } from "../support/passwords";

// Read once by lib/env on first use, inside the tests below.
process.env.AUTH_SECRET = "security-http-test-secret-0123456789";
process.env.NEXTAUTH_URL = "http://localhost:3000";
const BASE = "http://localhost:3000";
const PASSWORD = "a-long-enough-password";
const EVIL = "https://evil.example";
// As the app's own server does: the client address header is its word (scripts/lib/server.ts).
vouchForClientAddressHeader();

const t = testDatabasePerFile(setDatabase);
let clinician: { email: string; userId: string; patientId: string; siteId: string };
let admin: { email: string; userId: string };
let flagId: string;

beforeAll(async () => {
  const world = await makeWorld(t.db);
  clinician = {
    email: world.actor.email,
    userId: world.actor.userId,
    patientId: world.patientId,
    siteId: world.siteId,
  };
  await setPassword(t.db, world.actor.userId, PASSWORD);
  const a = await makeUser(t.db, "admin", []);
  admin = { email: a.email, userId: a.userId };
  await setPassword(t.db, a.userId, PASSWORD);
  const visit = await recordVisit(
    { db: t.db, actor: world.actor },
    world.patientId,
    { occurredOn: "2026-11-20", observations: [{ kind: "phq9", items: phq9Items(16) }] },
    new Date("2026-11-20T09:00:00Z"),
  );
  flagId = visit.flags[0]!.id;
});

const auth = (path: string[], init: Parameters<typeof authCall>[2] = {}, jar?: Jar) =>
  authCall(BASE, path, init, jar);

const signedIn = (email: string) => signedInJar(BASE, email, PASSWORD);

const listPatients = (jar: Jar, headers: Record<string, string> = {}) =>
  callRoute(patientsRoute.GET, `${BASE}/api/v1/patients`, { headers }, jar);

function jarWith(sessionCookie: string): Jar {
  const jar = new Jar();
  jar.cookies.set("next-auth.session-token", sessionCookie);
  return jar;
}

describe("sign-out ends the session on the server", () => {
  it("a copy of the cookie gets 401 after POST /api/auth/signout", async () => {
    const jar = await signedIn(clinician.email);
    expect((await listPatients(jar)).status).toBe(200);
    const copy = jar.value("session-token")!;
    const out = await authForm(BASE, ["signout"], {}, jar);
    expect(out.status).toBe(200);
    expect(jar.value("session-token")).toBeUndefined();
    const replay = await listPatients(jarWith(copy));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ detail: "Your session has ended. Sign in again." });
    const [event] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "auth.sign-out"),
      eq(auditEvents.actorId, clinician.userId),
    );
    expect(event).toMatchObject({ outcome: "success", entityId: clinician.userId });
  });

  it("also without next-auth's CSRF token, and for every session of the account", async () => {
    const first = await signedIn(clinician.email);
    const second = await signedIn(clinician.email);
    expect((await listPatients(second)).status).toBe(200);
    const out = await auth(["signout"], { method: "POST" }, first);
    expect(out.status).toBeLessThan(500);
    expect((await listPatients(first)).status).toBe(401);
    expect((await listPatients(second)).status).toBe(401);
    // Signing in again works, and a stale cookie signing out cannot end the new session.
    const third = await signedIn(clinician.email);
    await auth(["signout"], { method: "POST" }, first);
    expect((await listPatients(third)).status).toBe(200);
  });
});

describe("redirects after sign-in stay on the app's origin", () => {
  const target = async (callbackUrl: string) => {
    const jar = new Jar();
    const res = await signIn(BASE, jar, clinician.email, PASSWORD, { callbackUrl });
    expect(res.status).toBe(200);
    return ((await res.json()) as { url: string }).url;
  };

  it("refuses another host however it is written, and never fails on a bad URL", async () => {
    for (const callbackUrl of [
      "http://127.0.0.1:3000.evil.example/",
      "/\\evil.example/page",
      "/%5Cevil.example/page",
      "//evil.example/page",
      "https://evil.example/patients",
      "javascript:alert(1)",
      "http://[::1",
    ]) {
      expect(new URL(await target(callbackUrl)).origin, callbackUrl).toBe(BASE);
    }
  });

  it("keeps a path of the app with its query", async () => {
    expect(await target("/patients?q=Ann")).toBe(`${BASE}/patients?q=Ann`);
    expect(await target(`${BASE}/worklist`)).toBe(`${BASE}/worklist`);
  });
});

describe("writes from another site are refused", () => {
  let jar: Jar;
  let tokenId: string;
  beforeAll(async () => {
    jar = await signedIn(admin.email);
    const issued = await callRoute(
      tokensRoute.POST,
      `${BASE}/api/v1/admin/tokens`,
      {
        method: "POST",
        body: { name: "EHR link", scopes: ["fhir.read"], siteIds: [clinician.siteId] },
      },
      jar,
    );
    expect(issued.status).toBe(201);
    tokenId = ((await issued.json()) as { item: { id: string } }).item.id;
  });
  const revoke = (headers: Record<string, string>) =>
    callRoute(
      revokeRoute.POST,
      `${BASE}/api/v1/admin/tokens/${tokenId}/revoke`,
      {
        method: "POST",
        headers,
        params: { tokenId },
      },
      jar,
    );

  it("answers 403 to a foreign Origin, Sec-Fetch-Site: cross-site or Origin null, and changes nothing", async () => {
    const foreign: Record<string, string>[] = [
      { origin: EVIL, "sec-fetch-site": "cross-site" },
      { origin: EVIL },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { origin: "http://localhost:3000.evil.example" },
    ];
    for (const headers of foreign) {
      const res = await revoke(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(row!.revokedAt).toBeNull();
  });

  it("lets the app's own pages through (same origin, or no Origin at all) and GETs from anywhere", async () => {
    expect((await listPatients(await signedIn(clinician.email), { origin: EVIL })).status).toBe(
      200,
    );
    const res = await revoke({ origin: BASE, "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(200);
  });

  it("refuses a FHIR write that rides on the session cookie", async () => {
    const res = await callRoute(
      fhirTransactionRoute.POST,
      `${BASE}/fhir/r4`,
      {
        method: "POST",
        headers: { origin: EVIL, "content-type": "application/fhir+json" },
        body: { resourceType: "Bundle", type: "transaction", entry: [] },
      },
      await signedIn(clinician.email),
    );
    expect(res.status).toBe(403);
  });
});

describe("patient data is never cached", () => {
  it("answers Cache-Control: no-store on patient JSON", async () => {
    const jar = await signedIn(clinician.email);
    const params = { patientId: clinician.patientId };
    for (const res of [
      await callRoute(
        patientRoute.GET,
        `${BASE}/api/v1/patients/${clinician.patientId}`,
        { params },
        jar,
      ),
      await callRoute(
        observationsRoute.GET,
        `${BASE}/api/v1/patients/${clinician.patientId}/observations`,
        { params },
        jar,
      ),
      await callRoute(patientsRoute.GET, `${BASE}/api/v1/patients?q=Ann`, {}, jar),
      await callRoute(flagRoute.GET, `${BASE}/api/v1/flags/${flagId}`, { params: { flagId } }, jar),
      await callRoute(
        fhirPatientRoute.GET,
        `${BASE}/fhir/r4/Patient/${clinician.patientId}`,
        { params },
        jar,
      ),
    ]) {
      expect(res.status, res.url).toBe(200);
      expect(res.headers.get("cache-control")).toContain("no-store");
    }
  });
});

describe("the audited client address", () => {
  /** Reads the patient with these headers; the address its audit event recorded. */
  async function auditedAddress(jar: Jar, headers: Record<string, string>): Promise<string | null> {
    const res = await callRoute(
      patientRoute.GET,
      `${BASE}/api/v1/patients/${clinician.patientId}`,
      { params: { patientId: clinician.patientId }, headers },
      jar,
    );
    expect(res.status).toBe(200);
    const [event] = await t.db
      .select({ ip: auditEvents.ip })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, "patients.read"), eq(auditEvents.actorId, clinician.userId)),
      )
      .orderBy(desc(auditEvents.id))
      .limit(1);
    return event!.ip;
  }

  it("is the one the app's server resolved, whatever X-Real-IP and X-Forwarded-For say", async () => {
    const jar = await signedIn(clinician.email);
    const spoof = { "x-real-ip": "198.51.100.1", "x-forwarded-for": "198.51.100.2, 198.51.100.3" };
    expect(await auditedAddress(jar, { [CLIENT_ADDRESS_HEADER]: "203.0.113.7", ...spoof })).toBe(
      "203.0.113.7",
    );
    // Without the server's word the address is unknown, never the client's.
    expect(await auditedAddress(jar, spoof)).toBeNull();
  });
});

describe("API tokens end", () => {
  it("get 90 days when issued without an expiry", async () => {
    expect(DEFAULT_TOKEN_DAYS).toBe(90);
    const body = { name: "No expiry given", scopes: ["fhir.read"], siteIds: [clinician.siteId] };
    expect(issueTokenSchema.parse(body).expiresInDays).toBe(90);
    expect(issueTokenSchema.parse({ ...body, expiresInDays: null }).expiresInDays).toBe(90);
    const before = Date.now();
    const res = await callRoute(
      tokensRoute.POST,
      `${BASE}/api/v1/admin/tokens`,
      { method: "POST", body },
      await signedIn(admin.email),
    );
    expect(res.status).toBe(201);
    const { item } = (await res.json()) as { item: { expiresAt: string } };
    const days = (new Date(item.expiresAt).getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(89.99);
    expect(days).toBeLessThan(90.01);
  });
});
