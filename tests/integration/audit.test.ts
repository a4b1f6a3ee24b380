import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { recordAudit } from "@/lib/server/audit";
import { testDatabasePerFile } from "../support/db";

const t = testDatabasePerFile();
beforeAll(async () => {
  await recordAudit(t.db, null, { action: "test.event", actorEmail: "a@example.org" });
});

describe("audit events are append-only in the database", () => {
  it("refuses UPDATE", async () => {
    await expect(
      t.db
        .update(auditEvents)
        .set({ action: "tampered" })
        .where(sql`true`),
    ).rejects.toThrow();
  });
  it("refuses DELETE", async () => {
    await expect(t.db.delete(auditEvents).where(sql`true`)).rejects.toThrow();
  });
  it("refuses TRUNCATE", async () => {
    await expect(t.db.execute(sql`truncate audit_events`)).rejects.toThrow();
  });
  it("still accepts inserts and keeps the rows", async () => {
    await recordAudit(t.db, null, { action: "test.second" });
    const rows = await t.db.select().from(auditEvents);
    expect(rows.map((r) => r.action)).toEqual(["test.event", "test.second"]);
  });
});
