import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { flags, observations, visits } from "@/db/schema";
import { AppError, notFound } from "@/lib/api/errors";
import type { FlagSummary, RecordVisitInput, RecordVisitResult } from "@/lib/api/visits";

export type { FlagSummary, RecordVisitResult } from "@/lib/api/visits";
import {
  observationValueNum,
  validateObservations,
  type Assessment,
  type ObservationKind,
} from "@/lib/clinical";
import { reassessPatient } from "./assessments";
import { recordAudit } from "./audit";
import { getPatientInScope, isUuid } from "./scope";
import type { Ctx } from "./context";
import { addDays, todayIso } from "./dates";

/** The patient's unresolved flags, most severe first. */
export async function listUnresolvedFlags(db: Db | Tx, patientId: string): Promise<FlagSummary[]> {
  const rows = await db
    .select()
    .from(flags)
    .where(and(eq(flags.patientId, patientId), sql`${flags.status} <> 'resolved'`))
    .orderBy(
      sql`case ${flags.severity} when 'critical' then 0 when 'high' then 1 when 'moderate' then 2 when 'low' then 3 else 4 end`,
      flags.code,
    );
  return rows.map((f) => ({
    id: f.id,
    code: f.code,
    severity: f.severity,
    status: f.status,
    version: f.version,
    openedAt: f.openedAt.toISOString(),
    dueOn: f.dueOn,
    assigneeId: f.assigneeId,
    snoozedUntil: f.snoozedUntil,
  }));
}

/**
 * Records a visit in one transaction: observations, the authoritative assessment as of the visit
 * date, flag reconciliation, patient_state, audit. The patient row is locked so concurrent visits
 * for one patient apply one after the other.
 */
export async function recordVisit(
  ctx: Ctx,
  patientId: string,
  input: RecordVisitInput,
  now: Date = new Date(),
  source: "form" | "fhir" | "seed" = "form",
): Promise<RecordVisitResult> {
  // A visit may be dated up to one day ahead of UTC (clinics east of Greenwich), never later.
  if (input.occurredOn > addDays(todayIso(now), 1)) {
    throw new AppError("unprocessable", "The visit date is in the future.", {
      errors: [{ path: "occurredOn", message: "The visit date cannot be in the future." }],
    });
  }
  const withDates = input.observations.map((o) =>
    o.effective === undefined && o.kind !== "fracture" ? { ...o, effective: input.occurredOn } : o,
  );
  const checked = validateObservations(withDates, input.occurredOn);
  if (checked.status === "invalid") {
    throw new AppError("unprocessable", "Some observations are not valid.", {
      errors: checked.errors.map((e) => ({
        path: e.path ? `observations.${e.path}` : "observations",
        message: e.message,
      })),
    });
  }
  const observationList = checked.input;

  const result = await ctx.db.transaction(async (tx) => {
    const patient = await getPatientInScope(tx, ctx.actor, patientId, true);
    const [visit] = await tx
      .insert(visits)
      .values({
        patientId: patient.id,
        occurredOn: input.occurredOn,
        recordedBy: ctx.actor.userId,
        recordedAt: now,
        source,
      })
      .returning();
    await tx.insert(observations).values(
      observationList.map((o) => ({
        patientId: patient.id,
        visitId: visit!.id,
        kind: o.kind,
        effective: o.effective,
        payload: o,
        valueNum: observationValueNum(o),
        recordedBy: ctx.actor.userId,
        recordedAt: now,
      })),
    );
    const changedKinds = [...new Set(observationList.map((o) => o.kind))] as ObservationKind[];
    const { assessmentId, assessment } = await reassessPatient(tx, ctx.actor, patient, {
      asOf: input.occurredOn,
      visitId: visit!.id,
      changedKinds,
      now,
      lastVisitOn: input.occurredOn,
    });
    const openFlags = await listUnresolvedFlags(tx, patient.id);
    await recordAudit(tx, ctx.actor, {
      action: "visits.create",
      patientId: patient.id,
      entityType: "visit",
      entityId: visit!.id,
      detail: {
        observations: observationList.length,
        kinds: changedKinds,
        priority: assessment.priority,
        source,
      },
    });
    return {
      visit: {
        id: visit!.id,
        patientId: patient.id,
        occurredOn: visit!.occurredOn,
        recordedAt: visit!.recordedAt.toISOString(),
      },
      assessment: { ...assessment, id: assessmentId },
      flags: openFlags,
    };
  });
  return result;
}

/**
 * Marks an observation entered in error (never deleted), with the reason, and re-assesses the
 * patient as of today, in one transaction.
 */
export async function retractObservation(
  ctx: Ctx,
  observationId: string,
  reason: string,
  now: Date = new Date(),
): Promise<{
  observationId: string;
  assessment: Assessment & { id: string };
  flags: FlagSummary[];
}> {
  if (!isUuid(observationId)) throw notFound("Observation");
  return ctx.db.transaction(async (tx) => {
    const [obs] = await tx
      .select()
      .from(observations)
      .where(eq(observations.id, observationId))
      .limit(1);
    if (!obs) throw notFound("Observation");
    const patient = await getPatientInScope(tx, ctx.actor, obs.patientId, true);
    if (obs.enteredInErrorAt) {
      throw new AppError("conflict", "This observation was already marked as entered in error.");
    }
    await tx
      .update(observations)
      .set({
        enteredInErrorAt: now,
        enteredInErrorReason: reason,
        enteredInErrorBy: ctx.actor.userId,
      })
      .where(eq(observations.id, obs.id));
    const today = todayIso(now);
    const { assessmentId, assessment } = await reassessPatient(tx, ctx.actor, patient, {
      asOf: obs.effective > today ? obs.effective : today,
      changedKinds: [obs.kind as ObservationKind],
      now,
    });
    await recordAudit(tx, ctx.actor, {
      action: "observations.retract",
      patientId: patient.id,
      entityType: "observation",
      entityId: obs.id,
      detail: { kind: obs.kind },
    });
    return {
      observationId: obs.id,
      assessment: { ...assessment, id: assessmentId },
      flags: await listUnresolvedFlags(tx, patient.id),
    };
  });
}
