import { beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import * as acceptRoute from "@/app/api/v1/self-reports/[selfReportId]/accept/route";
import * as selfReportsRoute from "@/app/api/v1/patients/[patientId]/self-reports/route";
import * as linkRoute from "@/app/r/[token]/route";
import * as answersRoute from "@/app/api/self-report/answers/route";
import * as submitRoute from "@/app/api/self-report/submit/route";
import * as verifyRoute from "@/app/api/self-report/verify/route";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";
import { setPassword } from "../support/passwords";
import { callRoute, Jar, signedInJar } from "../support/route-call";

// Read once by lib/env on first use, inside the tests below.
process.env.AUTH_SECRET = "self-report-http-test-secret-0123456789";
process.env.NEXTAUTH_URL = "http://localhost:3000";
process.env.PUBLIC_URL = "https://bbc.example.org";
const BASE = "http://localhost:3000";
const PASSWORD = "a-long-enough-password";

const t = testDatabasePerFile(setDatabase);
let clinicianJar: Jar;
let careJar: Jar;
let patientId = "";

beforeAll(async () => {
  const world = await makeWorld(t.db, { patient: { givenName: "Rosa", birthDate: "1946-05-17" } });
  patientId = world.patientId;
  await setPassword(t.db, world.actor.userId, PASSWORD);
  const care = await makeUser(t.db, "care_team", [world.siteId]);
  await setPassword(t.db, care.userId, PASSWORD);
  clinicianJar = await signedInJar(BASE, world.actor.email, PASSWORD);
  careJar = await signedInJar(BASE, care.email, PASSWORD);
});

async function start(jar: Jar, body: unknown): Promise<Response> {
  return callRoute(
    selfReportsRoute.POST,
    `${BASE}/api/v1/patients/${patientId}/self-reports`,
    { method: "POST", body, params: { patientId } },
    jar,
  );
}

async function list(jar: Jar): Promise<Response> {
  return callRoute(
    selfReportsRoute.GET,
    `${BASE}/api/v1/patients/${patientId}/self-reports`,
    { params: { patientId } },
    jar,
  );
}

async function open(url: string, jar: Jar, accept = "*/*"): Promise<Response> {
  const token = url.slice(url.lastIndexOf("/") + 1);
  return callRoute(
    linkRoute.GET,
    `${BASE}/r/${token}`,
    { headers: { accept }, params: { token } },
    jar,
  );
}

const same = { origin: BASE };

/** The patient's own calls, made from the self-report page (same origin, the patient's cookie). */
async function putAnswer(jar: Jar, body: unknown): Promise<Response> {
  return callRoute(
    answersRoute.PUT,
    `${BASE}/api/self-report/answers`,
    { method: "PUT", headers: same, body },
    jar,
  );
}

async function accept(jar: Jar, selfReportId: string): Promise<Response> {
  return callRoute(
    acceptRoute.POST,
    `${BASE}/api/v1/self-reports/${selfReportId}/accept`,
    { method: "POST", headers: same, body: {}, params: { selfReportId } },
    jar,
  );
}

async function verify(jar: Jar, birthDate: string): Promise<Response> {
  return callRoute(
    verifyRoute.POST,
    `${BASE}/api/self-report/verify`,
    { method: "POST", headers: same, body: { birthDate } },
    jar,
  );
}

describe("the self-report routes", () => {
  it("answers the contract: 201 { id, mode, url, expiresAt } with url <PUBLIC_URL>/r/<token>", async () => {
    const res = await start(careJar, { instruments: ["phq9", "gds15", "steadi"], mode: "link" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "id", "mode", "url"]);
    expect(body.url).toMatch(/^https:\/\/bbc\.example\.org\/r\/[A-Za-z0-9_-]{43}$/);
    const bad = await start(careJar, { instruments: ["phq9"], mode: "link", expiresInDays: 40 });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("runs a link from open to submit; then 410, as problem+json or as a page", async () => {
    const created = (await (
      await start(clinicianJar, { instruments: ["steadi"], mode: "link" })
    ).json()) as { id: string; url: string };
    const patient = new Jar();
    // No cookie yet: the patient's API refuses.
    const early = await putAnswer(patient, { instrument: "steadi", item: "unsteady", value: true });
    expect(early.status).toBe(401);
    const opened = await open(created.url, patient);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/self-report");
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    expect(patient.value("bbc-self-report")).toBeTruthy();
    // Before the birth date, no answer is taken.
    const unconfirmed = await putAnswer(patient, {
      instrument: "steadi",
      item: "unsteady",
      value: true,
    });
    expect(unconfirmed.status).toBe(403);
    const wrong = await verify(patient, "1946-05-18");
    expect(wrong.status).toBe(422);
    const right = await verify(patient, "1946-05-17");
    expect(right.status).toBe(200);
    const saved = await putAnswer(patient, {
      instrument: "steadi",
      item: "countPast12Months",
      value: 0,
    });
    expect(saved.status).toBe(200);
    const submitted = await callRoute(
      submitRoute.POST,
      `${BASE}/api/self-report/submit`,
      { method: "POST", headers: same },
      patient,
    );
    expect(submitted.status).toBe(200);
    const again = await open(created.url, new Jar());
    expect(again.status).toBe(410);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    const page = await open(created.url, new Jar(), "text/html,application/xhtml+xml");
    expect(page.status).toBe(410);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("This link cannot be used");
    expect(html).not.toContain("Rosa");
    const unknown = await open(`${BASE}/r/${"A".repeat(43)}`, new Jar());
    expect(unknown.status).toBe(404);

    const listed = await list(careJar);
    const items = ((await listed.json()) as { items: Record<string, unknown>[] }).items;
    const item = items.find((i) => i.id === created.id)!;
    expect(item).toMatchObject({ id: created.id, mode: "link", status: "submitted" });
    expect(item.submittedAt).toEqual(expect.any(String));
    expect(item.answers).toEqual({
      steadi: {
        countPast12Months: 0,
        injurious: null,
        unsteady: null,
        worriedAboutFalling: null,
      },
    });

    // Accepting is a clinician's (visits.create): the care team is refused.
    const refused = await accept(careJar, created.id);
    expect(refused.status).toBe(403);
    const accepted = await accept(clinicianJar, created.id);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ id: created.id, status: "accepted" });
  });

  it("hands a tablet over: no birth date, and the staff session leaves that browser", async () => {
    const created = (await (
      await start(clinicianJar, { instruments: ["phq9"], mode: "tablet" })
    ).json()) as { url: string; mode: string };
    expect(created.mode).toBe("tablet");
    // The tablet's browser holds the clinician's session until the hand-over.
    const tablet = new Jar();
    for (const [name, value] of clinicianJar.cookies) tablet.cookies.set(name, value);
    expect(tablet.value("session-token")).toBeTruthy();
    const opened = await open(created.url, tablet);
    expect(opened.status).toBe(303);
    expect(tablet.value("session-token")).toBeUndefined();
    const saved = await putAnswer(tablet, { instrument: "phq9", item: 0, value: 1 });
    expect(saved.status).toBe(200);
    // The staff's API refuses the tablet now.
    const listed = await list(tablet);
    expect(listed.status).toBe(401);
  });
});
