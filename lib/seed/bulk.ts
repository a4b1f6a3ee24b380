import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deferSchemaIfEmpty, restoreDeferredSchema } from "@/db/deferred-schema";
import type { Patient } from "@/db/schema";
import { recordAudit } from "@/lib/server/audit";
import { simulatePatientHistory, type PatientRows } from "./bulk-simulate";
import { toastCompression, writeBatch } from "./bulk-write";
import type { SyntheticPatient } from "./cohort";
import { seedHistory } from "./history";

/*
 * Bulk seed: the same cohort, the same visit histories and the same decisions as the use-case
 * seed (recordVisit for every visit, then updateFlag for the care team's work), computed in memory
 * per patient (lib/seed/bulk-simulate.ts) and written in large batches (lib/seed/bulk-write.ts).
 * "The same decisions" is by construction:
 *
 * - observations are validated and normalised by `validateVisitObservations`, as `recordVisit`
 *   does;
 * - each assessment is the pure `assess` as of the visit date over the patient's observations up
 *   to that date, ordered by (effective, recorded_at), as `reassessPatient` loads them;
 * - flags and their events come from `planReconciliation` and patient_state from
 *   `planPatientState`, the same pure functions `reassessPatient` and `refreshPatientState` run;
 * - the care team's work is `careTeamSteps` (shared with the use-case seed), each step planned by
 *   `planFlagAction`, as `updateFlag` plans it: the changed columns, version + 1, one flag event,
 *   and patient_state refreshed when the status changes.
 *
 * What differs, on purpose: ids are generated here (random UUIDs, as the database would);
 * assessments.created_at is the visit's time (the use-case path stamps the wall clock of the seed
 * run), so "latest assessment" still means the last visit; one `seed.bulk` audit event per run
 * replaces the per-visit `visits.create` and per-action `flags.update` events.
 *
 * On a database where the tables it fills are empty, their plain indexes, foreign keys and primary
 * keys are set aside during the load and restored at its end (db/deferred-schema.ts): one sorted
 * build and one set-based check each instead of per-row work.
 */

/** Patients computed and written per transaction. */
export const BULK_BATCH_PATIENTS = 500;

/** One progress line: a bar, the percentage, patients done of all, patients per second, ETA. */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  const width = 24;
  const fraction = total === 0 ? 1 : done / total;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
  return (
    `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)} % ` +
    `${done}/${total} patients, ${Math.round(rate)}/s, ETA ${eta} s`
  );
}

interface ExistingPatient {
  id: string;
  site_id: string;
  mrn: string;
  birth_date: string;
  sex: Patient["sex"];
  postmenopausal: boolean | null;
  has_visit: boolean;
}

export interface BulkSeedCounts {
  patients: number;
  visits: number;
  observations: number;
  assessments: number;
  flags: number;
  flagEvents: number;
}

/** The tables the bulk seed fills. */
const BULK_TABLES = ["visits", "observations", "assessments", "flags", "flag_events"] as const;

/**
 * Records the histories of the cohort's patients that have no visit yet, in memory and in
 * batches (see the top of this file). `cohort[i]` gets `seedHistory(…, 7919 * (i + 1))`, as in the
 * use-case seed. Writes one `seed.bulk` audit event. Returns the number of visits recorded.
 */
export async function seedBulkHistories(
  db: Db,
  cohort: readonly Pick<SyntheticPatient, "siteCode" | "mrn" | "birthDate" | "sex">[],
  siteIds: Record<string, string>,
  today: string,
  options: {
    actors: { clinicianId: string; careId: string | null };
    log?: (line: string) => void;
    batchPatients?: number;
  },
): Promise<BulkSeedCounts> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchPatients ?? BULK_BATCH_PATIENTS;
  const ids = Object.values(siteIds);
  const counts: BulkSeedCounts = {
    patients: 0,
    visits: 0,
    observations: 0,
    assessments: 0,
    flags: 0,
    flagEvents: 0,
  };
  if (ids.length === 0) return counts;
  const result = await db.execute(
    sql`select p.id, p.site_id, p.mrn, p.birth_date::text as birth_date, p.sex, p.postmenopausal,
               exists (select 1 from visits v where v.patient_id = p.id) as has_visit
        from patients p
        where p.site_id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  const existing = (result as { rows: ExistingPatient[] }).rows;
  const byKey = new Map(existing.map((r) => [`${r.site_id}|${r.mrn}`, r]));
  const compression = await toastCompression(db);
  const writeHistories = async (): Promise<void> => {
    const started = Date.now();
    let batch: PatientRows[] = [];
    // One batch is written while the next is computed (PostgreSQL works on its own core meanwhile).
    let writing: Promise<void> = Promise.resolve();
    const failed: { error: Error | null } = { error: null };
    const startWrite = async (rows: PatientRows[]) => {
      await writing;
      if (failed.error) throw failed.error;
      writing = writeBatch(db, rows, compression).then(
        () => {
          for (const b of rows) {
            counts.patients += 1;
            counts.visits += b.visits.length;
            counts.observations += b.observations.length;
            counts.assessments += b.assessments.length;
            counts.flags += b.flags.length;
            counts.flagEvents += b.flagEvents.length;
          }
        },
        (error: unknown) => {
          failed.error = error instanceof Error ? error : new Error(String(error));
        },
      );
    };
    for (const [index, p] of cohort.entries()) {
      // Let the pending write's statements go out while this batch is computed.
      if (index % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      const row = byKey.get(`${siteIds[p.siteCode]}|${p.mrn}`);
      if (!row || row.has_visit) continue;
      const history = seedHistory(p, today, 7919 * (index + 1));
      if (history.length === 0) continue;
      batch.push(
        simulatePatientHistory(
          {
            id: row.id,
            siteId: row.site_id,
            mrn: row.mrn,
            birthDate: row.birth_date,
            sex: row.sex,
            postmenopausal: row.postmenopausal,
          },
          history,
          options.actors,
          today,
        ),
      );
      if (batch.length >= batchSize) {
        await startWrite(batch);
        batch = [];
        log(progressLine(index + 1, cohort.length, Date.now() - started));
      }
    }
    await startWrite(batch);
    await writing;
    if (failed.error) throw failed.error;
    log(progressLine(cohort.length, cohort.length, Date.now() - started));
  };
  const deferred = await deferSchemaIfEmpty(db, {
    empty: BULK_TABLES,
    indexTables: BULK_TABLES,
    foreignKeyTables: [...BULK_TABLES, "patient_state"],
  });
  try {
    await writeHistories();
  } finally {
    // Also after a failure: the schema must keep every index and key it had.
    if (deferred > 0) log(`restoring ${deferred} indexes and keys…`);
    await restoreDeferredSchema(db);
  }
  // Fresh statistics and visibility maps, so that the first queries after a large seed get the
  // plans (index-only scans included) they will have once autovacuum has been by. The large
  // TOASTed result documents need no vacuum.
  await db.execute(
    sql`vacuum (analyze, process_toast false) patients, visits, observations, assessments, flags, flag_events, patient_state`,
  );
  if (counts.visits > 0) {
    await recordAudit(db, null, {
      action: "seed.bulk",
      actorEmail: "seed",
      userAgent: "seed",
      detail: { today, cohort: cohort.length, ...counts },
    });
  }
  return counts;
}
