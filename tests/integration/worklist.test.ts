import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, flagEvents, flags, patients, patientState } from "@/db/schema";
import {
  flagActionSchema,
  WORKLIST_PRIORITIES,
  WORKLIST_STATUSES,
  worklistQuerySchema,
  type FlagAction,
} from "@/lib/api/worklist";
import type { Actor, Ctx } from "@/lib/server/context";
import { getFlag, listCareTeam, updateFlag } from "@/lib/server/flags";
import { recordVisit } from "@/lib/server/visits";
import { exportWorklistCsv, listTreatToTarget, listWorklist } from "@/lib/server/worklist";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";

const t = testDatabasePerFile();
let clinician: Ctx;
let care: Ctx;
let otherCare: Ctx;
let siteId: string;
const NOW = new Date("2026-11-26T12:00:00Z");
const q = (raw: Record<string, string> = {}) => worklistQuerySchema.parse(raw);

/** Patients: A urgent (suicide risk), B high (PHQ-9 16), C medium (PHQ-9 12), D low (osteopenia), E none. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  const world = await makeWorld(t.db, {
    patient: { familyName: "Alpha", birthDate: "1950-01-01" },
  });
  siteId = world.siteId;
  clinician = { db: t.db, actor: world.actor };
  care = { db: t.db, actor: await makeUser(t.db, "care_team", [siteId]) };
  otherCare = { db: t.db, actor: await makeUser(t.db, "care_team", [siteId]) };
  ids.A = world.patientId;
  for (const [key, family] of [
    ["B", "Bravo"],
    ["C", "Charlie"],
    ["D", "Delta"],
    ["E", "Echo"],
  ] as const) {
    const [p] = await t.db
      .insert(patients)
      .values({
        siteId,
        mrn: `WL-${key}`,
        givenName: "Pat",
        familyName: family,
        birthDate: "1958-06-01",
        sex: "male",
      })
      .returning();
    ids[key] = p!.id;
  }
  const visit = (id: string, day: string, observations: Record<string, unknown>[]) =>
    recordVisit(clinician, id, { occurredOn: day, observations }, new Date(`${day}T09:00:00Z`));
  await visit(ids.A, "2026-11-20", [{ kind: "phq9", items: phq9Items(12, 1) }]);
  await visit(ids.B!, "2026-10-01", [{ kind: "phq9", items: phq9Items(16) }]);
  await visit(ids.C!, "2026-11-01", [{ kind: "phq9", items: phq9Items(12) }]);
  await visit(ids.D!, "2026-09-01", [
    { kind: "phq9", items: phq9Items(2) },
    { kind: "bmd", site: "femoral_neck", tScore: -1.5 },
  ]);
  await visit(ids.E!, "2026-11-25", [
    { kind: "phq9", items: phq9Items(1) },
    { kind: "falls", countPast12Months: 0 },
  ]);
});

async function flagOf(patient: string, code: string) {
  const rows = await t.db.select().from(flags).where(eq(flags.patientId, patient));
  return rows.find((f) => f.code === code && f.status !== "resolved")!;
}

describe("worklist", () => {
  it("sorts by priority then oldest open flag, with counts per priority", async () => {
    const page = await listWorklist(care, q(), NOW);
    const order = page.items.map((i) => i.patientId);
    expect(order.slice(0, 3)).toEqual([ids.A, ids.B, ids.C]);
    expect(page.items[0]?.priority).toBe("urgent");
    expect(page.items[0]?.flags[0]?.code).toBe("safety.suicide-risk");
    expect(page.counts.urgent).toBe(1);
    expect(page.counts.high).toBe(1);
    expect(order).not.toContain(ids.E);
    expect(page.items.find((i) => i.patientId === ids.B)?.weeksInDepressionCare).toBe(8);
  });

  it("filters by priority, area, code, assignee, overdue and site; pages by keyset", async () => {
    expect(
      (await listWorklist(care, q({ priority: "high" }), NOW)).items.map((i) => i.patientId),
    ).toEqual([ids.B]);
    expect((await listWorklist(care, q({ priority: "urgent,high" }), NOW)).items).toHaveLength(2);
    const safety = await listWorklist(care, q({ code: "safety" }), NOW);
    expect(safety.items.map((i) => i.patientId)).toEqual([ids.A]);
    const bone = await listWorklist(care, q({ code: "bone.osteopenia" }), NOW);
    expect(bone.items.map((i) => i.patientId)).toEqual([ids.D]);
    // B's high flag opened 1 Oct, due in 7 days: 49 days overdue. A's critical flag was due the
    // day it opened (20 Nov): 6 days overdue. E has nothing open.
    const overdue = await listWorklist(care, q({ overdue: "true" }), NOW);
    expect(overdue.items.map((i) => i.patientId)).toEqual(expect.arrayContaining([ids.A, ids.B]));
    expect(overdue.items.find((i) => i.patientId === ids.B)?.overdueDays).toBe(49);
    expect(overdue.items.find((i) => i.patientId === ids.A)?.overdueDays).toBe(6);
    const notYet = await listWorklist(
      care,
      q({ overdue: "true", code: "depression.positive" }),
      NOW,
    );
    expect(notYet.items.map((i) => i.patientId)).toEqual([ids.B]);
    expect((await listWorklist(care, q({ assignee: "me" }), NOW)).items).toHaveLength(0);
    const otherSite = { db: t.db, actor: { ...care.actor, siteIds: [] } as Actor };
    expect((await listWorklist(otherSite, q(), NOW)).items).toHaveLength(0);
    const first = await listWorklist(care, q({ limit: "2" }), NOW);
    const second = await listWorklist(care, q({ limit: "2", cursor: first.nextCursor! }), NOW);
    expect(second.items[0]?.patientId).toBe(ids.C);
  });

  it("assigns, notes, acknowledges and resolves with a version, leaving the list when resolved", async () => {
    let flag = await flagOf(ids.C!, "depression.positive");
    const act = async (ctx: Ctx, action: FlagAction) =>
      updateFlag(ctx, flag.id, flagActionSchema.parse(action), NOW);
    let state = await act(care, { action: "assign", version: flag.version, assigneeId: "me" });
    expect(state.assigneeName).toBe(care.actor.name);
    expect(
      (await listWorklist(care, q({ assignee: "me" }), NOW)).items.map((i) => i.patientId),
    ).toEqual([ids.C]);
    const unassigned = await listWorklist(
      care,
      q({ assignee: "unassigned", code: "depression.positive" }),
      NOW,
    );
    expect(unassigned.items.map((i) => i.patientId)).not.toContain(ids.C);
    state = await act(care, {
      action: "note",
      version: state.version,
      note: "Called; PCP appointment booked.",
    });
    state = await act(care, { action: "acknowledge", version: state.version });
    expect(state.status).toBe("acknowledged");
    state = await act(care, { action: "resolve", version: state.version, reason: "referred" });
    expect(state.status).toBe("resolved");
    expect(
      (await listWorklist(care, q({ code: "depression.positive" }), NOW)).items.map(
        (i) => i.patientId,
      ),
    ).not.toContain(ids.C);
    const detail = await getFlag(care, flag.id);
    expect(detail.events.map((e) => e.type)).toEqual([
      "opened",
      "assigned",
      "note",
      "acknowledged",
      "resolved",
    ]);
    expect(detail.events.find((e) => e.type === "note")?.data).toMatchObject({
      note: "Called; PCP appointment booked.",
    });
    flag = (await t.db.select().from(flags).where(eq(flags.id, flag.id)))[0]!;
    state = await act(care, { action: "reopen", version: flag.version });
    expect(state.status).toBe("open");
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "flags.update"));
    expect(audits.filter((a) => a.entityId === flag.id)).toHaveLength(5);
  });

  it("lets exactly one of two concurrent updates with the same version win; the other gets 409 naming who", async () => {
    const flag = await flagOf(ids.B!, "depression.positive");
    const results = await Promise.allSettled([
      updateFlag(care, flag.id, { action: "note", version: flag.version, note: "first" }, NOW),
      updateFlag(
        otherCare,
        flag.id,
        { action: "note", version: flag.version, note: "second" },
        NOW,
      ),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatchObject({ kind: "conflict" });
    expect(String((failed[0]!.reason as Error).message)).toMatch(/changed by (Extra|someone)/);
    const notes = await t.db.select().from(flagEvents).where(eq(flagEvents.flagId, flag.id));
    expect(notes.filter((e) => e.type === "note")).toHaveLength(1);
  });

  it("refuses to snooze a critical flag, checks the assignee, and requires a note for 'other'", async () => {
    const critical = await flagOf(ids.A!, "safety.suicide-risk");
    await expect(
      updateFlag(
        care,
        critical.id,
        { action: "snooze", version: critical.version, until: "2026-12-01", reason: "later" },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
    await expect(
      updateFlag(
        care,
        critical.id,
        { action: "assign", version: critical.version, assigneeId: clinician.actor.userId },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
    const ok = await updateFlag(
      care,
      critical.id,
      { action: "assign", version: critical.version, assigneeId: otherCare.actor.userId },
      NOW,
    );
    expect(ok.assigneeName).toBe(otherCare.actor.name);
    expect(
      flagActionSchema.safeParse({ action: "resolve", version: 1, reason: "other" }).success,
    ).toBe(false);
    expect(flagActionSchema.safeParse({ action: "explode", version: 1 }).success).toBe(false);
    expect((await listCareTeam(care, siteId)).map((m) => m.id)).toEqual(
      expect.arrayContaining([care.actor.userId, otherCare.actor.userId]),
    );
  });

  it("snoozed flags leave the active list, and come back on a new relevant observation or at expiry", async () => {
    const bone = await flagOf(ids.D!, "bone.osteopenia");
    const snoozed = await updateFlag(
      care,
      bone.id,
      { action: "snooze", version: bone.version, until: "2026-12-10", reason: "DXA booked" },
      NOW,
    );
    expect(snoozed.status).toBe("snoozed");
    const active = await listWorklist(care, q({ code: "bone.osteopenia" }), NOW);
    expect(active.items).toHaveLength(0);
    expect(
      (await listWorklist(care, q({ code: "bone.osteopenia", status: "snoozed" }), NOW)).items,
    ).toHaveLength(1);
    // At expiry it reads as open again, even before anything is recorded.
    const later = new Date("2026-12-10T08:00:00Z");
    const back = await listWorklist(care, q({ code: "bone.osteopenia" }), later);
    expect(back.items[0]?.flags.find((f) => f.code === "bone.osteopenia")?.status).toBe("open");
    // A new DXA re-opens it for real.
    await recordVisit(
      clinician,
      ids.D!,
      {
        occurredOn: "2026-11-26",
        observations: [{ kind: "bmd", site: "total_hip", tScore: -1.3 }],
      },
      NOW,
    );
    const [reopened] = await t.db.select().from(flags).where(eq(flags.id, bone.id));
    expect(reopened?.status).toBe("open");
  });

  it("exports exactly the filtered rows as CSV, formula-safe, and audits the export", async () => {
    const query = q({ priority: "urgent,high" });
    const page = await listWorklist(care, query, NOW);
    const { csv, rows } = await exportWorklistCsv(care, query, NOW);
    expect(rows).toBe(page.items.length);
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(page.items.length + 1);
    expect(lines[0]).toMatch(/^priority,family_name,given_name/);
    for (const item of page.items) expect(csv).toContain(item.patient.mrn);
    const exports = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "worklist.export"));
    expect(exports[0]?.detail).toMatchObject({ rows });
  });

  it("lists treat-to-target patients with their PHQ-9 series", async () => {
    const world = await makeWorld(t.db);
    const c = { db: t.db, actor: world.actor };
    await recordVisit(
      c,
      world.patientId,
      { occurredOn: "2026-07-01", observations: [{ kind: "phq9", items: phq9Items(18) }] },
      NOW,
    );
    await recordVisit(
      c,
      world.patientId,
      { occurredOn: "2026-10-01", observations: [{ kind: "phq9", items: phq9Items(15) }] },
      NOW,
    );
    const ttt = await listTreatToTarget(c);
    expect(ttt.items).toHaveLength(1);
    expect(ttt.items[0]?.phq9.map((p) => p.total)).toEqual([18, 15]);
  });

  it("counts per priority exactly the patients each status and filter lists, snoozes included", async () => {
    const unresolved = async (patient: string) =>
      (await t.db.select().from(flags).where(eq(flags.patientId, patient))).filter(
        (f) => f.status !== "resolved" && f.severity !== "critical",
      );
    // C: every flag snoozed until 20 Dec (leaves the active count until then); A: its flags beside
    // the critical one snoozed (A stays active); B: a snooze without an end (reads snoozed).
    const cFlags = await unresolved(ids.C!);
    expect(cFlags.length).toBeGreaterThan(0);
    for (const f of [...cFlags, ...(await unresolved(ids.A!))]) {
      await updateFlag(
        care,
        f.id,
        { action: "snooze", version: f.version, until: "2026-12-20", reason: "review" },
        NOW,
      );
    }
    const [bFlag] = await unresolved(ids.B!);
    await t.db
      .update(flags)
      .set({ status: "snoozed", snoozedUntil: null })
      .where(eq(flags.id, bFlag!.id));
    const later = new Date("2026-12-21T12:00:00Z");

    async function listedAndCounted(raw: Record<string, string>, now: Date) {
      const listed = Object.fromEntries(WORKLIST_PRIORITIES.map((p) => [p, 0]));
      const patientIds: string[] = [];
      let counts: Record<string, number> | undefined;
      let cursor: string | undefined;
      do {
        const page = await listWorklist(
          care,
          q({ ...raw, limit: "2", ...(cursor ? { cursor } : {}) }),
          now,
          false,
        );
        counts ??= page.counts;
        expect(page.counts).toEqual(counts);
        for (const item of page.items) listed[item.priority]!++;
        patientIds.push(...page.items.map((i) => i.patientId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { listed, counts, ids: patientIds };
    }

    for (const now of [NOW, later]) {
      for (const status of WORKLIST_STATUSES) {
        const filters: Record<string, string>[] = [
          {},
          { code: "depression" },
          { assignee: "unassigned" },
        ];
        for (const filter of filters) {
          const { listed, counts } = await listedAndCounted({ status, ...filter }, now);
          expect({ status, filter, now, counts }).toEqual({ status, filter, now, counts: listed });
          // The priority filter narrows the rows, never the counts.
          const narrowed = await listWorklist(care, q({ status, ...filter, priority: "low" }), now);
          expect(narrowed.counts).toEqual(counts);
        }
      }
    }
    const active = await listedAndCounted({}, NOW);
    expect(active.ids).not.toContain(ids.C);
    expect(active.ids).toEqual(expect.arrayContaining([ids.A, ids.B]));
    const snoozed = await listedAndCounted({ status: "snoozed" }, NOW);
    expect(snoozed.ids).toEqual(expect.arrayContaining([ids.A, ids.B, ids.C]));
    expect((await listedAndCounted({}, later)).ids).toContain(ids.C);
    expect((await listedAndCounted({ status: "snoozed" }, later)).ids).not.toContain(ids.C);
  });

  it("keeps patient_state right when flags of one patient change at once, during a visit", async () => {
    const [p] = await t.db
      .insert(patients)
      .values({
        siteId,
        mrn: "WL-RACE",
        givenName: "Pat",
        familyName: "Race",
        birthDate: "1948-03-01",
        sex: "female",
      })
      .returning();
    const day = "2026-11-10";
    await recordVisit(
      clinician,
      p!.id,
      {
        occurredOn: day,
        observations: [
          { kind: "phq9", items: phq9Items(16) },
          { kind: "bmd", site: "femoral_neck", tScore: -2.8 },
        ],
      },
      new Date(`${day}T09:00:00Z`),
    );
    const open = (await t.db.select().from(flags).where(eq(flags.patientId, p!.id))).filter(
      (f) => f.status !== "resolved",
    );
    expect(open.length).toBeGreaterThanOrEqual(3);
    // Every flag resolved at once by the care team while a clinician records a visit.
    const results = await Promise.allSettled([
      ...open.map((f) =>
        updateFlag(care, f.id, { action: "resolve", version: f.version, reason: "treated" }, NOW),
      ),
      recordVisit(
        clinician,
        p!.id,
        { occurredOn: "2026-11-26", observations: [{ kind: "falls", countPast12Months: 0 }] },
        NOW,
      ),
    ]);
    // Each either applied or lost cleanly to a version conflict (the visit may touch a flag
    // first); never a deadlock or another error.
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ kind: "conflict" });
    }
    const unresolved = (await t.db.select().from(flags).where(eq(flags.patientId, p!.id))).filter(
      (f) => f.status !== "resolved",
    );
    const [state] = await t.db.select().from(patientState).where(eq(patientState.patientId, p!.id));
    expect(state!.openFlagCount).toBe(unresolved.length);
  });
});
