import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import type { Actor } from "@/lib/server/context";
import { getQualityMetrics, warmQualityOnce } from "@/lib/server/quality";
import { resolveQualityFilters } from "@/lib/api/quality";
import { computeAggregates } from "@/lib/server/quality/metrics";
import { releaseLease, takeLease } from "@/lib/server/quality/warm";
import { readOnTarget, readTarget, replicaStatus } from "@/lib/server/replica";
import { recordVisit } from "@/lib/server/visits";
import {
  createEmptyPostgresDatabase,
  createTestDatabase,
  testDbKind,
  type TestDatabase,
} from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";

/*
 * Operations on the database: the background warm-up of the landing quality views (under a
 * lease, so one instance at a time) and the choice of where heavy reads run.
 */

let t: TestDatabase;
let clinician: Actor;
let quality: Actor;
let patientId: string;
const NOW = new Date("2026-11-26T09:00:00Z");

beforeAll(async () => {
  // The warm-up on (as with PostgreSQL in production): read by env() on first use.
  process.env.QUALITY_WARM_SECONDS = "5";
  t = await createTestDatabase();
  const world = await makeWorld(t.db, { role: "clinician" });
  clinician = world.actor;
  patientId = world.patientId;
  quality = await makeUser(t.db, "quality", [world.siteId]);
});

afterAll(async () => {
  await t?.dispose();
});

describe("the landing quality views kept warm", () => {
  it("are recomputed after a write, then answered from the cache", async () => {
    expect(await warmQualityOnce(t.db, NOW, "instance-a")).toBeGreaterThan(0);
    expect(await warmQualityOnce(t.db, NOW, "instance-a")).toBe(0);
    const landing = await getQualityMetrics({ db: t.db, actor: quality }, {}, NOW);
    expect(landing.readFrom?.source).toBe("cache");

    await recordVisit({ db: t.db, actor: clinician }, patientId, {
      occurredOn: "2026-11-26",
      observations: [{ kind: "phq9", items: phq9Items(12) }],
    });
    // Until the warm-up has run, the landing view is its recent entry, marked stale.
    const before = await getQualityMetrics({ db: t.db, actor: quality }, {}, NOW);
    expect(before.readFrom).toMatchObject({ source: "cache", stale: true });
    expect(before.computedAt).toBe(landing.computedAt);
    // Both the site's view and the all-sites view are recomputed.
    expect(await warmQualityOnce(t.db, NOW, "instance-a")).toBe(2);
    const after = await getQualityMetrics({ db: t.db, actor: quality }, {}, NOW);
    expect(after.readFrom?.source).toBe("cache");
    expect(after.readFrom?.stale).toBeUndefined();
    // A question nobody warmed is computed on request.
    const other = await getQualityMetrics(
      { db: t.db, actor: quality },
      { from: "2026-01-01" },
      NOW,
    );
    expect(other.readFrom?.source).toBe("primary");
  });

  it("run on one instance at a time: the lease is refused to another holder until released", async () => {
    expect(await takeLease(t.db, "test-lease", "instance-a", 60)).toBe(true);
    expect(await takeLease(t.db, "test-lease", "instance-a", 60)).toBe(true);
    expect(await takeLease(t.db, "test-lease", "instance-b", 60)).toBe(false);
    await releaseLease(t.db, "test-lease", "instance-a");
    expect(await takeLease(t.db, "test-lease", "instance-b", 60)).toBe(true);
  });

  it("rest after a recomputation: nobody, its last holder included, takes the lease until then", async () => {
    expect(await takeLease(t.db, "rest-lease", "instance-a", 60)).toBe(true);
    await releaseLease(t.db, "rest-lease", "instance-a", 30);
    expect(await takeLease(t.db, "rest-lease", "instance-a", 60)).toBe(false);
    expect(await takeLease(t.db, "rest-lease", "instance-b", 60)).toBe(false);
    // The rest has passed.
    await t.db.execute(
      sql`update job_leases set until = now() - interval '1 second' where name = 'rest-lease'`,
    );
    expect(await takeLease(t.db, "rest-lease", "instance-b", 60)).toBe(true);
  });

  it("are computed in one lane in the background, with the same numbers as a request's two", async () => {
    const filters = resolveQualityFilters({}, "2026-11-26");
    const siteIds = quality.siteIds;
    const two = await computeAggregates(t.db, filters, siteIds, NOW);
    const one = await computeAggregates(t.db, filters, siteIds, NOW, { background: true });
    expect(one.data).toEqual(two.data);
    expect(Number(one.data.scope[0]?.n)).toBeGreaterThan(0);
  });

  it("leave the work to the lease holder", async () => {
    await recordVisit({ db: t.db, actor: clinician }, patientId, {
      occurredOn: "2026-11-26",
      observations: [{ kind: "phq9", items: phq9Items(5) }],
    });
    expect(await takeLease(t.db, "quality-warm", "instance-b", 60)).toBe(true);
    expect(await warmQualityOnce(t.db, NOW, "instance-a")).toBeNull();
    await releaseLease(t.db, "quality-warm", "instance-b");
    expect(await warmQualityOnce(t.db, NOW, "instance-a")).toBe(2);
  });
});

describe("where heavy reads run", () => {
  it("without a replica: the primary", async () => {
    expect((await replicaStatus(t.db)).state).toBe("none");
    const target = await readTarget(t.db);
    expect(target.source).toBe("primary");
    expect(target.db).toBe(t.db);
  });

  describe.runIf(testDbKind() === "postgres")("with a replica that does not answer", () => {
    let database: Database;
    let empty: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>;
    beforeAll(async () => {
      empty = await createEmptyPostgresDatabase();
      const replica = new URL(empty.url);
      replica.port = "1"; // nothing listens there
      database = await openDatabase(
        { kind: "postgres", url: empty.url, poolMax: 2, replicaUrl: replica.toString() },
        { migrate: "apply" },
      );
    });
    afterAll(async () => {
      await database?.close();
      await empty?.drop();
    });

    it("is reported down, and the reads go to the primary", async () => {
      expect((await replicaStatus(database.db)).state).toBe("down");
      const { result, target } = await readOnTarget(database.db, () => Promise.resolve(42));
      expect(result).toBe(42);
      expect(target.source).toBe("primary");
      expect(target.replica.state).toBe("down");
    });
  });
});
