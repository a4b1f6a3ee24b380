import { randomUUID } from "node:crypto";
import { eq, sql, type SQL } from "drizzle-orm";
import { observations } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import type { FlagSummary, RecordVisitInput, RecordVisitResult } from "@/lib/api/visits";

export type { FlagSummary, RecordVisitResult } from "@/lib/api/visits";
import {
  observationValueNum,
  validateObservations,
  type Assessment,
  type Observation,
  type ObservationKind,
} from "@/lib/clinical";
import { reassessPatient } from "./assessments";
import { getPatientInScope, isUuid, lockPatientOfRecord, outOfScope } from "./scope";
import type { Ctx } from "./context";
import { addDays, todayIso } from "./dates";
import { siteOwnTimeZone, siteToday } from "./sites";
import { withWriteSlot } from "./write-gate";

/**
 * The INSERTs of a visit and its observations, in entry order (the observations in one jsonb
 * parameter; rows come out of jsonb_to_recordset in list order). `method` says how the
 * observations were obtained ("patient-reported"; null for staff entry).
 */
export function insertVisit(visit: {
  id: string;
  patientId: string;
  occurredOn: string;
  recordedBy: string | null;
  recordedAt: Date;
  source: string;
  observations: readonly Observation[];
  method?: string | null;
}): SQL[] {
  const recordedAt = visit.recordedAt.toISOString();
  const rows = visit.observations.map((o) => ({
    kind: o.kind,
    effective: o.effective,
    payload: o,
    valueNum: observationValueNum(o),
  }));
  return [
    sql`insert into visits (id, patient_id, occurred_on, recorded_by, recorded_at, source)
      values (${visit.id}, ${visit.patientId}, ${visit.occurredOn}, ${visit.recordedBy},
        ${recordedAt}, ${visit.source})`,
    sql`insert into observations (patient_id, visit_id, kind, effective, payload, value_num,
        recorded_by, recorded_at, method)
      select ${visit.patientId}::uuid, ${visit.id}::uuid, r."kind", r."effective", r."payload",
        r."valueNum", ${visit.recordedBy}::uuid, ${recordedAt}::timestamptz,
        ${visit.method ?? null}::text
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r("kind" text, "effective" date, "payload" jsonb, "valueNum" double precision)`,
  ];
}

/**
 * A visit's observations checked against the assess contract (as of the visit date) and
 * normalised; one without a date (a fracture aside, whose date is when it happened) takes the
 * visit's.
 */
export function validateVisitObservations(visit: {
  occurredOn: string;
  observations: readonly Record<string, unknown>[];
}): ReturnType<typeof validateObservations> {
  const withDates = visit.observations.map((o) =>
    o.effective === undefined && o.kind !== "fracture" ? { ...o, effective: visit.occurredOn } : o,
  );
  return validateObservations(withDates, visit.occurredOn);
}

const futureVisit = (): AppError =>
  new AppError("unprocessable", "The visit date is in the future.", {
    errors: [{ path: "occurredOn", message: "The visit date cannot be in the future." }],
  });

/**
 * Records a visit in one transaction: observations, the authoritative assessment as of the visit
 * date, flag reconciliation, patient_state, audit. The patient row is locked so concurrent visits
 * for one patient apply one after the other. Six round trips: begin, the patient lock, the visit
 * with the flag lock, the observations, every other write, commit.
 */
export async function recordVisit(
  ctx: Ctx,
  patientId: string,
  input: RecordVisitInput,
  now: Date = new Date(),
  source: "form" | "fhir" | "seed" = "form",
): Promise<RecordVisitResult> {
  // Before the site is known: no zone is more than a day ahead of UTC.
  if (input.occurredOn > addDays(todayIso(now, "UTC"), 1)) throw futureVisit();
  const checked = validateVisitObservations(input);
  if (checked.status === "invalid") {
    throw new AppError("unprocessable", "Some observations are not valid.", {
      errors: checked.errors.map((e) => ({
        path: e.path ? `observations.${e.path}` : "observations",
        message: e.message,
      })),
    });
  }
  const observationList = checked.input;

  const result = await withWriteSlot(() =>
    ctx.db.transaction(async (tx) => {
      const patient = await getPatientInScope(tx, ctx.actor, patientId, true);
      // The visit is dated by the clinic's calendar: never after today at the patient's site. A site
      // whose zone was never set keeps a day's grace (it may lie east of the default zone).
      const ownZone = await siteOwnTimeZone(tx, patient.siteId);
      const latest = ownZone ? todayIso(now, ownZone) : addDays(todayIso(now), 1);
      if (input.occurredOn > latest) throw futureVisit();
      const visitId = randomUUID();
      const changedKinds = [...new Set(observationList.map((o) => o.kind))] as ObservationKind[];
      const reassessed = await reassessPatient(tx, ctx.actor, patient, {
        asOf: input.occurredOn,
        visitId,
        changedKinds,
        now,
        lastVisitOn: input.occurredOn,
        writesBefore: insertVisit({
          id: visitId,
          patientId: patient.id,
          occurredOn: input.occurredOn,
          recordedBy: ctx.actor.userId,
          recordedAt: now,
          source,
          observations: observationList,
        }),
        audit: (assessment) => ({
          action: "visits.create",
          patientId: patient.id,
          entityType: "visit",
          entityId: visitId,
          detail: {
            observations: observationList.length,
            kinds: changedKinds,
            priority: assessment.priority,
            source,
          },
        }),
      });
      return {
        visit: {
          id: visitId,
          patientId: patient.id,
          occurredOn: input.occurredOn,
          recordedAt: now.toISOString(),
        },
        assessment: { ...reassessed.assessment, id: reassessed.assessmentId },
        flags: reassessed.flags,
      };
    }),
  );
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
  if (!isUuid(observationId)) throw outOfScope("observation", observationId);
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(observations)
      .where(eq(observations.id, observationId))
      .limit(1);
    const { record: obs, patient } = await lockPatientOfRecord(
      tx,
      ctx.actor,
      { entityType: "observation", entityId: observationId },
      found,
    );
    if (obs.enteredInErrorAt) {
      throw new AppError("conflict", "This observation was already marked as entered in error.");
    }
    const today = await siteToday(tx, patient.siteId, now);
    const reassessed = await reassessPatient(tx, ctx.actor, patient, {
      asOf: obs.effective > today ? obs.effective : today,
      changedKinds: [obs.kind as ObservationKind],
      now,
      writesBefore: [
        tx
          .update(observations)
          .set({
            enteredInErrorAt: now,
            enteredInErrorReason: reason,
            enteredInErrorBy: ctx.actor.userId,
          })
          .where(eq(observations.id, obs.id)),
      ],
      audit: () => ({
        action: "observations.retract",
        patientId: patient.id,
        entityType: "observation",
        entityId: obs.id,
        detail: { kind: obs.kind },
      }),
    });
    return {
      observationId: obs.id,
      assessment: { ...reassessed.assessment, id: reassessed.assessmentId },
      flags: reassessed.flags,
    };
  });
}
