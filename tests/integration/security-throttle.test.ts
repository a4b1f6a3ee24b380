import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, loginAttempts, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { delaySeconds, THROTTLE_LANES } from "@/lib/server/sign-in-throttle";
import { updateUser } from "@/lib/server/user-admin";
import { testDatabasePerFile } from "../support/db";
import { makeUser } from "../support/fixtures";
import { auditEventsWhere, deniedAuditEvents } from "../support/audit";

const PASSWORD = "a-long-enough-password";
const t = testDatabasePerFile();
let hash: string;

beforeAll(async () => {
  hash = await hashPassword(PASSWORD);
});

/** A fresh account with a real password (each test its own, so lanes never mix). */
async function account(role: "clinician" | "admin" = "clinician"): Promise<string> {
  const actor = await makeUser(t.db, role, []);
  await t.db.update(users).set({ passwordHash: hash }).where(eq(users.id, actor.userId));
  return actor.email;
}

const attempt = (email: string, password: string, ip: string | null, at: number) =>
  authenticate(t.db, { email, password, ip, userAgent: "vitest" }, new Date(at));

/**
 * `n` failures from one address, each as soon as the account's lane allows it (at least a second
 * apart), the last at `last`; returns `last`.
 */
async function fail(email: string, ip: string, n: number, last: number): Promise<number> {
  const gaps = Array.from({ length: n - 1 }, (_, k) =>
    Math.max(1, delaySeconds(k + 1, THROTTLE_LANES.accountAddress)),
  );
  let at = last - gaps.reduce((sum, g) => sum + g, 0) * 1000;
  for (let i = 0; i < n; i++) {
    expect((await attempt(email, "wrong-password", ip, at)).status).toBe("invalid");
    at += (gaps[i] ?? 0) * 1000;
  }
  return last;
}

describe("sign-in throttling: growing delays, not a lock", () => {
  it("an account from one address: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes", async () => {
    const email = await account();
    let last = await fail(email, "192.0.2.1", 5, Date.parse("2026-11-26T08:00:00Z"));
    for (const wait of [1, 2, 4, 8]) {
      const early = await attempt(email, PASSWORD, "192.0.2.1", last + wait * 1000 - 1);
      expect(early).toMatchObject({ status: "throttled", scope: "accountAddress" });
      last += wait * 1000;
      expect((await attempt(email, "wrong-password", "192.0.2.1", last)).status).toBe("invalid");
    }
    // Nine failures: 16 s to wait. Many more: never beyond the cap.
    expect(await attempt(email, PASSWORD, "192.0.2.1", last + 1000)).toMatchObject({
      status: "throttled",
      retryAfterSeconds: 15,
    });
    for (let i = 0; i < 8; i++) {
      last += THROTTLE_LANES.accountAddress.capSeconds * 1000;
      await attempt(email, "wrong-password", "192.0.2.1", last);
    }
    const capped = await attempt(email, PASSWORD, "192.0.2.1", last + 1000);
    expect(capped.status).toBe("throttled");
    if (capped.status === "throttled") {
      expect(capped.retryAfterSeconds).toBe(THROTTLE_LANES.accountAddress.capSeconds - 1);
      expect(capped.message).toMatch(
        /^Too many failed sign-ins for this account\. Try again in 15 minutes\.$/,
      );
    }
    expect((await attempt(email, PASSWORD, "192.0.2.1", last + 15 * 60_000)).status).toBe("ok");
  });

  it("someone failing on purpose from elsewhere cannot keep the owner out", async () => {
    const email = await account("admin");
    const start = Date.parse("2026-11-26T09:00:00Z");
    // The owner signed in from their usual address before.
    expect((await attempt(email, PASSWORD, "198.51.100.10", start)).status).toBe("ok");
    // An attacker rotates addresses: 30 failures, never more than 4 from one address.
    let at = start + 60_000;
    for (let i = 0; i < 30; i++) {
      await attempt(email, "wrong-password", `203.0.113.${i % 8}`, at);
      at += 61_000;
    }
    const lastFailure = at - 61_000;
    // A new address waits for the account's lane; the owner's usual address does not.
    expect((await attempt(email, PASSWORD, "192.0.2.99", lastFailure + 1000)).status).toBe(
      "throttled",
    );
    expect((await attempt(email, PASSWORD, "198.51.100.10", lastFailure + 1000)).status).toBe("ok");
  });

  it("an account from many addresses waits at most a minute on a new address", async () => {
    const email = await account();
    const start = Date.parse("2026-11-26T10:00:00Z");
    let at = start;
    for (let i = 0; i < 20; i++) {
      await attempt(email, "wrong-password", `203.0.113.${100 + i}`, at);
      at += 61_000;
    }
    const fresh = await attempt(email, PASSWORD, "192.0.2.200", at - 61_000 + 10_000);
    expect(fresh).toMatchObject({ status: "throttled", scope: "account" });
    if (fresh.status === "throttled") expect(fresh.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await attempt(email, PASSWORD, "192.0.2.200", at)).status).toBe("ok");
  });

  it("one address trying many accounts is slowed down, for every account it tries", async () => {
    const start = Date.parse("2026-11-26T11:00:00Z");
    const ip = "192.0.2.77";
    let at = start;
    // 25 failures on 25 accounts (none of them exists): 2^5 = 32 s after the last.
    for (let i = 0; i < THROTTLE_LANES.address.free + 5; i++) {
      await attempt(`nobody-${i}@example.org`, "guess", ip, at);
      at += 60_000;
    }
    const last = at - 60_000;
    const email = await account();
    const r = await attempt(email, PASSWORD, ip, last + 500);
    expect(r).toMatchObject({ status: "throttled", scope: "address", retryAfterSeconds: 32 });
    if (r.status === "throttled") expect(r.message).toMatch(/from this network.*32 seconds/);
    // The account itself is fine from anywhere else, and its success does not clear the address.
    expect((await attempt(email, PASSWORD, "192.0.2.78", last + 1000)).status).toBe("ok");
    expect((await attempt(email, PASSWORD, ip, last + 2000)).status).toBe("throttled");
    expect((await attempt(email, PASSWORD, ip, last + 32_000)).status).toBe("ok");
  });

  it("throttled attempts are audited (and not counted); an administrator can unlock", async () => {
    const email = await account();
    const admin = await makeUser(t.db, "admin", []);
    // Real times: the administrator's unlock is written at the time it happens. Twelve failures
    // ending now: 128 s to wait.
    const last = await fail(email, "192.0.2.5", 12, Date.now() - 5000);
    for (let i = 0; i < 3; i++) {
      expect((await attempt(email, PASSWORD, "192.0.2.5", last + 1000 + i)).status).toBe(
        "throttled",
      );
    }
    const denied = await deniedAuditEvents(t.db, "auth.sign-in", eq(auditEvents.actorEmail, email));
    expect(denied).toHaveLength(3);
    expect(denied[0]!.detail).toMatchObject({ reason: "throttled", scope: "accountAddress" });
    expect(denied[0]!.ip).toBe("192.0.2.5");
    const counted = await t.db.select().from(loginAttempts).where(eq(loginAttempts.email, email));
    expect(counted).toHaveLength(12);

    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    await updateUser({ db: t.db, actor: admin }, user!.id, { action: "unlock" }, () =>
      Promise.reject(new Error("no password here")),
    );
    expect((await attempt(email, PASSWORD, "192.0.2.5", Date.now() + 1000)).status).toBe("ok");
    const [unlock] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "users.unlock"),
      eq(auditEvents.entityId, user!.id),
    );
    expect(unlock).toMatchObject({ actorId: admin.userId, outcome: "success" });
  });
});
