import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, flags, patientState } from "@/db/schema";
import { reassessAgedPatients } from "@/lib/server/reassess";
import { recordVisit } from "@/lib/server/visits";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { makeWorld, phq9Items } from "../support/fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.dispose();
});

const open = async (patientId: string) =>
  (
    await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, patientId), ne(flags.status, "resolved")))
  )
    .map((f) => f.code)
    .sort();

describe("re-assessment as data ages", () => {
  it("re-flags a patient whose screen went stale, once, and leaves up-to-date patients alone", async () => {
    const world = await makeWorld(t.db, { patient: { birthDate: "1950-01-01" } });
    const ctx = { db: t.db, actor: world.actor };
    await recordVisit(
      ctx,
      world.patientId,
      {
        occurredOn: "2025-06-01",
        observations: [
          { kind: "phq9", items: phq9Items(12) },
          { kind: "falls", countPast12Months: 0 },
        ],
      },
      new Date("2025-06-01T10:00:00Z"),
    );
    expect(await open(world.patientId)).toContain("depression.positive");
    const fresh = await makeWorld(t.db);
    await recordVisit(
      { db: t.db, actor: fresh.actor },
      fresh.patientId,
      { occurredOn: "2026-11-26", observations: [{ kind: "phq9", items: phq9Items(3) }] },
      new Date("2026-11-26T10:00:00Z"),
    );

    const run = await reassessAgedPatients(t.db, "2026-11-26", new Date("2026-11-26T12:00:00Z"));
    expect(run.reassessed).toBe(1);
    // The PHQ-9 of June 2025 is past its 365-day usable window: no longer a positive screen, and a
    // screen is due; the falls screen is due again too.
    const codes = await open(world.patientId);
    expect(codes).not.toContain("depression.positive");
    expect(codes).toEqual(expect.arrayContaining(["depression.screen-due", "falls.screen-due"]));
    const [positive] = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, world.patientId), eq(flags.code, "depression.positive")));
    expect(positive?.resolutionCode).toBe("no-longer-met");
    const [state] = await t.db
      .select()
      .from(patientState)
      .where(eq(patientState.patientId, world.patientId));
    expect([...(state?.openFlagCodes ?? [])].sort()).toEqual(codes);
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "assessments.reassess"));
    expect(audit.map((a) => a.patientId)).toEqual([world.patientId]);

    // Idempotent: nothing is due any more.
    expect((await reassessAgedPatients(t.db, "2026-11-26")).reassessed).toBe(0);
  });
});
