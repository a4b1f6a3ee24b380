import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { auditQuerySchema, type AuditEventItem } from "@/lib/api/audit";
import type { Ctx } from "@/lib/server/context";
import { exportAuditCsv, listAuditEvents } from "@/lib/server/audit-log";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

const t = testDatabasePerFile();
let admin: Ctx;
const PATIENT = "11111111-1111-4111-8111-111111111111";
const ALICE = "22222222-2222-4222-8222-222222222222";

const query = (params: Record<string, string>) => auditQuerySchema.parse(params);

/** Every page of a filtered list, following the cursor. */
async function allPages(params: Record<string, string>): Promise<AuditEventItem[]> {
  const items: AuditEventItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(admin, query({ ...params, ...(cursor ? { cursor } : {}) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  admin = { db: t.db, actor: await makeUser(t.db, "admin", []) };
  const rows: (typeof auditEvents.$inferInsert)[] = [];
  // 24 events over three UTC days, with ties on `at` (the keyset must break them by id).
  for (let i = 0; i < 24; i++) {
    const day = 10 + (i % 3);
    const at = new Date(`2026-11-${day}T${String(i % 4).padStart(2, "0")}:30:00.000Z`);
    rows.push({
      at,
      actorId: i % 2 === 0 ? ALICE : null,
      actorEmail: i % 2 === 0 ? "alice@example.org" : "bob@example.org",
      actorRole: i % 2 === 0 ? "clinician" : "care_team",
      action: i % 3 === 0 ? "test.patients.read" : i % 3 === 1 ? "test.patients.list" : "test.auth",
      outcome: i % 5 === 0 ? "denied" : "success",
      patientId: i % 4 === 0 ? PATIENT : null,
      entityType: "thing",
      entityId: i === 7 ? '=HYPERLINK("http://evil")' : `e${i}`,
      ip: i === 8 ? "@10.0.0.1" : "10.0.0.2",
      userAgent: i === 9 ? "-ua, with comma" : "vitest",
      detail: { i, note: i === 10 ? "+cmd|' /C calc'!A0" : "ok" },
    });
  }
  await t.db.insert(auditEvents).values(rows);
});

describe("audit log viewer", () => {
  it("lists newest first across pages: every matching event once, ties broken by id", async () => {
    const items = await allPages({ action: "test.", limit: "5" });
    expect(items).toHaveLength(24);
    expect(new Set(items.map((e) => e.id)).size).toBe(24);
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      expect(a.at > b.at || (a.at === b.at && a.id > b.id)).toBe(true);
    }
    expect(items[0]!.at).toMatch(/^2026-11-12T03:30:00\.000000Z$/);
  });

  it("filters by user (email, any case, or id), patient, action prefix, outcome and dates", async () => {
    const byEmail = await allPages({ action: "test.", user: "ALICE@example.org" });
    expect(byEmail).toHaveLength(12);
    expect(byEmail.every((e) => e.actorEmail === "alice@example.org")).toBe(true);
    expect(await allPages({ action: "test.", user: ALICE })).toHaveLength(12);

    const byPatient = await allPages({ patient: PATIENT });
    expect(byPatient).toHaveLength(6);
    expect(byPatient.every((e) => e.patientId === PATIENT)).toBe(true);

    const reads = await allPages({ action: "test.patients." });
    expect(reads).toHaveLength(16);
    expect(await allPages({ action: "test.patients.read" })).toHaveLength(8);
    // `_` and `%` are plain characters, not LIKE wildcards.
    expect(await allPages({ action: "test_" })).toHaveLength(0);

    const denied = await allPages({ action: "test.", outcome: "denied" });
    expect(denied.map((e) => e.outcome)).toEqual(Array(5).fill("denied"));

    // Whole UTC days, both ends inclusive.
    expect(await allPages({ action: "test.", from: "2026-11-11", to: "2026-11-11" })).toHaveLength(
      8,
    );
    expect(await allPages({ action: "test.", from: "2026-11-11" })).toHaveLength(16);
    expect(await allPages({ action: "test.", to: "2026-11-10" })).toHaveLength(8);
    expect(
      await allPages({
        action: "test.",
        user: "bob@example.org",
        outcome: "denied",
        to: "2026-11-11",
      }),
    ).toHaveLength(
      (await allPages({ action: "test." })).filter(
        (e) => e.actorEmail === "bob@example.org" && e.outcome === "denied" && e.at < "2026-11-12",
      ).length,
    );
  });

  it("audits each read with its filters", async () => {
    await listAuditEvents(admin, query({ action: "test.auth", outcome: "success" }));
    const reads = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "audit.read"),
      eq(auditEvents.actorId, admin.actor.userId),
    );
    expect(
      reads.some(
        (r) =>
          JSON.stringify((r.detail as { filters: unknown }).filters) ===
          JSON.stringify({ action: "test.auth", outcome: "success" }),
      ),
    ).toBe(true);
  });

  it("rejects bad filters and a forged cursor with field paths", async () => {
    const bad = auditQuerySchema.safeParse({ patient: "x", outcome: "maybe", from: "2026-02-30" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["patient", "outcome", "from"]),
    );
    const reversed = auditQuerySchema.safeParse({ from: "2026-11-12", to: "2026-11-10" });
    expect(reversed.error?.issues[0]?.path).toEqual(["to"]);
    expect(auditQuerySchema.safeParse({ action: "a'; drop table x" }).success).toBe(false);
    // Empty form fields mean "no filter".
    expect(auditQuerySchema.parse({ outcome: "", from: "", user: " " })).toMatchObject({
      outcome: undefined,
      from: undefined,
      user: undefined,
    });
    const forged = Buffer.from(JSON.stringify(["now()", 1])).toString("base64url");
    await expect(listAuditEvents(admin, query({ cursor: forged }))).rejects.toMatchObject({
      kind: "bad-request",
    });
  });

  it("exports exactly the filtered events as formula-safe CSV, audited as audit.export", async () => {
    const filters = { action: "test.", from: "2026-11-11" };
    const listed = await allPages(filters);
    const { csv, rows } = await exportAuditCsv(admin, query(filters));
    expect(rows).toBe(listed.length);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,at_utc,actor_id,actor_email,actor_role,action,outcome,patient_id,entity_type,entity_id,ip,user_agent,detail,actor_name,patient_name,patient_mrn,filters,generated_at,time_zone",
    );
    const ids = lines.slice(1).map((l) => Number(l.split(",")[0]));
    expect(ids).toEqual(listed.map((e) => e.id));

    const all = (await exportAuditCsv(admin, query({ action: "test." }))).csv;
    // Formula injection: = + - @ at the start of a cell gain a leading quote.
    expect(all).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(all).toContain(",'@10.0.0.1,");
    expect(all).toContain(`"'-ua, with comma"`);
    expect(all).not.toMatch(/(^|,)[=+@-]/m);
    const exports = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "audit.export"));
    expect(exports).toHaveLength(2);
    expect(exports[0]!.detail).toEqual({ rows: listed.length, filters });
  });
});

describe("audit log for people", () => {
  it("names actors and patients, and finds a patient's events by MRN or name", async () => {
    const world = await makeWorld(t.db, {
      patient: { mrn: "AUD-77", givenName: "Zoë", familyName: "Quintero" },
    });
    await t.db.insert(auditEvents).values([
      {
        actorId: world.actor.userId,
        actorEmail: world.actor.email,
        actorRole: "clinician",
        action: "people.patients.read",
        patientId: world.patientId,
      },
      { actorEmail: "system", action: "people.other" },
    ]);
    for (const patient of ["aud-77", "Quint", "Zoë Quin", "Quintero, Z", world.patientId]) {
      const items = await allPages({ action: "people.", patient });
      expect(items.map((e) => e.action)).toEqual(["people.patients.read"]);
      expect(items[0]).toMatchObject({
        actorName: world.actor.name,
        patientName: "Quintero, Zoë",
        patientMrn: "AUD-77",
      });
    }
    expect(await allPages({ action: "people.", patient: "AUD-7" })).toHaveLength(0);
    const other = (await allPages({ action: "people.other" }))[0]!;
    expect(other).toMatchObject({ actorName: null, patientName: null, patientMrn: null });
    const { csv } = await exportAuditCsv(admin, query({ action: "people.", patient: "AUD-77" }));
    expect(csv).toContain(`"Quintero, Zoë",AUD-77,patient=AUD-77; action=people.,`);
  });
});
