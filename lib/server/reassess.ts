import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { assessments, patients, patientState } from "@/db/schema";
import { reassessPatient } from "./assessments";
import { trimQualityCache } from "./quality";
import { listSiteZones } from "./sites";
import { todayIso } from "./dates";

/** Patients re-assessed per transaction batch of the aging job. */
export const REASSESS_BATCH = 200;

export interface ReassessRun {
  asOf: string;
  examined: number;
  reassessed: number;
}

/**
 * Data ages without anyone recording anything: a PHQ-9 leaves its usable window, a DXA falls due,
 * a snooze ends. This re-assesses every patient whose latest assessment is older than today at
 * the patient's site (or than `asOf` when given, for every site), with the same use-case as a
 * visit (flags reconciled, patient_state updated, audited per patient with the system as actor).
 * Idempotent and safe to run from several instances at once: each patient is locked and
 * re-checked inside its own transaction. The run's `asOf` is the latest date it assessed as of.
 */
export async function reassessAgedPatients(
  db: Db,
  asOf: string | null,
  now: Date = new Date(),
  options: { limit?: number; log?: (line: string) => void } = {},
): Promise<ReassessRun> {
  await trimQualityCache(db);
  if (asOf !== null) return reassessAsOf(db, asOf, null, now, options);
  const run: ReassessRun = { asOf: todayIso(now), examined: 0, reassessed: 0 };
  const zones = new Map<string, string[]>();
  for (const site of await listSiteZones(db)) {
    zones.set(site.timeZone, [...(zones.get(site.timeZone) ?? []), site.id]);
  }
  for (const [zone, siteIds] of zones) {
    const limit = options.limit ? options.limit - run.reassessed : undefined;
    if (limit !== undefined && limit <= 0) break;
    const day = todayIso(now, zone);
    const part = await reassessAsOf(db, day, siteIds, now, { ...options, limit });
    run.examined += part.examined;
    run.reassessed += part.reassessed;
    if (run.reassessed > 0 && day > run.asOf) run.asOf = day;
  }
  return run;
}

async function reassessAsOf(
  db: Db,
  asOf: string,
  siteIds: readonly string[] | null,
  now: Date,
  options: { limit?: number; log?: (line: string) => void },
): Promise<ReassessRun> {
  let examined = 0;
  let reassessed = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const due = await db
      .select({ id: patientState.patientId })
      .from(patientState)
      .innerJoin(assessments, eq(assessments.id, patientState.lastAssessmentId))
      .where(
        and(
          sql`${assessments.asOf} < ${asOf}::date and ${patientState.patientId} > ${after}::uuid`,
          siteIds === null ? undefined : inArray(patientState.siteId, [...siteIds]),
        ),
      )
      .orderBy(patientState.patientId)
      .limit(REASSESS_BATCH);
    if (due.length === 0) break;
    for (const { id } of due) {
      examined++;
      const done = await db.transaction(async (tx) => {
        const [patient] = await tx.select().from(patients).where(eq(patients.id, id)).for("update");
        if (!patient) return false;
        // Another instance may have done it since the list was read.
        const [latest] = await queryRows<{ as_of: string }>(
          tx,
          sql`select a.as_of::text as as_of from patient_state s join assessments a on a.id = s.last_assessment_id where s.patient_id = ${id}`,
        );
        if (!latest || latest.as_of >= asOf) return false;
        await reassessPatient(tx, null, patient, {
          asOf,
          changedKinds: [],
          now,
          audit: (assessment) => ({
            action: "assessments.reassess",
            actorEmail: "system",
            patientId: id,
            entityType: "patient",
            entityId: id,
            detail: { asOf, priority: assessment.priority, reason: "data aged" },
          }),
        });
        return true;
      });
      if (done) reassessed++;
      if (options.limit && reassessed >= options.limit) return { asOf, examined, reassessed };
    }
    after = due[due.length - 1]!.id;
    options.log?.(`examined ${examined}, re-assessed ${reassessed}`);
  }
  return { asOf, examined, reassessed };
}
