import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { auditEvents, observations, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import * as usersRoute from "@/app/api/v1/admin/users/route";
import * as flagRoute from "@/app/api/v1/flags/[flagId]/route";
import * as retractRoute from "@/app/api/v1/observations/[observationId]/retract/route";
import * as patientRoute from "@/app/api/v1/patients/[patientId]/route";
import * as visitsRoute from "@/app/api/v1/patients/[patientId]/visits/route";
import * as patientsRoute from "@/app/api/v1/patients/route";
import * as fhirPatientRoute from "@/app/fhir/r4/Patient/[patientId]/route";
import { recordVisit } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { callRoute, signedInJar, type Jar } from "../support/route-call";
import { auditEventsWhere } from "../support/audit";

process.env.AUTH_SECRET = "security-input-test-secret-0123456789";
process.env.NEXTAUTH_URL = "http://localhost:3000";
const BASE = "http://localhost:3000";
const PASSWORD = "a-long-enough-password";

const t = testDatabasePerFile(setDatabase);
let mine: Awaited<ReturnType<typeof makeWorld>>;
let theirs: Awaited<ReturnType<typeof makeWorld>>;
let myFlag: { id: string; version: number };
let theirFlagId: string;
let theirObservationId: string;
let myObservationId: string;
let clinician: Jar;
let careTeam: Jar;
let admin: Jar;

async function login(userId: string, email: string): Promise<Jar> {
  await t.db
    .update(users)
    .set({ passwordHash: await hashPassword(PASSWORD) })
    .where(eq(users.id, userId));
  return signedInJar(BASE, email, PASSWORD);
}

async function depressedVisit(world: Awaited<ReturnType<typeof makeWorld>>) {
  const result = await recordVisit(
    { db: t.db, actor: world.actor },
    world.patientId,
    { occurredOn: "2026-11-20", observations: [{ kind: "phq9", items: phq9Items(16) }] },
    new Date("2026-11-20T09:00:00Z"),
  );
  const [obs] = await t.db
    .select({ id: observations.id })
    .from(observations)
    .where(eq(observations.patientId, world.patientId));
  return { flag: result.flags[0]!, observationId: obs!.id };
}

beforeAll(async () => {
  mine = await makeWorld(t.db);
  theirs = await makeWorld(t.db);
  const a = await depressedVisit(mine);
  myFlag = a.flag;
  myObservationId = a.observationId;
  const b = await depressedVisit(theirs);
  theirFlagId = b.flag.id;
  theirObservationId = b.observationId;
  clinician = await login(mine.actor.userId, mine.actor.email);
  const care = await makeUser(t.db, "care_team", [mine.siteId]);
  careTeam = await login(care.userId, care.email);
  const boss = await makeUser(t.db, "admin", []);
  admin = await login(boss.userId, boss.email);
});

const NUL = "bad\u0000text";
const LONE = "bad\ud800text";

describe("U+0000 and unpaired surrogates are a 422 naming the field, never a 500", () => {
  const flagPatch = (body: Record<string, unknown>) =>
    callRoute(
      flagRoute.PATCH,
      `${BASE}/api/v1/flags/${myFlag.id}`,
      {
        method: "PATCH",
        body: { version: myFlag.version, ...body },
        params: { flagId: myFlag.id },
      },
      careTeam,
    );

  const cases: [string, () => Promise<Response>, string][] = [
    ["flag note", () => flagPatch({ action: "note", note: NUL }), "note"],
    ["flag note (surrogate)", () => flagPatch({ action: "note", note: LONE }), "note"],
    [
      "snooze reason",
      () => flagPatch({ action: "snooze", until: "2026-12-20", reason: LONE }),
      "reason",
    ],
    ["resolve note", () => flagPatch({ action: "resolve", reason: "other", note: NUL }), "note"],
    [
      "medication name",
      () =>
        callRoute(
          visitsRoute.POST,
          `${BASE}/api/v1/patients/${mine.patientId}/visits`,
          {
            method: "POST",
            params: { patientId: mine.patientId },
            body: {
              occurredOn: "2026-11-21",
              observations: [
                { kind: "medication", effective: "2026-11-21", class: "ssri", name: NUL },
              ],
            },
          },
          clinician,
        ),
      "observations.0.name",
    ],
    [
      "retract reason",
      () =>
        callRoute(
          retractRoute.POST,
          `${BASE}/api/v1/observations/${myObservationId}/retract`,
          { method: "POST", body: { reason: LONE }, params: { observationId: myObservationId } },
          clinician,
        ),
      "reason",
    ],
    [
      "user name",
      () =>
        callRoute(
          usersRoute.POST,
          `${BASE}/api/v1/admin/users`,
          {
            method: "POST",
            body: {
              email: "new.person@example.org",
              name: NUL,
              role: "clinician",
              siteIds: [mine.siteId],
              password: "a-long-enough-password",
            },
          },
          admin,
        ),
      "name",
    ],
    [
      "an unknown key",
      () => flagPatch({ action: "note", note: "fine", ["k\u0000"]: 1 }),
      "k\uFFFD",
    ],
    [
      "search q",
      () => callRoute(patientsRoute.GET, `${BASE}/api/v1/patients?q=Ann%00`, {}, clinician),
      "q",
    ],
  ];

  it.each(cases)("%s", async (_label, send, path) => {
    const res = await send();
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: string; errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual([path]);
    expect(body.detail).toContain(path);
  });

  it("stored nothing", async () => {
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "flags.update"));
    expect(events).toHaveLength(0);
  });
});

describe("a lookup outside the actor's sites is a 404 audited as denied, with the id asked for", () => {
  async function deniedEvent(entityType: string, entityId: string) {
    const rows = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "scope.denied"),
      eq(auditEvents.entityType, entityType),
      eq(auditEvents.entityId, entityId),
    );
    return rows;
  }

  it("another site's patient (API, FHIR, and a visit whose transaction rolls back)", async () => {
    const params = { patientId: theirs.patientId };
    for (const [handler, url] of [
      [patientRoute.GET, `${BASE}/api/v1/patients/${theirs.patientId}`],
      [fhirPatientRoute.GET, `${BASE}/fhir/r4/Patient/${theirs.patientId}`],
    ] as const) {
      expect((await callRoute(handler, url, { params }, clinician)).status).toBe(404);
    }
    const visit = await callRoute(
      visitsRoute.POST,
      `${BASE}/api/v1/patients/${theirs.patientId}/visits`,
      {
        method: "POST",
        params,
        body: { occurredOn: "2026-11-21", observations: [{ kind: "phq9", items: phq9Items(3) }] },
      },
      clinician,
    );
    expect(visit.status).toBe(404);
    const events = await deniedEvent("patient", theirs.patientId);
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e).toMatchObject({
        outcome: "denied",
        actorId: mine.actor.userId,
        patientId: theirs.patientId,
      });
    }
    expect(events.map((e) => (e.detail as { where: string }).where).sort()).toEqual([
      "GET /api/v1/patients/:id",
      "GET /fhir/r4/Patient/:id",
      "POST /api/v1/patients/:id/visits",
    ]);
  });

  it("another site's flag and observation, named as such (no hint that they exist)", async () => {
    const flag = await callRoute(
      flagRoute.GET,
      `${BASE}/api/v1/flags/${theirFlagId}`,
      { params: { flagId: theirFlagId } },
      careTeam,
    );
    expect(flag.status).toBe(404);
    expect(((await flag.json()) as { detail: string }).detail).toBe("Flag was not found.");
    const missing = "00000000-0000-4000-8000-000000000000";
    const none = await callRoute(
      flagRoute.GET,
      `${BASE}/api/v1/flags/${missing}`,
      { params: { flagId: missing } },
      careTeam,
    );
    expect(((await none.json()) as { detail: string }).detail).toBe("Flag was not found.");
    const retract = await callRoute(
      retractRoute.POST,
      `${BASE}/api/v1/observations/${theirObservationId}/retract`,
      {
        method: "POST",
        body: { reason: "not mine" },
        params: { observationId: theirObservationId },
      },
      clinician,
    );
    expect(retract.status).toBe(404);
    expect(await deniedEvent("flag", theirFlagId)).toMatchObject([
      { outcome: "denied", patientId: theirs.patientId },
    ]);
    expect(await deniedEvent("flag", missing)).toMatchObject([{ patientId: null }]);
    expect(await deniedEvent("observation", theirObservationId)).toMatchObject([
      { outcome: "denied", patientId: theirs.patientId },
    ]);
    // The observation is untouched.
    const [obs] = await t.db
      .select({ at: observations.enteredInErrorAt })
      .from(observations)
      .where(eq(observations.id, theirObservationId));
    expect(obs!.at).toBeNull();
  });
});
