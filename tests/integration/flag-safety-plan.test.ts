import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flags } from "@/db/schema";
import { flagActionSchema } from "@/lib/api/worklist";
import { updateFlag } from "@/lib/server/flags";
import { listPatients } from "@/lib/server/patients";
import { testDatabasePerFile } from "../support/db";
import { makeWorld, phq9Items, recordWorldVisit } from "../support/fixtures";

const t = testDatabasePerFile();

const NOW = new Date("2026-11-26T12:00:00Z");

async function flagOf(patientId: string, code: string) {
  const [row] = await t.db
    .select()
    .from(flags)
    .where(and(eq(flags.patientId, patientId), eq(flags.code, code)));
  return row!;
}

describe("the critical flag acted on from the patient page", () => {
  it("shows on the list until acknowledged; a safety plan resolves it, only that flag", async () => {
    const world = await makeWorld(t.db);
    const ctx = { db: t.db, actor: world.actor };
    await recordWorldVisit(
      t.db,
      world,
      "2026-11-26",
      [
        { kind: "phq9", items: phq9Items(14, 2) },
        { kind: "bmd", site: "femoral_neck", tScore: -2.7 },
      ],
      NOW,
    );
    const listed = async () =>
      (await listPatients(ctx, { limit: 10 })).items.find((p) => p.id === world.patientId)!;
    expect((await listed()).unacknowledgedCritical).toBe(true);

    const suicide = await flagOf(world.patientId, "safety.suicide-risk");
    await updateFlag(ctx, suicide.id, { action: "acknowledge", version: suicide.version }, NOW);
    expect((await listed()).unacknowledgedCritical).toBe(false);

    // A stale version is refused naming who changed the flag.
    const stale = await updateFlag(
      ctx,
      suicide.id,
      flagActionSchema.parse({ action: "resolve", reason: "safety-plan-done", version: 1 }),
      NOW,
    ).catch((error: unknown) => error);
    expect(stale).toMatchObject({ kind: "conflict" });
    expect((stale as Error).message).toContain("changed by");

    const acknowledged = await flagOf(world.patientId, "safety.suicide-risk");
    const other = await flagOf(world.patientId, "depression.positive");
    await expect(
      updateFlag(
        ctx,
        other.id,
        flagActionSchema.parse({
          action: "resolve",
          reason: "safety-plan-done",
          version: other.version,
        }),
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });

    await updateFlag(
      ctx,
      acknowledged.id,
      flagActionSchema.parse({
        action: "resolve",
        reason: "safety-plan-done",
        version: acknowledged.version,
      }),
      NOW,
    );
    const resolved = await flagOf(world.patientId, "safety.suicide-risk");
    expect(resolved).toMatchObject({ status: "resolved", resolutionCode: "safety-plan-done" });
  });
});
