import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents, users } from "@/db/schema";
import { issueTokenSchema } from "@/lib/api/tokens";
import { verifyPassword } from "@/lib/auth/password";
import {
  hashToken,
  issueApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
} from "@/lib/server/api-tokens";
import type { Ctx } from "@/lib/server/context";
import { findUserById } from "@/lib/server/users";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";

const t = testDatabasePerFile();
let admin: Ctx;
let siteId: string;
beforeAll(async () => {
  const world = await makeWorld(t.db);
  siteId = world.siteId;
  admin = { db: t.db, actor: await makeUser(t.db, "admin", []) };
});

const NOW = new Date("2026-03-01T12:00:00Z");

describe("API tokens", () => {
  it("issues a token once, stores only its SHA-256, through a service account at the chosen sites", async () => {
    const input = issueTokenSchema.parse({
      name: "Epic interface",
      scopes: ["fhir.read", "fhir.write"],
      siteIds: [siteId],
      expiresInDays: 30,
    });
    const issued = await issueApiToken(admin, input, NOW);
    expect(issued.token).toMatch(/^bbc_[A-Za-z0-9_-]{43}$/);
    expect(issued.item).toMatchObject({
      name: "Epic interface",
      scopes: ["fhir.read", "fhir.write"],
      prefix: issued.token.slice(0, 12),
    });
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, issued.item.id));
    expect(row!.tokenHash).toBe(hashToken(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(row!.expiresAt?.toISOString()).toBe("2026-03-31T12:00:00.000Z");
    const service = await findUserById(t.db, row!.serviceUserId);
    expect(service).toMatchObject({ role: "clinician", siteIds: [siteId], disabledAt: null });
    expect(service!.email).toMatch(/^svc-epic-interface-[0-9a-f]{8}@service\.invalid$/);
    // The service account can never sign in with a password.
    expect(await verifyPassword(service!.passwordHash, "")).toBe(false);
    expect(await verifyPassword(service!.passwordHash, "!")).toBe(false);
    const resolved = await resolveApiToken(t.db, issued.token, NOW);
    expect(resolved).toMatchObject({
      tokenId: issued.item.id,
      scopes: ["fhir.read", "fhir.write"],
      serviceUserId: row!.serviceUserId,
    });
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "tokens.issue"));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.detail)).not.toContain(issued.token);
  });

  it("refuses unknown, malformed and expired tokens", async () => {
    const issued = await issueApiToken(
      admin,
      issueTokenSchema.parse({
        name: "Short",
        scopes: ["fhir.read"],
        siteIds: [siteId],
        expiresInDays: 1,
      }),
      NOW,
    );
    expect(await resolveApiToken(t.db, "bbc_not-a-token", NOW)).toBeNull();
    expect(await resolveApiToken(t.db, "Bearer x", NOW)).toBeNull();
    expect(
      await resolveApiToken(t.db, issued.token, new Date(NOW.getTime() + 2 * 86_400_000)),
    ).toBeNull();
  });

  it("notes the last use", async () => {
    const issued = await issueApiToken(
      admin,
      issueTokenSchema.parse({ name: "Used", scopes: ["fhir.read"], siteIds: [siteId] }),
      NOW,
    );
    await resolveApiToken(t.db, issued.token, NOW);
    const [item] = (await listApiTokens(admin)).filter((i) => i.id === issued.item.id);
    expect(item?.lastUsedAt).toBe(NOW.toISOString());
  });

  it("revoking disables the token and its service account; twice is a conflict", async () => {
    const issued = await issueApiToken(
      admin,
      issueTokenSchema.parse({ name: "To revoke", scopes: ["fhir.read"], siteIds: [siteId] }),
      NOW,
    );
    const item = await revokeApiToken(admin, issued.item.id, NOW);
    expect(item.revokedAt).toBe(NOW.toISOString());
    expect(await resolveApiToken(t.db, issued.token, NOW)).toBeNull();
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, issued.item.id));
    const [service] = await t.db.select().from(users).where(eq(users.id, row!.serviceUserId));
    expect(service!.disabledAt).not.toBeNull();
    await expect(revokeApiToken(admin, issued.item.id, NOW)).rejects.toMatchObject({
      kind: "conflict",
    });
    await expect(
      revokeApiToken(admin, "00000000-0000-4000-8000-000000000000", NOW),
    ).rejects.toMatchObject({ kind: "not-found" });
  });

  it("validates the issue form: scopes, sites, name", () => {
    const result = issueTokenSchema.safeParse({ name: "x", scopes: ["admin"], siteIds: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["name", "scopes.0", "siteIds"]),
    );
  });

  it("refuses sites that do not exist", async () => {
    await expect(
      issueApiToken(
        admin,
        issueTokenSchema.parse({
          name: "Ghost",
          scopes: ["fhir.read"],
          siteIds: ["00000000-0000-4000-8000-000000000001"],
        }),
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
  });
});
