import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { assessments, patients, patientState } from "@/db/schema";
import { RULESET_VERSION } from "@/lib/clinical/policy";
import { reassessPatient } from "./assessments";
import { todayIso } from "./dates";
import { trimQualityCache } from "./quality";
import { listSiteZones } from "./sites";

/** Patients re-assessed per transaction batch of the aging job. */
export const REASSESS_BATCH = 200;

export interface ReassessRun {
  asOf: string;
  examined: number;
  reassessed: number;
}

/**
 * Data ages without anyone recording anything (a PHQ-9 leaves its usable window, a DXA falls due,
 * a snooze ends), and rules change with a new ruleset version. This re-assesses every patient
 * whose latest assessment is older than today at the patient's site (or than `asOf` when given,
 * for every site), or was made by another ruleset version, with the same use-case as a visit
 * (flags reconciled, patient_state updated, audited per patient with the system as actor). Old
 * results are kept as they were: a new assessment is added. Idempotent and safe to run from
 * several instances at once: each patient is locked and re-checked inside its own transaction.
 * The run's `asOf` is the latest date it assessed as of.
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
          sql`(${assessments.asOf} < ${asOf}::date or ${assessments.rulesetVersion} <> ${RULESET_VERSION}) and ${patientState.patientId} > ${after}::uuid`,
          siteIds === null ? undefined : inArray(patientState.siteId, [...siteIds]),
        ),
      )
      .orderBy(patientState.patientId)
      .limit(REASSESS_BATCH);
    if (due.length === 0) break;
    for (const { id } of due) {
      examined++;
      if (await reassessIfOutdated(db, id, asOf, now)) reassessed++;
      if (options.limit && reassessed >= options.limit) return { asOf, examined, reassessed };
    }
    after = due[due.length - 1]!.id;
    options.log?.(`examined ${examined}, re-assessed ${reassessed}`);
  }
  return { asOf, examined, reassessed };
}

/**
 * Re-assesses one patient as of `asOf` when the latest assessment is older than that day or was
 * made by another ruleset version; false when it was already up to date. The caller has checked
 * the patient is in scope (a patient page opened today, or the job).
 */
export async function reassessIfOutdated(
  db: Db,
  patientId: string,
  asOf: string,
  now: Date = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [patient] = await tx
      .select()
      .from(patients)
      .where(eq(patients.id, patientId))
      .for("update");
    if (!patient) return false;
    // Checked again under the lock: another instance may have done it since the list was read.
    const [latest] = await queryRows<{ as_of: string; ruleset_version: string }>(
      tx,
      sql`select a.as_of::text as as_of, a.ruleset_version from patient_state s join assessments a on a.id = s.last_assessment_id where s.patient_id = ${patientId}`,
    );
    if (!latest || (latest.as_of >= asOf && latest.ruleset_version === RULESET_VERSION))
      return false;
    await reassessPatient(tx, null, patient, {
      asOf,
      changedKinds: [],
      now,
      audit: (assessment) => ({
        action: "assessments.reassess",
        actorEmail: "system",
        patientId,
        entityType: "patient",
        entityId: patientId,
        detail: {
          asOf,
          priority: assessment.priority,
          reason: latest.ruleset_version === RULESET_VERSION ? "data aged" : "new ruleset",
        },
      }),
    });
    return true;
  });
}
