import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { patients } from "@/db/schema";
import type { QualityMetric, QualityMetricsResponse } from "@/lib/api/quality";
import type { Actor, Ctx } from "@/lib/server/context";
import { exportQualityMetric, getQualityMetrics } from "@/lib/server/quality";
import { reassessAgedPatients } from "@/lib/server/reassess";
import { recordVisit } from "@/lib/server/visits";
import { testDbKind, testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";

/*
 * The quality result cache: a repeated request on unchanged data is served from
 * quality_cache, and every change to what the metrics count (through a use-case, a hand-written
 * statement or a transaction still open while the numbers were computed) or the passing of a
 * critical flag's 24 hours makes the next request compute again, with the numbers a computation
 * from scratch gives.
 */

const t = testDatabasePerFile();
let clinician: Actor;
let quality: Ctx;
let siteId: string;
const ids: string[] = [];

const H = 3_600_000;
const OPENED = new Date("2026-11-25T10:00:00Z");

async function metrics(now: Date, query = {}): Promise<QualityMetricsResponse> {
  return getQualityMetrics(quality, query, now);
}

/** The same request computed from scratch (the cache emptied first). */
async function fresh(now: Date, query = {}): Promise<QualityMetricsResponse> {
  await t.db.execute(sql`delete from quality_cache`);
  return metrics(now, query);
}

const metric = (r: QualityMetricsResponse, id: string): QualityMetric =>
  r.metrics.find((m) => m.id === id)!;

const numbers = (r: QualityMetricsResponse) => r.metrics;

async function cachedEntries(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from quality_cache`,
  );
  return row!.n;
}

beforeAll(async () => {
  const world = await makeWorld(t.db, { role: "clinician" });
  clinician = world.actor;
  siteId = world.siteId;
  quality = { db: t.db, actor: await makeUser(t.db, "quality", [siteId]) };
  const rows = await t.db
    .insert(patients)
    .values(
      Array.from({ length: 11 }, (_, i) => ({
        siteId,
        mrn: `QC-${i}`,
        givenName: `Given${i}`,
        familyName: `Family${i}`,
        birthDate: "1950-01-15",
        sex: "female" as const,
        postmenopausal: true,
      })),
    )
    .returning({ id: patients.id });
  ids.push(...rows.map((r) => r.id));
  // A critical suicide-risk flag for each of the 11, opened 2026-11-25 10:00 UTC.
  for (const id of ids) {
    await recordVisit(
      { db: t.db, actor: clinician },
      id,
      {
        occurredOn: "2026-11-25",
        observations: [{ kind: "phq9", items: phq9Items(14, 1), effective: "2026-11-25" }],
      },
      OPENED,
    );
  }
});

describe("quality result cache", () => {
  it("serves a repeated request from the cache, with the same numbers", async () => {
    const now = new Date(OPENED.getTime() + 2 * H);
    const first = await fresh(now);
    expect(first.computedAt).toBeTruthy();
    const again = await metrics(new Date(now.getTime() + 60_000));
    expect(again.computedAt).toBe(first.computedAt);
    expect(again.generatedAt).not.toBe(first.generatedAt);
    expect(numbers(again)).toEqual(numbers(first));
    // Exports read the same entry.
    await exportQualityMetric(
      quality,
      { metric: "screening.depression" },
      new Date(now.getTime() + 120_000),
    );
    const third = await metrics(new Date(now.getTime() + 180_000));
    expect(third.computedAt).toBe(first.computedAt);
  });

  it("keeps one entry per set of filters", async () => {
    const now = new Date(OPENED.getTime() + 2 * H);
    await fresh(now);
    const bySex = await metrics(now, { sex: "female" });
    expect(await cachedEntries()).toBe(2);
    const bySexAgain = await metrics(now, { sex: "female" });
    expect(bySexAgain.computedAt).toBe(bySex.computedAt);
    const other = await metrics(now, { from: "2026-01-01" });
    expect(other.computedAt).not.toBe(bySex.computedAt);
    expect(await cachedEntries()).toBe(3);
  });

  it("computes again after a visit is recorded, and counts it", async () => {
    const now = new Date(OPENED.getTime() + 3 * H);
    const before = await fresh(now);
    await recordVisit(
      { db: t.db, actor: clinician },
      ids[0]!,
      {
        occurredOn: "2026-11-25",
        observations: [
          { kind: "bmd", site: "femoral_neck", tScore: -2.8, effective: "2026-11-25" },
        ],
      },
      new Date(now.getTime() - H),
    );
    const after = await metrics(now);
    expect(after.computedAt).not.toBe(before.computedAt);
    const dxa = (r: QualityMetricsResponse) => metric(r, "screening.dxa").numerator;
    expect(dxa(after)).not.toEqual(dxa(before));
    expect(numbers(after)).toEqual(numbers(await fresh(now)));
  });

  it("computes again after a hand-written change to a patient", async () => {
    const now = new Date(OPENED.getTime() + 4 * H);
    const before = await fresh(now);
    const cached = await metrics(now);
    expect(cached.computedAt).toBe(before.computedAt);
    await t.db.update(patients).set({ sex: "male" }).where(eq(patients.id, ids[1]!));
    const after = await metrics(now);
    expect(after.computedAt).not.toBe(before.computedAt);
    expect(numbers(after)).toEqual(numbers(await fresh(now)));
    await t.db.update(patients).set({ sex: "female" }).where(eq(patients.id, ids[1]!));
  });

  it("computes again when a critical flag's 24 hours pass, and not before", async () => {
    const critical = (r: QualityMetricsResponse) =>
      metric(r, "time-to-action.critical-acknowledged-24h").denominator;
    const early = await fresh(new Date(OPENED.getTime() + 23 * H));
    expect(critical(early)).toBe(0);
    const stillEarly = await metrics(new Date(OPENED.getTime() + 24 * H - 1000));
    expect(stillEarly.computedAt).toBe(early.computedAt);
    const passed = await metrics(new Date(OPENED.getTime() + 24 * H));
    expect(passed.computedAt).not.toBe(early.computedAt);
    expect(critical(passed)).toBe(11);
    // Asked about an earlier moment again, the later entry is not used for it.
    const back = await metrics(new Date(OPENED.getTime() + 23 * H));
    expect(critical(back)).toBe(0);
  });

  it("does not serve an entry older than a day", async () => {
    const now = new Date(OPENED.getTime() + 2 * H);
    const first = await fresh(now);
    await t.db.execute(
      sql`update quality_cache set computed_at = computed_at - interval '25 hours'`,
    );
    const again = await metrics(now);
    expect(again.computedAt).not.toBe(first.computedAt);
  });

  it.skipIf(testDbKind() !== "postgres")(
    "computes again after a write that was still open while the numbers were computed",
    async () => {
      const now = new Date(OPENED.getTime() + 5 * H);
      await t.db.execute(sql`delete from quality_cache`);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      // A writer on another connection: changes a patient, then waits before committing.
      const writer = t.db.transaction(async (tx) => {
        await tx.update(patients).set({ birthDate: "1990-01-01" }).where(eq(patients.id, ids[2]!));
        written();
        await released;
      });
      await wrote;
      const during = await metrics(now);
      release();
      await writer;
      const after = await metrics(now);
      expect(after.computedAt).not.toBe(during.computedAt);
      expect(numbers(after)).toEqual(numbers(await fresh(now)));
      expect(numbers(after)).not.toEqual(numbers(during));
      await t.db.update(patients).set({ birthDate: "1950-01-15" }).where(eq(patients.id, ids[2]!));
    },
  );

  it("leaves one change row per writing transaction, and none for reads", async () => {
    const count = async () =>
      (
        await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from quality_changes`)
      )[0]!.n;
    const before = await count();
    await metrics(new Date(OPENED.getTime() + 2 * H));
    expect(await count()).toBe(before);
    await recordVisit(
      { db: t.db, actor: clinician },
      ids[3]!,
      {
        occurredOn: "2026-11-25",
        observations: [{ kind: "phq9", items: phq9Items(3), effective: "2026-11-25" }],
      },
      new Date(OPENED.getTime() + H),
    );
    expect(await count()).toBe(before + 1);
  });

  it("drops entries older than a day and change rows older than two, also on a re-assessment run", async () => {
    await fresh(new Date(OPENED.getTime() + 2 * H));
    await t.db.execute(
      sql`insert into quality_changes (xid, at) values (1, now() - interval '3 days')`,
    );
    await t.db.execute(sql`update quality_cache set computed_at = now() - interval '2 days'`);
    await reassessAgedPatients(t.db, "2026-11-25");
    const [left] = await queryRows<{ entries: number; old: number; recent: number }>(
      t.db,
      sql`select (select count(*) from quality_cache)::int as entries,
        (select count(*) from quality_changes where xid = 1)::int as old,
        (select count(*) from quality_changes where at > now() - interval '1 day')::int as recent`,
    );
    expect({ entries: left!.entries, old: left!.old }).toEqual({ entries: 0, old: 0 });
    expect(left!.recent).toBeGreaterThan(0);
  });
});
