import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents, users } from "@/db/schema";
import { createUserSchema, updateUserSchema } from "@/lib/api/admin";
import { AppError } from "@/lib/api/errors";
import { authenticate } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import type { Actor, Ctx } from "@/lib/server/context";
import { createUser, listAdminUsers, updateUser } from "@/lib/server/user-admin";
import { findUserByEmail } from "@/lib/server/users";
import { testDatabasePerFile } from "../support/db";
import { seedDemoPatients } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

const INITIAL = "initial-password-123";
const t = testDatabasePerFile();
let admin: Ctx;
let siteIds: Record<string, string>;

async function actorOf(email: string): Promise<Actor> {
  const u = (await findUserByEmail(t.db, email))!;
  return {
    userId: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    siteIds: u.siteIds,
    ip: "127.0.0.1",
    userAgent: "vitest",
  };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const create = (email: string, role: "clinician" | "admin" | "quality", sites: string[] = []) =>
  createUser(
    admin,
    createUserSchema.parse({
      email,
      name: `Name of ${email}`,
      role,
      siteIds: sites,
      password: INITIAL,
    }),
    hashPassword,
  );
const act = (ctx: Ctx, id: string, body: unknown) =>
  updateUser(ctx, id, updateUserSchema.parse(body), hashPassword);

beforeAll(async () => {
  const seeded = await seedDemoPatients(t.db, 0);
  siteIds = seeded.siteIds;
  admin = { db: t.db, actor: await actorOf("admin@example.org") };
});

describe("user administration", () => {
  it("creates a user with a site and an argon2 hash; the user can sign in; audited without the password", async () => {
    const user = await create("New.Clinician@Example.org", "clinician", [siteIds.north!]);
    expect(user).toMatchObject({
      email: "new.clinician@example.org",
      role: "clinician",
      disabled: false,
      sites: [{ id: siteIds.north, code: "north" }],
    });
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    const signIn = await authenticate(
      t.db,
      { email: user.email, password: INITIAL, ip: null, userAgent: null },
      new Date(),
    );
    expect(signIn.status).toBe("ok");
    const [event] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "users.create"),
      eq(auditEvents.entityId, user.id),
    );
    expect(event).toMatchObject({ actorEmail: "admin@example.org", outcome: "success" });
    expect(event!.detail).toEqual({
      email: "new.clinician@example.org",
      role: "clinician",
      siteIds: [siteIds.north],
    });
    expect(JSON.stringify(event)).not.toContain(INITIAL);
  });

  it("refuses a duplicate email (any case) with 409 on the email field", async () => {
    const error = await refusal(create("NEW.clinician@example.org", "clinician", [siteIds.north!]));
    expect(error.kind).toBe("conflict");
    expect(error.details.errors?.[0]?.path).toBe("email");
  });

  it("validates input: short password, unknown role, unknown site, clinical role without a site", async () => {
    const parsed = createUserSchema.safeParse({
      email: "not-an-email",
      name: "",
      role: "superuser",
      siteIds: ["x"],
      password: "short",
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["email", "name", "role", "siteIds.0", "password"]),
    );
    const unknownSite = await refusal(
      create("ghost@example.org", "clinician", ["00000000-0000-4000-8000-000000000000"]),
    );
    expect(unknownSite.kind).toBe("unprocessable");
    expect(unknownSite.details.errors?.[0]?.path).toBe("siteIds.0");
    const noSite = await refusal(create("nosite@example.org", "quality", []));
    expect(noSite.details.errors?.[0]?.path).toBe("siteIds");
    // An administrator needs no site.
    await expect(create("second.admin@example.org", "admin")).resolves.toMatchObject({
      role: "admin",
    });
  });

  it("disables and re-enables a user: a disabled user cannot sign in", async () => {
    const user = (await findUserByEmail(t.db, "new.clinician@example.org"))!;
    const disabled = await act(admin, user.id, { action: "disable" });
    expect(disabled.disabled).toBe(true);
    const refused = await authenticate(
      t.db,
      { email: user.email, password: INITIAL, ip: null, userAgent: null },
      new Date(),
    );
    expect(refused.status).toBe("disabled");
    const enabled = await act(admin, user.id, { action: "enable" });
    expect(enabled.disabled).toBe(false);
    const actions = (
      await t.db.select().from(auditEvents).where(eq(auditEvents.entityId, user.id))
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["users.disable", "users.enable"]));
  });

  it("refuses an administrator disabling themself or changing their own role (409, audited as denied)", async () => {
    const self = await refusal(act(admin, admin.actor.userId, { action: "disable" }));
    expect(self.kind).toBe("conflict");
    const role = await refusal(
      act(admin, admin.actor.userId, {
        action: "update",
        role: "quality",
        siteIds: [siteIds.north],
      }),
    );
    expect(role.kind).toBe("conflict");
    const [me] = await t.db.select().from(users).where(eq(users.id, admin.actor.userId));
    expect(me!.disabledAt).toBeNull();
    expect(me!.role).toBe("admin");
    const denied = await auditEventsWhere(
      t.db,
      eq(auditEvents.entityId, admin.actor.userId),
      eq(auditEvents.outcome, "denied"),
    );
    expect(denied.map((e) => e.action).sort()).toEqual(["users.disable", "users.update"]);
  });

  it("protects the last active administrator", async () => {
    const second = (await findUserByEmail(t.db, "second.admin@example.org"))!;
    const secondCtx: Ctx = { db: t.db, actor: await actorOf(second.email) };
    // With two active admins, one may disable the other…
    await act(admin, second.id, { action: "disable" });
    await act(admin, second.id, { action: "enable" });
    // …but once only `second` is active, nobody may disable or demote them.
    await act(secondCtx, admin.actor.userId, { action: "disable" });
    const last = await refusal(act(secondCtx, second.id, { action: "disable" }));
    expect(last.kind).toBe("conflict"); // self, too
    const other = await create("third.admin@example.org", "quality", [siteIds.north!]);
    // The use-case trusts the route's permission check: any actor stands in for a third admin.
    const thirdCtx: Ctx = { db: t.db, actor: await actorOf(other.email) };
    const demote = await refusal(
      act(thirdCtx, second.id, { action: "update", role: "clinician", siteIds: [siteIds.north] }),
    );
    expect(demote.kind).toBe("conflict");
    expect(demote.message).toMatch(/last active administrator/);
    const disable = await refusal(act(thirdCtx, second.id, { action: "disable" }));
    expect(disable.message).toMatch(/last active administrator/);
    // Restore the first admin for the following tests.
    await act(secondCtx, admin.actor.userId, { action: "enable" });
  });

  it("lets only one of two administrators disabling each other at the same moment succeed", async () => {
    const a = await create("race.a@example.org", "admin");
    const b = await create("race.b@example.org", "admin");
    // Leave only the two racers active.
    const others = (await listAdminUsers(admin)).items.filter(
      (u) => u.role === "admin" && !u.disabled && u.id !== a.id && u.id !== b.id,
    );
    const aCtx: Ctx = { db: t.db, actor: await actorOf(a.email) };
    for (const u of others) await act(aCtx, u.id, { action: "disable" });
    const bCtx: Ctx = { db: t.db, actor: await actorOf(b.email) };
    const results = await Promise.allSettled([
      act(aCtx, b.id, { action: "disable" }),
      act(bCtx, a.id, { action: "disable" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // The loser gets the rule's 409, not a deadlock or a driver error.
    const lost = results.find((r) => r.status === "rejected");
    expect((lost as PromiseRejectedResult).reason).toMatchObject({
      kind: "conflict",
      details: { extra: { rule: "last-admin" } },
    });
    const active = (await listAdminUsers(admin)).items.filter(
      (u) => u.role === "admin" && !u.disabled,
    );
    expect(active).toHaveLength(1);
    // Put the original administrators back.
    const survivor: Ctx = { db: t.db, actor: await actorOf(active[0]!.email) };
    for (const u of others) await act(survivor, u.id, { action: "enable" });
  });

  it("changes role and sites, audited with the changes", async () => {
    const user = (await findUserByEmail(t.db, "new.clinician@example.org"))!;
    const changed = await act(admin, user.id, {
      action: "update",
      name: "Renamed Person",
      role: "care_team",
      siteIds: [siteIds.river, siteIds.north],
    });
    expect(changed).toMatchObject({ name: "Renamed Person", role: "care_team" });
    expect(changed.sites.map((s) => s.code)).toEqual(["north", "river"]);
    const [event] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "users.update"),
      eq(auditEvents.entityId, user.id),
    );
    expect(event!.detail).toMatchObject({
      changes: {
        name: { from: "Name of New.Clinician@Example.org", to: "Renamed Person" },
        role: { from: "clinician", to: "care_team" },
      },
    });
    const none = await refusal(act(admin, user.id, { action: "update", siteIds: [] }));
    expect(none.details.errors?.[0]?.path).toBe("siteIds");
  });

  it("resets a password (argon2), audited without it", async () => {
    const user = (await findUserByEmail(t.db, "new.clinician@example.org"))!;
    const next = "a brand new passphrase";
    await act(admin, user.id, { action: "reset-password", password: next });
    const ok = await authenticate(
      t.db,
      { email: user.email, password: next, ip: null, userAgent: null },
      new Date(),
    );
    expect(ok.status).toBe("ok");
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "users.reset-password"));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(next);
    expect(
      updateUserSchema.safeParse({ action: "reset-password", password: "too short" }).success,
    ).toBe(false);
  });

  it("leaves API-token service accounts to the token screen (409, shown as such)", async () => {
    const svc = await create("svc-ehr@service.invalid", "clinician", [siteIds.north!]);
    await t.db.insert(apiTokens).values({
      name: "EHR",
      prefix: "bbc_test",
      tokenHash: "hash-of-test-token",
      serviceUserId: svc.id,
    });
    for (const body of [
      { action: "reset-password", password: "now it could sign in" },
      { action: "update", role: "admin" },
      { action: "enable" },
    ]) {
      const error = await refusal(act(admin, svc.id, body));
      expect(error.details.extra).toEqual({ rule: "service-account" });
    }
    const listed = (await listAdminUsers(admin)).items.find((u) => u.id === svc.id);
    expect(listed?.serviceAccount).toBe(true);
    expect((await listAdminUsers(admin)).items.filter((u) => u.serviceAccount)).toHaveLength(1);
  });

  it("answers 404 for an unknown or malformed id, and lists users with sites (audited)", async () => {
    expect((await refusal(act(admin, "nope", { action: "disable" }))).kind).toBe("not-found");
    expect(
      (await refusal(act(admin, "00000000-0000-4000-8000-000000000000", { action: "enable" })))
        .kind,
    ).toBe("not-found");
    const list = await listAdminUsers(admin);
    expect(list.sites.map((s) => s.code)).toEqual(["north", "river"]);
    expect(list.items.find((u) => u.email === "care@example.org")?.sites).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain("argon2");
  });
});
