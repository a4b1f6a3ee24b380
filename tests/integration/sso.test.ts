import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, loginAttempts, users } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { authenticate } from "@/lib/auth/credentials";
import type { LocalSignInPolicy } from "@/lib/auth/local-signin";
import { signInWithSso } from "@/lib/auth/sso";
import { testDatabasePerFile } from "../support/db";

/*
 * Single sign-on account matching and the local sign-in policy, on the real database: an identity
 * from the hospital's provider signs in as the existing account with its verified email (with that
 * account's role and sites), and nothing else; passwords follow LOCAL_SIGNIN. Every outcome is
 * audited with its provider.
 */

const PASSWORD = "correct-horse-battery";
const ISSUER = "https://login.hospital.example/realms/staff";
const NOW = new Date("2026-11-26T08:00:00Z");
const t = testDatabasePerFile();

beforeAll(async () => {
  await seedDemo(t.db, { patients: 0, password: PASSWORD, today: "2026-11-26", history: false });
});

const context = { issuer: ISSUER, ip: "10.0.0.7", userAgent: "vitest" };

const claims = (overrides: Record<string, unknown>) => ({
  iss: ISSUER,
  sub: "idp-subject-1",
  email: "clinician@example.org",
  email_verified: true,
  ...overrides,
});

const ssoSignIn = (overrides: Record<string, unknown>) =>
  signInWithSso(t.db, claims(overrides), context, NOW);

const loginAttemptsOf = (email: string) =>
  t.db.select().from(loginAttempts).where(eq(loginAttempts.email, email));

async function latestSignInEvent(email: string | null) {
  const [event] = await t.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, "auth.sign-in"),
        email === null ? undefined : eq(auditEvents.actorEmail, email),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return event!;
}

describe("single sign-on account matching", () => {
  it("signs a verified email in as the existing account, with its own role and sites", async () => {
    const result = await ssoSignIn({
      email: "Clinician@Example.org",
      role: "admin",
      groups: ["admins"],
    });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    const [local] = await t.db.select().from(users).where(eq(users.email, "clinician@example.org"));
    expect(result.user.id).toBe(local!.id);
    // Claims from the provider grant nothing: the role is the one an administrator gave here.
    expect(result.user.role).toBe("clinician");
    expect(result.user.siteIds).toHaveLength(2);
    expect(result.user.sessionVersion).toBe(local!.sessionVersion);
    const event = await latestSignInEvent("clinician@example.org");
    expect(event).toMatchObject({ outcome: "success", actorId: local!.id, ip: "10.0.0.7" });
    expect(event.detail).toEqual({ provider: "oidc", issuer: ISSUER, subject: "idp-subject-1" });
    // Like a password sign-in, a success is a login attempt (it clears the throttle's lanes).
    const attempts = await loginAttemptsOf("clinician@example.org");
    expect(attempts.some((a) => a.success)).toBe(true);
  });

  it("refuses an unverified or missing email verification, and audits why", async () => {
    for (const verified of [false, undefined, "true"]) {
      const result = await ssoSignIn({ email: "care@example.org", email_verified: verified });
      expect(result).toEqual({ status: "refused", reason: "email-unverified" });
    }
    const event = await latestSignInEvent("care@example.org");
    expect(event).toMatchObject({ outcome: "denied", actorId: null });
    expect(event.detail).toMatchObject({
      provider: "oidc",
      issuer: ISSUER,
      reason: "email-unverified",
    });
  });

  it("never creates an account for an unknown email", async () => {
    const before = await t.db.select().from(users);
    const result = await ssoSignIn({ email: "new.doctor@hospital.example" });
    expect(result).toEqual({ status: "refused", reason: "no-account" });
    expect(await t.db.select().from(users)).toHaveLength(before.length);
    const event = await latestSignInEvent("new.doctor@hospital.example");
    expect(event.detail).toMatchObject({ provider: "oidc", reason: "no-account" });
  });

  it("refuses a sign-in without an email", async () => {
    const result = await ssoSignIn({ email: undefined });
    expect(result).toEqual({ status: "refused", reason: "email-missing" });
  });

  it("refuses an identity from another issuer than the configured one", async () => {
    const result = await ssoSignIn({ iss: "https://login.hospital.example/realms/other" });
    expect(result).toEqual({ status: "refused", reason: "issuer-mismatch" });
  });

  it("refuses a deactivated local account", async () => {
    await t.db.update(users).set({ disabledAt: NOW }).where(eq(users.email, "quality@example.org"));
    const result = await ssoSignIn({ email: "quality@example.org" });
    expect(result).toEqual({ status: "refused", reason: "disabled" });
    const event = await latestSignInEvent("quality@example.org");
    expect(event).toMatchObject({ outcome: "denied" });
    expect(event.detail).toMatchObject({ provider: "oidc", reason: "disabled" });
  });
});

describe("local sign-in policy (LOCAL_SIGNIN)", () => {
  const attempt = (email: string, password: string, policy: LocalSignInPolicy) =>
    authenticate(
      t.db,
      { email, password, ip: "10.0.0.8", userAgent: "vitest" },
      NOW,
      policy,
      "Hospital sign-in",
    );

  it("on: a password sign-in works and is audited as local", async () => {
    expect((await attempt("care@example.org", PASSWORD, { mode: "on" })).status).toBe("ok");
    const event = await latestSignInEvent("care@example.org");
    expect(event.outcome).toBe("success");
    expect(event.detail).toEqual({ provider: "local" });
  });

  it("off: refuses everyone, the right administrator password included, without counting a failure", async () => {
    const before = await loginAttemptsOf("admin@example.org");
    const result = await attempt("admin@example.org", PASSWORD, { mode: "off" });
    expect(result).toEqual({
      status: "refused",
      message: 'Password sign-in is switched off here. Use "Hospital sign-in".',
    });
    const event = await latestSignInEvent("admin@example.org");
    expect(event).toMatchObject({ outcome: "denied", actorId: null });
    expect(event.detail).toEqual({ provider: "local", reason: "local-signin-off" });
    const after = await loginAttemptsOf("admin@example.org");
    expect(after).toHaveLength(before.length);
  });

  it("breakglass: only the named administrator, with the right password", async () => {
    const policy = { mode: "breakglass", breakglassEmail: "admin@example.org" } as const;
    expect((await attempt("admin@example.org", PASSWORD, policy)).status).toBe("ok");
    expect((await latestSignInEvent("admin@example.org")).detail).toEqual({ provider: "local" });
    expect((await attempt("admin@example.org", "wrong-password", policy)).status).toBe("invalid");

    // Everyone else is refused the same way whether the password is right or not.
    const right = await attempt("clinician@example.org", PASSWORD, policy);
    const wrong = await attempt("clinician@example.org", "wrong-password", policy);
    expect(right.status).toBe("refused");
    expect(wrong).toEqual(right);
    expect((await latestSignInEvent("clinician@example.org")).detail).toEqual({
      provider: "local",
      reason: "local-signin-breakglass-only",
    });
  });

  it("breakglass: refuses a named account that is not an administrator", async () => {
    const policy = { mode: "breakglass", breakglassEmail: "care@example.org" } as const;
    const result = await attempt("care@example.org", PASSWORD, policy);
    expect(result.status).toBe("refused");
    expect((await latestSignInEvent("care@example.org")).detail).toEqual({
      provider: "local",
      reason: "breakglass-not-admin",
    });
  });
});
