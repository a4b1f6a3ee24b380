import { and, asc, desc, eq, gt, ne, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assessments, auditEvents, flagEvents, flags, patientState } from "@/db/schema";
import { RULESET_VERSION } from "@/lib/clinical";
import { flagSummary } from "@/lib/server/assessments";
import type { Ctx } from "@/lib/server/context";
import { recordVisit, retractObservation } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeWorld, phq9Items } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

const t = testDatabasePerFile();

const NOW = new Date("2026-11-26T12:00:00Z");

async function openCodes(patientId: string): Promise<string[]> {
  const rows = await t.db.select().from(flags).where(eq(flags.patientId, patientId));
  return rows
    .filter((f) => f.status !== "resolved")
    .map((f) => f.code)
    .sort();
}

/** patient_state must equal what the latest assessment and the unresolved flags say. */
async function expectStateMatchesLatest(patientId: string): Promise<void> {
  const [state] = await t.db
    .select()
    .from(patientState)
    .where(eq(patientState.patientId, patientId));
  const [latest] = await t.db
    .select()
    .from(assessments)
    .where(eq(assessments.patientId, patientId))
    .orderBy(desc(assessments.createdAt))
    .limit(1);
  expect(state?.lastAssessmentId).toBe(latest?.id);
  const open = await openCodes(patientId);
  expect([...(state?.openFlagCodes ?? [])].sort()).toEqual(open);
  const keptCritical = (await t.db.select().from(flags).where(eq(flags.patientId, patientId))).some(
    (f) => f.status !== "resolved" && f.severity === "critical",
  );
  expect(state?.priority).toBe(keptCritical ? "urgent" : latest?.priority);
}

/** The patient's unresolved flags as stored, in the order the visit response lists them. */
async function storedUnresolved(patientId: string) {
  const rows = await t.db
    .select()
    .from(flags)
    .where(and(eq(flags.patientId, patientId), ne(flags.status, "resolved")))
    .orderBy(
      sql`case ${flags.severity} when 'critical' then 0 when 'high' then 1 when 'moderate' then 2 when 'low' then 3 else 4 end`,
      flags.code,
    );
  return rows.map(flagSummary);
}

describe("recordVisit", () => {
  let ctx: Ctx;
  let patientId: string;
  beforeAll(async () => {
    const world = await makeWorld(t.db);
    ctx = { db: t.db, actor: world.actor };
    patientId = world.patientId;
  });

  it("stores observations and the assessment with its ruleset version, and opens flags", async () => {
    const result = await recordVisit(
      ctx,
      patientId,
      {
        occurredOn: "2026-11-20",
        observations: [
          { kind: "phq9", items: phq9Items(14, 1) },
          { kind: "bmd", site: "femoral_neck", tScore: -2.7 },
        ],
      },
      NOW,
    );
    expect(result.visit.occurredOn).toBe("2026-11-20");
    expect(result.assessment.rulesetVersion).toBe(RULESET_VERSION);
    expect(result.assessment.priority).toBe("urgent");
    const codes = result.flags.map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "safety.suicide-risk",
        "depression.positive",
        "bone.osteoporosis",
        "comorbidity.bone-brain",
      ]),
    );
    const [stored] = await t.db
      .select()
      .from(assessments)
      .where(eq(assessments.id, result.assessment.id));
    expect(stored?.rulesetVersion).toBe(RULESET_VERSION);
    expect(stored?.asOf).toBe("2026-11-20");
    const opened = await t.db
      .select()
      .from(flagEvents)
      .where(and(eq(flagEvents.patientId, patientId), eq(flagEvents.type, "opened")));
    expect(opened.length).toBe(result.flags.length);
    const suicide = result.flags.find((f) => f.code === "safety.suicide-risk");
    expect(suicide?.severity).toBe("critical");
    expect(suicide?.dueOn).toBe("2026-11-26");
    await expectStateMatchesLatest(patientId);
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "visits.create"));
    expect(audit.some((a) => a.patientId === patientId)).toBe(true);
  });

  it("keeps a flag that still fires (one row per code) and updates its severity", async () => {
    const before = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, patientId), eq(flags.code, "depression.positive")));
    expect(before).toHaveLength(1);
    expect(before[0]?.severity).toBe("moderate");
    await recordVisit(
      ctx,
      patientId,
      { occurredOn: "2026-11-24", observations: [{ kind: "phq9", items: phq9Items(16, 1) }] },
      NOW,
    );
    const after = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, patientId), eq(flags.code, "depression.positive")));
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[0]?.severity).toBe("high");
    expect(after[0]?.version).toBe((before[0]?.version ?? 0) + 1);
    const events = await t.db.select().from(flagEvents).where(eq(flagEvents.flagId, after[0]!.id));
    expect(events.map((e) => e.type)).toContain("severity-changed");
    await expectStateMatchesLatest(patientId);
  });

  it("resolves no-longer-met flags automatically but keeps a critical one for a person", async () => {
    await recordVisit(
      ctx,
      patientId,
      { occurredOn: "2026-11-25", observations: [{ kind: "phq9", items: phq9Items(3, 0) }] },
      NOW,
    );
    const rows = await t.db.select().from(flags).where(eq(flags.patientId, patientId));
    const depression = rows.find((f) => f.code === "depression.positive");
    expect(depression?.status).toBe("resolved");
    expect(depression?.resolutionCode).toBe("no-longer-met");
    expect(depression?.resolvedBy).toBeNull();
    const suicide = rows.find((f) => f.code === "safety.suicide-risk");
    expect(suicide?.status).toBe("open");
    await expectStateMatchesLatest(patientId);
    const [state] = await t.db
      .select()
      .from(patientState)
      .where(eq(patientState.patientId, patientId));
    expect(state?.priority).toBe("urgent");
  });

  it("re-opens a snoozed flag when a new observation of a kind it rests on arrives", async () => {
    const [bone] = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, patientId), eq(flags.code, "bone.osteoporosis")));
    expect(bone?.status).toBe("open");
    await t.db
      .update(flags)
      .set({ status: "snoozed", snoozedUntil: "2027-06-01", snoozeReason: "awaiting DXA" })
      .where(eq(flags.id, bone!.id));
    // A vitamin D result does not touch a bone-density flag's snooze.
    await recordVisit(
      ctx,
      patientId,
      { occurredOn: "2026-11-25", observations: [{ kind: "vitaminD", value: 32, unit: "ng/mL" }] },
      NOW,
    );
    expect((await t.db.select().from(flags).where(eq(flags.id, bone!.id)))[0]?.status).toBe(
      "snoozed",
    );
    await recordVisit(
      ctx,
      patientId,
      {
        occurredOn: "2026-11-26",
        observations: [{ kind: "bmd", site: "lumbar_spine", tScore: -2.6 }],
      },
      NOW,
    );
    const [reopened] = await t.db.select().from(flags).where(eq(flags.id, bone!.id));
    expect(reopened?.status).toBe("open");
    expect(reopened?.snoozedUntil).toBeNull();
    const events = await t.db.select().from(flagEvents).where(eq(flagEvents.flagId, bone!.id));
    expect(events.find((e) => e.type === "unsnoozed")?.data).toMatchObject({
      reason: "new-observation",
    });
  });

  it("re-opens a snoozed flag whose snooze has expired", async () => {
    const [bone] = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, patientId), eq(flags.code, "bone.osteoporosis")));
    await t.db
      .update(flags)
      .set({ status: "snoozed", snoozedUntil: "2026-11-26" })
      .where(eq(flags.id, bone!.id));
    await recordVisit(
      ctx,
      patientId,
      { occurredOn: "2026-11-26", observations: [{ kind: "vitaminD", value: 33, unit: "ng/mL" }] },
      NOW,
    );
    const [reopened] = await t.db.select().from(flags).where(eq(flags.id, bone!.id));
    expect(reopened?.status).toBe("open");
  });

  it("retracting the T-scores resolves the bone flags and keeps the retracted rows", async () => {
    const obs = await t.db.query.observations.findMany({
      where: (o, { eq: e }) => e(o.patientId, patientId),
    });
    for (const o of obs.filter((x) => x.kind === "bmd")) {
      await retractObservation(ctx, o.id, "entered on the wrong patient", NOW);
    }
    const open = await openCodes(patientId);
    expect(open.some((c) => c.startsWith("bone.osteo"))).toBe(false);
    expect(open).not.toContain("comorbidity.bone-brain");
    const still = await t.db.query.observations.findMany({
      where: (o, { eq: e }) => e(o.patientId, patientId),
    });
    expect(
      still
        .filter((o) => o.kind === "bmd")
        .every((o) => o.enteredInErrorAt !== null && o.enteredInErrorReason),
    ).toBe(true);
    await expectStateMatchesLatest(patientId);
    await expect(
      retractObservation(ctx, obs.find((o) => o.kind === "bmd")!.id, "again", NOW),
    ).rejects.toMatchObject({ kind: "conflict" });
  });

  it("rejects invalid observations with field paths and stores nothing", async () => {
    const before = (
      await t.db.select().from(assessments).where(eq(assessments.patientId, patientId))
    ).length;
    await expect(
      recordVisit(
        ctx,
        patientId,
        {
          occurredOn: "2026-11-26",
          observations: [
            { kind: "phq9", items: [1, 2, 3] },
            { kind: "bmd", site: "knee", tScore: -1 },
          ],
        },
        NOW,
      ),
    ).rejects.toMatchObject({
      kind: "unprocessable",
      details: {
        errors: expect.arrayContaining([
          expect.objectContaining({ path: expect.stringMatching(/^observations\.0/) as unknown }),
        ]) as unknown,
      },
    });
    await expect(
      recordVisit(
        ctx,
        patientId,
        {
          occurredOn: "2026-11-26",
          observations: [{ kind: "phq9", items: phq9Items(5), effective: "2026-11-27" }],
        },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
    await expect(
      recordVisit(
        ctx,
        patientId,
        { occurredOn: "2026-12-30", observations: [{ kind: "phq9", items: phq9Items(5) }] },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
    const after = (
      await t.db.select().from(assessments).where(eq(assessments.patientId, patientId))
    ).length;
    expect(after).toBe(before);
  });

  it("does not find a patient of another site", async () => {
    const other = await makeWorld(t.db);
    await expect(
      recordVisit(
        ctx,
        other.patientId,
        { occurredOn: "2026-11-26", observations: [{ kind: "phq9", items: phq9Items(5) }] },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "not-found" });
    await expect(
      recordVisit(
        ctx,
        "not-a-uuid",
        { occurredOn: "2026-11-26", observations: [{ kind: "phq9", items: phq9Items(5) }] },
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "not-found" });
  });

  it("serializes concurrent visits for one patient: one unresolved flag per code", async () => {
    const world = await makeWorld(t.db);
    const c = { db: t.db, actor: world.actor };
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        recordVisit(
          c,
          world.patientId,
          { occurredOn: "2026-11-26", observations: [{ kind: "phq9", items: phq9Items(10 + i) }] },
          NOW,
        ),
      ),
    );
    const rows = await t.db.select().from(flags).where(eq(flags.patientId, world.patientId));
    const unresolved = rows.filter((f) => f.status !== "resolved").map((f) => f.code);
    expect(new Set(unresolved).size).toBe(unresolved.length);
    await expectStateMatchesLatest(world.patientId);
  });

  it("writes several flag changes at once and answers with the flags as stored", async () => {
    const world = await makeWorld(t.db);
    const c = { db: t.db, actor: world.actor };
    const first = await recordVisit(
      c,
      world.patientId,
      {
        occurredOn: "2026-11-20",
        observations: [
          { kind: "phq9", items: phq9Items(14, 0) },
          { kind: "bmd", site: "femoral_neck", tScore: -2.7 },
          { kind: "vitaminD", value: 8, unit: "ng/mL" },
        ],
      },
      NOW,
    );
    expect(first.flags).toEqual(await storedUnresolved(world.patientId));
    const codes = first.flags.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(["depression.positive", "bone.osteoporosis"]));
    expect(codes.some((code) => code.startsWith("vitd."))).toBe(true);
    const depression = first.flags.find((f) => f.code === "depression.positive")!;
    await t.db
      .update(flags)
      .set({ status: "snoozed", snoozedUntil: "2027-01-15", snoozeReason: "seen by GP" })
      .where(eq(flags.id, depression.id));
    const [lastEventBefore] = await t.db
      .select({ id: flagEvents.id })
      .from(flagEvents)
      .orderBy(desc(flagEvents.id))
      .limit(1);

    // One visit: depression worse (severity changed and unsnoozed: two events, one version),
    // suicide risk opens, vitamin D no longer low (auto-resolved), bone density kept as it is.
    const later = new Date("2026-11-26T12:30:00.250Z");
    const second = await recordVisit(
      c,
      world.patientId,
      {
        occurredOn: "2026-11-26",
        observations: [
          { kind: "phq9", items: phq9Items(16, 1) },
          { kind: "vitaminD", value: 40, unit: "ng/mL" },
        ],
      },
      later,
    );
    expect(second.flags).toEqual(await storedUnresolved(world.patientId));
    expect(second.flags[0]?.code).toBe("safety.suicide-risk");
    const all = await t.db.select().from(flags).where(eq(flags.patientId, world.patientId));
    const dep = all.find((f) => f.id === depression.id)!;
    expect(dep).toMatchObject({
      severity: "high",
      status: "open",
      snoozedUntil: null,
      version: depression.version + 1,
      lastAssessmentId: second.assessment.id,
      updatedBy: world.actor.userId,
    });
    expect(dep.updatedAt.toISOString()).toBe(later.toISOString());
    const bone = all.find((f) => f.code === "bone.osteoporosis" && f.status !== "resolved")!;
    const boneBefore = first.flags.find((f) => f.code === "bone.osteoporosis")!;
    // Still firing without change: only its last assessment moves.
    expect(bone).toMatchObject({
      version: boneBefore.version,
      lastAssessmentId: second.assessment.id,
    });
    expect(bone.updatedAt.toISOString()).toBe(NOW.toISOString());
    const resolved = all.filter((f) => f.status === "resolved");
    expect(resolved.length).toBeGreaterThan(0);
    for (const f of resolved) {
      expect(f.code.startsWith("vitd.")).toBe(true);
      expect(f).toMatchObject({
        resolutionCode: "no-longer-met",
        resolvedBy: null,
        version: 2,
        lastAssessmentId: second.assessment.id,
      });
      expect(f.resolvedAt?.toISOString()).toBe(later.toISOString());
    }
    const events = await t.db
      .select()
      .from(flagEvents)
      .where(and(eq(flagEvents.patientId, world.patientId), gt(flagEvents.id, lastEventBefore!.id)))
      .orderBy(asc(flagEvents.id));
    expect(events.filter((e) => e.flagId === depression.id).map((e) => [e.type, e.data])).toEqual([
      ["severity-changed", { from: "moderate", to: "high" }],
      ["unsnoozed", { reason: "new-observation" }],
    ]);
    expect(events.filter((e) => e.type === "opened").map((e) => e.flagId)).toContain(
      second.flags[0]?.id,
    );
    expect(
      events
        .filter((e) => e.type === "auto-resolved")
        .map((e) => e.flagId)
        .sort(),
    ).toEqual(resolved.map((f) => f.id).sort());
    // Opened and kept flags' events come first (in assessment order), auto-resolved ones last.
    const firstAutoResolved = events.findIndex((e) => e.type === "auto-resolved");
    expect(events.slice(firstAutoResolved).every((e) => e.type === "auto-resolved")).toBe(true);
    await expectStateMatchesLatest(world.patientId);
    const [state] = await t.db
      .select()
      .from(patientState)
      .where(eq(patientState.patientId, world.patientId));
    expect(state).toMatchObject({
      priority: "urgent",
      openFlagCount: second.flags.length,
      lastVisitOn: "2026-11-26",
    });
    const [audit] = await auditEventsWhere(
      t.db,
      eq(auditEvents.entityId, second.visit.id),
      eq(auditEvents.action, "visits.create"),
    );
    expect(audit).toMatchObject({
      actorId: world.actor.userId,
      patientId: world.patientId,
      entityType: "visit",
      detail: {
        observations: 2,
        kinds: ["phq9", "vitaminD"],
        priority: second.assessment.priority,
        source: "form",
      },
    });
    expect(second.visit).toEqual({
      id: second.visit.id,
      patientId: world.patientId,
      occurredOn: "2026-11-26",
      recordedAt: later.toISOString(),
    });

    // The depression screen improves: its flag resolves, the critical one waits for a person.
    const third = await recordVisit(
      c,
      world.patientId,
      { occurredOn: "2026-11-27", observations: [{ kind: "phq9", items: phq9Items(3, 0) }] },
      later,
    );
    expect(third.flags).toEqual(await storedUnresolved(world.patientId));
    expect(third.flags.map((f) => f.code)).toContain("safety.suicide-risk");
    expect(third.flags.map((f) => f.code)).not.toContain("depression.positive");
    await expectStateMatchesLatest(world.patientId);
  });
});
