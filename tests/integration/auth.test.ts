import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, users } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { authenticate, INVALID_CREDENTIALS_MESSAGE } from "@/lib/auth/credentials";
import { testDatabasePerFile } from "../support/db";
import { deniedAuditEvents } from "../support/audit";

const PASSWORD = "correct-horse-battery";
const t = testDatabasePerFile();

beforeAll(async () => {
  await seedDemo(t.db, { patients: 0, password: PASSWORD, today: "2026-11-26", history: false });
});

const attempt = (email: string, password: string, now: Date) =>
  authenticate(t.db, { email, password, ip: "127.0.0.1", userAgent: "vitest" }, now);

describe("sign-in use-case", () => {
  it("accepts the right password, case-insensitively on the email, with role and sites", async () => {
    const result = await attempt(
      "Clinician@Example.org",
      PASSWORD,
      new Date("2026-11-26T08:00:00Z"),
    );
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.user.email).toBe("clinician@example.org");
    expect(result.user.role).toBe("clinician");
    expect(result.user.siteIds).toHaveLength(2);
  });

  it("refuses a wrong password and an unknown account with the same message", async () => {
    const wrong = await attempt("care@example.org", "nope-nope", new Date("2026-11-26T08:01:00Z"));
    const unknown = await attempt("nobody@example.org", PASSWORD, new Date("2026-11-26T08:01:00Z"));
    expect(wrong).toEqual({ status: "invalid", message: INVALID_CREDENTIALS_MESSAGE });
    expect(unknown).toEqual({ status: "invalid", message: INVALID_CREDENTIALS_MESSAGE });
  });

  it("audits successful and failed sign-ins without the password", async () => {
    const rows = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "auth.sign-in"));
    expect(
      rows.some((r) => r.outcome === "success" && r.actorEmail === "clinician@example.org"),
    ).toBe(true);
    expect(rows.some((r) => r.outcome === "failure" && r.actorEmail === "care@example.org")).toBe(
      true,
    );
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(JSON.stringify(rows)).not.toContain("nope-nope");
  });

  it("slows an account down after 5 failures with growing delays (no lock), the right password included", async () => {
    const email = "quality@example.org";
    const start = new Date("2026-11-26T09:00:00Z").getTime();
    for (let i = 0; i < 5; i++) {
      const r = await attempt(email, "wrong-password", new Date(start + i * 60_000));
      expect(r.status).toBe("invalid");
    }
    const fifthAt = start + 4 * 60_000;
    // Even the right password is refused during the wait, with a clear message.
    const throttled = await attempt(email, PASSWORD, new Date(fifthAt + 500));
    expect(throttled.status).toBe("throttled");
    if (throttled.status === "throttled") {
      expect(throttled.message).toMatch(/Too many failed sign-ins for this account.*1 second/);
      expect(throttled.retryAfterSeconds).toBe(1);
    }
    // Each further failure doubles the wait.
    expect((await attempt(email, "wrong-password", new Date(fifthAt + 1000))).status).toBe(
      "invalid",
    );
    const sixthAt = fifthAt + 1000;
    expect((await attempt(email, PASSWORD, new Date(sixthAt + 1500))).status).toBe("throttled");
    const open = await attempt(email, PASSWORD, new Date(sixthAt + 2000));
    expect(open.status).toBe("ok");
    const denied = await deniedAuditEvents(t.db, "auth.sign-in");
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it("does not lock for 5 failures spread over more than 15 minutes", async () => {
    const email = "admin@example.org";
    const start = new Date("2026-11-26T10:00:00Z").getTime();
    for (let i = 0; i < 5; i++) {
      await attempt(email, "wrong-password", new Date(start + i * 4 * 60_000));
    }
    const r = await attempt(email, PASSWORD, new Date(start + 17 * 60_000));
    expect(r.status).toBe("ok");
  });

  it("a success clears earlier failures", async () => {
    const email = "care@example.org";
    const start = new Date("2026-11-26T11:00:00Z").getTime();
    for (let i = 0; i < 4; i++) await attempt(email, "wrong-password", new Date(start + i * 1000));
    expect((await attempt(email, PASSWORD, new Date(start + 5000))).status).toBe("ok");
    await attempt(email, "wrong-password", new Date(start + 6000));
    expect((await attempt(email, PASSWORD, new Date(start + 7000))).status).toBe("ok");
  });

  it("refuses a disabled user even with the right password", async () => {
    await t.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.email, "admin@example.org"));
    const r = await attempt("admin@example.org", PASSWORD, new Date("2026-11-26T12:00:00Z"));
    expect(r.status).toBe("disabled");
  });

  it("stores passwords as argon2id hashes", async () => {
    const [u] = await t.db.select().from(users).where(eq(users.email, "clinician@example.org"));
    expect(u?.passwordHash).toMatch(/^\$argon2id\$/);
  });
});
