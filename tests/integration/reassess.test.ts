import { and, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assessments, auditEvents, flags, patientState } from "@/db/schema";
import { RULESET_VERSION } from "@/lib/clinical";
import { reassessAgedPatients, reassessIfOutdated } from "@/lib/server/reassess";
import { testDatabasePerFile } from "../support/db";
import { makeWorld, phq9Items, recordWorldVisit } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

const t = testDatabasePerFile();

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
    await recordWorldVisit(t.db, world, "2025-06-01", [
      { kind: "phq9", items: phq9Items(12) },
      { kind: "falls", countPast12Months: 0 },
    ]);
    expect(await open(world.patientId)).toContain("depression.positive");
    const fresh = await makeWorld(t.db);
    await recordWorldVisit(t.db, fresh, "2026-11-26", [{ kind: "phq9", items: phq9Items(3) }]);

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

  it("re-assesses a result of an earlier ruleset with the current one and keeps the old result as it was", async () => {
    const world = await makeWorld(t.db, { patient: { birthDate: "1950-01-01" } });
    // A PHQ-9 total of 24 entered without item 9: under 2026.11.0 an info flag ("ask at the next
    // contact"); under the current ruleset a high flag (ask today).
    await recordWorldVisit(t.db, world, "2026-11-26", [{ kind: "phq9", total: 24 }]);
    // Make the stored result one of the previous ruleset, as an older deployment would have left it.
    const [stored] = await t.db
      .select()
      .from(assessments)
      .where(eq(assessments.patientId, world.patientId));
    const oldResult = {
      ...(stored!.result as Record<string, unknown>),
      rulesetVersion: "2026.11.0",
    };
    await t.db
      .update(assessments)
      .set({ rulesetVersion: "2026.11.0", result: oldResult })
      .where(eq(assessments.id, stored!.id));

    // Same day: only the version differs, and that is enough.
    expect(await reassessIfOutdated(t.db, world.patientId, "2026-11-26")).toBe(true);
    const rows = await t.db
      .select()
      .from(assessments)
      .where(eq(assessments.patientId, world.patientId));
    expect(rows.map((r) => r.rulesetVersion).sort()).toEqual(["2026.11.0", RULESET_VERSION].sort());
    const old = rows.find((r) => r.id === stored!.id)!;
    expect(old.result).toEqual(oldResult);
    const [flag] = await t.db
      .select()
      .from(flags)
      .where(
        and(eq(flags.patientId, world.patientId), eq(flags.code, "safety.suicide-item-unknown")),
      );
    expect(flag?.severity).toBe("high");
    const audit = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "assessments.reassess"),
      eq(auditEvents.patientId, world.patientId),
    );
    expect(audit.map((a) => (a.detail as { reason?: string }).reason)).toEqual(["new ruleset"]);
    // Up to date now: neither the single-patient check nor the job does it again.
    expect(await reassessIfOutdated(t.db, world.patientId, "2026-11-26")).toBe(false);
    expect((await reassessAgedPatients(t.db, "2026-11-26")).reassessed).toBe(0);
  });
});
