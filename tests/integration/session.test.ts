import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setDatabase } from "@/db/client";
import { patients, sites, userSites, users } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import { CLIENT_ADDRESS_HEADER, vouchForClientAddressHeader } from "@/lib/auth/client-address";
import { actorFromRequest } from "@/lib/auth/session";
import { getPatientInScope } from "@/lib/server/scope";
import { findSessionUser, findUserById } from "@/lib/server/users";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";

// Read once by lib/env on first use, which happens inside the tests below.
const SECRET = "session-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = SECRET;
// As the app's own server does (scripts/lib/server.ts): the address header is its word.
vouchForClientAddressHeader();

const t = testDatabasePerFile(setDatabase);
afterEach(() => {
  vi.useRealTimers();
});

async function sessionCookie(userId: string, sessionVersion: number, maxAge = 3600) {
  const token = await encode({
    token: { sub: userId, sv: sessionVersion, role: "clinician", siteIds: [] },
    secret: SECRET,
    maxAge,
  });
  return `next-auth.session-token=${token}`;
}

function apiRequest(cookie?: string): NextRequest {
  return new NextRequest("http://localhost/api/v1/patients", {
    headers: {
      ...(cookie ? { cookie } : {}),
      "user-agent": "vitest",
      [CLIENT_ADDRESS_HEADER]: "10.0.0.9",
    },
  });
}

async function refusal(req: NextRequest): Promise<string> {
  const error = await actorFromRequest(req).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe("unauthenticated");
  return (error as AppError).message;
}

describe("findSessionUser", () => {
  it("returns what findUserById says about the user, sites in the same order, in one statement", async () => {
    const a = await makeWorld(t.db);
    const b = await makeWorld(t.db);
    const [extra] = await t.db
      .insert(sites)
      .values({ code: `s-extra-${Date.now()}`, name: "Extra" })
      .returning();
    const actor = await makeUser(t.db, "care_team", [b.siteId, extra!.id, a.siteId]);
    const full = await findUserById(t.db, actor.userId);
    const lean = await findSessionUser(t.db, actor.userId);
    expect(lean).toEqual({
      id: full!.id,
      email: full!.email,
      name: full!.name,
      role: full!.role,
      disabled: false,
      sessionVersion: full!.sessionVersion,
      siteIds: full!.siteIds,
    });
    expect(lean!.siteIds).toHaveLength(3);

    const none = await makeUser(t.db, "admin", []);
    expect((await findSessionUser(t.db, none.userId))?.siteIds).toEqual([]);
    expect(await findSessionUser(t.db, "00000000-0000-4000-8000-000000000000")).toBeNull();

    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, none.userId));
    expect((await findSessionUser(t.db, none.userId))?.disabled).toBe(true);
  });
});

describe("actorFromRequest", () => {
  it("builds the actor from the session and the database", async () => {
    const world = await makeWorld(t.db);
    const actor = await actorFromRequest(apiRequest(await sessionCookie(world.actor.userId, 1)));
    expect(actor).toEqual({
      userId: world.actor.userId,
      email: world.actor.email,
      name: world.actor.name,
      role: "clinician",
      siteIds: [world.siteId],
      ip: "10.0.0.9",
      userAgent: "vitest",
    });
  });

  it("re-checks the user on every request, also for a session cookie it has seen before", async () => {
    const world = await makeWorld(t.db);
    const req = () => apiRequest(cookie);
    const cookie = await sessionCookie(world.actor.userId, 1);
    expect((await actorFromRequest(req())).siteIds).toEqual([world.siteId]);

    // A site taken away shows at once.
    await t.db.delete(userSites).where(eq(userSites.userId, world.actor.userId));
    expect((await actorFromRequest(req())).siteIds).toEqual([]);

    // A bumped session version ends the session at once.
    await t.db.update(users).set({ sessionVersion: 2 }).where(eq(users.id, world.actor.userId));
    expect(await refusal(req())).toBe("Your session has ended. Sign in again.");
    expect(
      (await actorFromRequest(apiRequest(await sessionCookie(world.actor.userId, 2)))).userId,
    ).toBe(world.actor.userId);

    // So does disabling the user.
    const cookie2 = await sessionCookie(world.actor.userId, 2);
    await actorFromRequest(apiRequest(cookie2));
    await t.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.id, world.actor.userId));
    expect(await refusal(apiRequest(cookie2))).toBe("Your session has ended. Sign in again.");
  });

  it("refuses a missing, forged or expired session, also once it has been seen", async () => {
    const world = await makeWorld(t.db);
    expect(await refusal(apiRequest())).toBe("Sign in to use this API.");
    expect(await refusal(apiRequest("next-auth.session-token=not-a-jwe"))).toBe(
      "Sign in to use this API.",
    );
    const other = await encode({
      token: { sub: world.actor.userId, sv: 1, role: "clinician", siteIds: [] },
      secret: "another-secret-0123456789abcdef",
    });
    expect(await refusal(apiRequest(`next-auth.session-token=${other}`))).toBe(
      "Sign in to use this API.",
    );
    // Expired beyond next-auth's 15 s clock tolerance.
    expect(await refusal(apiRequest(await sessionCookie(world.actor.userId, 1, -60)))).toBe(
      "Sign in to use this API.",
    );

    // A session seen while valid is refused once it has expired.
    const shortLived = await sessionCookie(world.actor.userId, 1, 60);
    expect((await actorFromRequest(apiRequest(shortLived))).userId).toBe(world.actor.userId);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 70_000);
    expect((await actorFromRequest(apiRequest(shortLived))).userId).toBe(world.actor.userId);
    vi.setSystemTime(Date.now() + 10_000);
    expect(await refusal(apiRequest(shortLived))).toBe("Sign in to use this API.");
  });
});

describe("getPatientInScope", () => {
  it("returns the row exactly as drizzle maps it, with or without the lock", async () => {
    const world = await makeWorld(t.db, { patient: { postmenopausal: null } });
    const [expected] = await t.db.select().from(patients).where(eq(patients.id, world.patientId));
    const row = await getPatientInScope(t.db, world.actor, world.patientId);
    expect(row).toEqual(expected);
    expect(Object.keys(row)).toEqual(Object.keys(expected!));
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(row.birthDate).toBe("1950-03-01");
    const locked = await t.db.transaction((tx) =>
      getPatientInScope(tx, world.actor, world.patientId, true),
    );
    expect(locked).toEqual(expected);
  });

  it("is not found outside the actor's sites, for a bad id and for an actor without sites", async () => {
    const mine = await makeWorld(t.db);
    const theirs = await makeWorld(t.db);
    const twoSites = { ...mine.actor, siteIds: [theirs.siteId, mine.siteId] };
    expect((await getPatientInScope(t.db, twoSites, theirs.patientId)).id).toBe(theirs.patientId);
    for (const [actor, id] of [
      [mine.actor, theirs.patientId],
      [mine.actor, "not-a-uuid"],
      [mine.actor, "00000000-0000-4000-8000-000000000000"],
      [{ ...mine.actor, siteIds: [] }, mine.patientId],
    ] as const) {
      await expect(getPatientInScope(t.db, actor, id)).rejects.toMatchObject({
        kind: "not-found",
      });
    }
  });
});
