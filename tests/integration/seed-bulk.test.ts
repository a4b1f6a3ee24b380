import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { seedDemo } from "@/lib/seed/demo";
import { progressLine } from "@/lib/seed/bulk";
import { createTestDatabase, type TestDatabase } from "../support/db";

/*
 * The bulk seed must write exactly what the use-cases write. One cohort, one `today`, seeded twice:
 * through recordVisit/updateFlag into one database and through the bulk path into another; then
 * every row is compared per patient (by MRN). Ignored, because they legitimately differ: generated
 * ids (uuids, identity columns; references are compared through what they point at),
 * assessments.created_at (the use-case path stamps the seed run's wall clock, the bulk path the
 * visit's time) and audit events (one `visits.create` per visit and one `flags.update` per action
 * against one `seed.bulk` per run).
 */

const PATIENTS = 30;
const TODAY = "2026-11-26";

let useCase: TestDatabase;
let bulk: TestDatabase;
beforeAll(async () => {
  useCase = await createTestDatabase();
  bulk = await createTestDatabase();
  await seedDemo(useCase.db, {
    patients: PATIENTS,
    password: "demo-password",
    today: TODAY,
    bulk: false,
  });
  await seedDemo(bulk.db, {
    patients: PATIENTS,
    password: "demo-password",
    today: TODAY,
    bulk: true,
  });
}, 300_000);
afterAll(async () => {
  await useCase?.dispose();
  await bulk?.dispose();
});

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  return ((await db.execute(query)) as { rows: Record<string, unknown>[] }).rows;
}

/** Everything the seed wrote, keyed by MRN, with ids replaced by what they refer to. */
async function snapshot(db: Db) {
  const visits = await rows(
    db,
    sql`select p.mrn, v.occurred_on::text, v.source, to_json(v.recorded_at)#>>'{}' as recorded_at,
               u.email as recorded_by
        from visits v join patients p on p.id = v.patient_id left join users u on u.id = v.recorded_by
        order by p.mrn, v.occurred_on`,
  );
  const observations = await rows(
    db,
    sql`select p.mrn, v.occurred_on::text as visit_on, o.kind, o.effective::text, o.payload, o.value_num,
               to_json(o.recorded_at)#>>'{}' as recorded_at, u.email as recorded_by,
               o.entered_in_error_at
        from observations o join patients p on p.id = o.patient_id
        join visits v on v.id = o.visit_id left join users u on u.id = o.recorded_by
        order by p.mrn, o.effective, o.kind, o.payload::text`,
  );
  const assessments = await rows(
    db,
    sql`select p.mrn, a.as_of::text, a.ruleset_version, a.priority, a.result,
               v.occurred_on::text as visit_on, u.email as created_by
        from assessments a join patients p on p.id = a.patient_id
        left join visits v on v.id = a.visit_id left join users u on u.id = a.created_by
        order by p.mrn, a.as_of`,
  );
  const flags = await rows(
    db,
    sql`select p.mrn, f.code, f.severity, f.status, f.ruleset_version, to_json(f.opened_at)#>>'{}' as opened_at,
               oa.as_of::text as opened_as_of, la.as_of::text as last_as_of, f.due_on::text,
               ua.email as assignee, to_json(f.acknowledged_at)#>>'{}' as acknowledged_at,
               uk.email as acknowledged_by, f.snoozed_until::text, f.snooze_reason,
               to_json(f.resolved_at)#>>'{}' as resolved_at, ur.email as resolved_by,
               f.resolution_code, f.resolution_note, f.version,
               to_json(f.updated_at)#>>'{}' as updated_at, uu.email as updated_by
        from flags f join patients p on p.id = f.patient_id
        left join assessments oa on oa.id = f.opened_assessment_id
        left join assessments la on la.id = f.last_assessment_id
        left join users ua on ua.id = f.assignee_id
        left join users uk on uk.id = f.acknowledged_by
        left join users ur on ur.id = f.resolved_by
        left join users uu on uu.id = f.updated_by
        order by p.mrn, f.opened_at, f.code`,
  );
  const events = await rows(
    db,
    sql`select p.mrn, f.code, to_json(f.opened_at)#>>'{}' as flag_opened_at, e.type,
               to_json(e.at)#>>'{}' as at, u.email as actor,
               e.data - 'assessmentId' - 'assigneeId' as data,
               (select as_of::text from assessments a where a.id::text = e.data->>'assessmentId') as assessment_as_of,
               (select email from users x where x.id::text = e.data->>'assigneeId') as data_assignee
        from flag_events e join flags f on f.id = e.flag_id join patients p on p.id = e.patient_id
        left join users u on u.id = e.actor_id
        order by p.mrn, f.opened_at, f.code, e.at, e.type`,
  );
  const state = await rows(
    db,
    sql`select p.mrn, s.code as site, ps.priority, ps.priority_rank, ps.open_flag_codes,
               ps.open_flag_count, to_json(ps.oldest_open_flag_at)#>>'{}' as oldest_open_flag_at,
               a.as_of::text as last_assessment_as_of, ps.last_visit_on::text,
               to_json(ps.updated_at)#>>'{}' as updated_at
        from patient_state ps join patients p on p.id = ps.patient_id
        join sites s on s.id = ps.site_id
        left join assessments a on a.id = ps.last_assessment_id
        order by p.mrn`,
  );
  return { visits, observations, assessments, flags, events, state };
}

describe("bulk seed", () => {
  it("writes exactly the rows the use-cases write (assessments, flags, events, patient_state)", async () => {
    const a = await snapshot(useCase.db);
    const b = await snapshot(bulk.db);
    // The cohort is big enough to exercise the interesting paths.
    expect(a.visits.length).toBeGreaterThan(PATIENTS);
    expect(new Set(a.flags.map((f) => f.status))).toEqual(
      new Set(["open", "acknowledged", "snoozed", "resolved"]),
    );
    expect(a.events.some((e) => e.type === "auto-resolved")).toBe(true);
    expect(a.flags.some((f) => f.resolution_code === "no-longer-met")).toBe(true);

    expect(b.visits).toEqual(a.visits);
    expect(b.observations).toEqual(a.observations);
    expect(b.assessments).toEqual(a.assessments);
    expect(b.flags).toEqual(a.flags);
    expect(b.events).toEqual(a.events);
    expect(b.state).toEqual(a.state);
  });

  it("writes one seed.bulk audit event instead of one per visit, and is idempotent", async () => {
    const audit = await rows(
      bulk.db,
      sql`select action, count(*)::int as n from audit_events group by action order by action`,
    );
    expect(audit).toEqual([{ action: "seed.bulk", n: 1 }]);
    const again = await seedDemo(bulk.db, {
      patients: PATIENTS,
      password: "demo-password",
      today: TODAY,
      bulk: true,
    });
    expect(again.visitsRecorded).toBe(0);
  });

  it("leaves every index and key it set aside on the fresh database, as migrated", async () => {
    const indexes = (db: Db) =>
      rows(
        db,
        sql`select tablename, indexname, indexdef from pg_indexes
            where schemaname = current_schema() order by tablename, indexname`,
      );
    const constraints = (db: Db) =>
      rows(
        db,
        sql`select c.conrelid::regclass::text as tbl, c.conname, pg_get_constraintdef(c.oid) as def
            from pg_constraint c join pg_namespace n on n.oid = c.connamespace
            where n.nspname = current_schema() order by 1, 2`,
      );
    const built = await indexes(bulk.db);
    expect(built.map((r) => r.indexname)).toContain("observations_quality_idx");
    expect(built).toEqual(await indexes(useCase.db));
    const keys = await constraints(bulk.db);
    expect(keys.map((r) => r.conname)).toContain("observations_visit_id_visits_id_fk");
    expect(keys).toEqual(await constraints(useCase.db));
    expect(await rows(bulk.db, sql`select * from deferred_schema`)).toEqual([]);
  });

  it("draws a progress bar", () => {
    expect(progressLine(42_000, 100_000, 23_000)).toBe(
      "[##########--------------]  42 % 42000/100000 patients, 1826/s, ETA 32 s",
    );
  });
});
