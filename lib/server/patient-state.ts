import { and, asc, eq, ne, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { flags, patientState, type Patient } from "@/db/schema";
import type { Assessment, Priority } from "@/lib/clinical";

/* patient_state: the worklist's row per patient, refreshed in the transaction of every change. */

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = {
  urgent: 4,
  high: 3,
  medium: 2,
  low: 1,
  none: 0,
};

/** patient_state columns other than last_visit_on (which only ever moves forward). */
export interface PatientStateValues {
  patientId: string;
  siteId: string;
  priority: Priority;
  priorityRank: number;
  openFlagCodes: string[];
  openFlagCount: number;
  /** Unresolved flags with the status snoozed (asleep or past their date). */
  snoozedFlagCount: number;
  /** The earliest snoozed_until of those flags (null: none, or every one snoozed without end). */
  snoozeWakesOn: string | null;
  oldestOpenFlagAt: Date | null;
  lastAssessmentId: string | null;
  updatedAt: Date;
}

/**
 * patient_state as a pure function: the latest assessment's priority and the patient's unresolved
 * flags (codes in code order). A critical flag that no longer fires stays open until a person
 * resolves it, and keeps the priority urgent. Shared by `reassessPatient`, `refreshPatientState`
 * and the bulk seed.
 */
export function planPatientState(
  patient: Pick<Patient, "id" | "siteId">,
  assessment: Pick<Assessment, "priority"> | null,
  assessmentId: string | null,
  unresolved: readonly {
    code: string;
    severity: string;
    status: string;
    snoozedUntil: string | null;
    openedAt: Date;
  }[],
  now: Date,
): PatientStateValues {
  const open = [...unresolved].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const keptCritical = open.some((f) => f.severity === "critical");
  const priority: Priority = keptCritical ? "urgent" : (assessment?.priority ?? "none");
  const oldest = open.reduce<Date | null>(
    (min, f) => (min === null || f.openedAt < min ? f.openedAt : min),
    null,
  );
  const snoozed = open.filter((f) => f.status === "snoozed");
  const wakes = snoozed.reduce<string | null>(
    (min, f) =>
      f.snoozedUntil !== null && (min === null || f.snoozedUntil < min) ? f.snoozedUntil : min,
    null,
  );
  return {
    patientId: patient.id,
    siteId: patient.siteId,
    priority,
    priorityRank: PRIORITY_RANK[priority],
    openFlagCodes: open.map((f) => f.code),
    openFlagCount: open.length,
    snoozedFlagCount: snoozed.length,
    snoozeWakesOn: wakes,
    oldestOpenFlagAt: oldest,
    lastAssessmentId: assessmentId,
    updatedAt: now,
  };
}

/**
 * The patient_state upsert. last_visit_on only moves forward: greatest() ignores a null, so a
 * re-assessment without a visit leaves it as it is.
 */
export function upsertPatientState(
  values: PatientStateValues,
  lastVisitOn: string | null | undefined,
): SQL {
  return sql`insert into patient_state (patient_id, site_id, priority, priority_rank, open_flag_codes,
      open_flag_count, snoozed_flag_count, snooze_wakes_on, oldest_open_flag_at, last_assessment_id,
      updated_at, last_visit_on)
    values (${values.patientId}, ${values.siteId}, ${values.priority}, ${values.priorityRank},
      ${sql.param(values.openFlagCodes, patientState.openFlagCodes)}, ${values.openFlagCount},
      ${values.snoozedFlagCount}, ${values.snoozeWakesOn}::date,
      ${values.oldestOpenFlagAt?.toISOString() ?? null}, ${values.lastAssessmentId},
      ${values.updatedAt.toISOString()}, ${lastVisitOn ?? null})
    on conflict (patient_id) do update set site_id = excluded.site_id,
      priority = excluded.priority, priority_rank = excluded.priority_rank,
      open_flag_codes = excluded.open_flag_codes, open_flag_count = excluded.open_flag_count,
      snoozed_flag_count = excluded.snoozed_flag_count, snooze_wakes_on = excluded.snooze_wakes_on,
      oldest_open_flag_at = excluded.oldest_open_flag_at,
      last_assessment_id = excluded.last_assessment_id, updated_at = excluded.updated_at,
      last_visit_on = greatest(patient_state.last_visit_on, excluded.last_visit_on)`;
}

/** Writes `planPatientState` of the patient's unresolved flags, inside the caller's transaction. */
export async function refreshPatientState(
  tx: Tx,
  patient: Pick<Patient, "id" | "siteId">,
  assessment: Pick<Assessment, "priority"> | null,
  assessmentId: string | null,
  lastVisitOn: string | null | undefined,
  now: Date,
): Promise<void> {
  const open = await tx
    .select({
      code: flags.code,
      severity: flags.severity,
      status: flags.status,
      snoozedUntil: flags.snoozedUntil,
      openedAt: flags.openedAt,
    })
    .from(flags)
    .where(and(eq(flags.patientId, patient.id), ne(flags.status, "resolved")))
    .orderBy(asc(flags.code));
  const values = planPatientState(patient, assessment, assessmentId, open, now);
  await tx.execute(upsertPatientState(values, lastVisitOn));
}
