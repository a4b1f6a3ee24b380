import { randomUUID } from "node:crypto";
import type { FlagRow, Patient } from "@/db/schema";
import {
  assess,
  observationValueNum,
  type Assessment,
  type Observation,
  type ObservationKind,
} from "@/lib/clinical";
import { assessPatient } from "@/lib/server/assessments";
import { planFlagAction, planReconciliation, type PlannedFlagEvent } from "@/lib/server/flag-plans";
import { planPatientState, type PatientStateValues } from "@/lib/server/patient-state";
import { validateVisitObservations } from "@/lib/server/visits";
import { careTeamAction, careTeamSteps } from "./care-team";
import type { SeedVisit } from "./history";

/*
 * One patient's seeded history computed in memory: every row recordVisit and updateFlag would
 * write for it, ready for the bulk seed to insert (lib/seed/bulk.ts says how the two agree).
 */

export type Row = Record<string, unknown>;

/** The patient columns the seed needs (from the database row, as recordVisit reads it). */
export type BulkPatient = Pick<
  Patient,
  "id" | "siteId" | "mrn" | "birthDate" | "sex" | "postmenopausal"
>;

/** A flag held in memory while a patient's history is replayed (the columns of `flags`). */
export type MemFlag = FlagRow;

export interface MemEvent extends PlannedFlagEvent {
  flagId: string;
}

/** Every row one patient's history produces, ready to insert. */
export interface PatientRows {
  patientId: string;
  visits: Row[];
  observations: Row[];
  assessments: Row[];
  flags: MemFlag[];
  flagEvents: MemEvent[];
  state: (PatientStateValues & { lastVisitOn: string | null }) | null;
}

interface UsableObservation {
  effective: string;
  payload: Observation;
}

const unresolved = (list: MemFlag[]) => list.filter((f) => f.status !== "resolved");

/**
 * Replays one patient's visits in memory exactly as recordVisit + reassessPatient would, then the
 * care team's work as updateFlag would (the same `planFlagAction`). `clinicianId` records the
 * visits; `careId` works the flags.
 */
export function simulatePatientHistory(
  patient: BulkPatient,
  history: readonly SeedVisit[],
  actors: { clinicianId: string; careId: string | null },
  today: string,
): PatientRows {
  const out: PatientRows = {
    patientId: patient.id,
    visits: [],
    observations: [],
    assessments: [],
    flags: [],
    flagEvents: [],
    state: null,
  };
  const patientInput = assessPatient(patient);
  // Observations in (effective, recorded_at) order; a visit's observations share recorded_at and
  // keep the order they were entered in.
  const usable: UsableObservation[] = [];
  let lastAssessment = null as Assessment | null;
  let lastAssessmentId = null as string | null;
  let lastVisitOn = null as string | null;
  const { clinicianId } = actors;

  for (const visit of history) {
    const now = new Date(`${visit.occurredOn}T10:00:00Z`);
    const checked = validateVisitObservations(visit);
    if (checked.status === "invalid") {
      throw new Error(`Seed history of ${patient.mrn} has an invalid visit on ${visit.occurredOn}`);
    }
    const visitId = randomUUID();
    out.visits.push({
      id: visitId,
      patient_id: patient.id,
      occurred_on: visit.occurredOn,
      recorded_by: clinicianId,
      recorded_at: now,
      source: "seed",
    });
    for (const o of checked.input) {
      out.observations.push({
        id: randomUUID(),
        patient_id: patient.id,
        visit_id: visitId,
        kind: o.kind,
        effective: o.effective,
        payload: o,
        value_num: observationValueNum(o),
        recorded_by: clinicianId,
        recorded_at: now,
      });
      // Insert keeping (effective, recorded_at, entry) order: later visits are recorded later.
      let i = usable.length;
      while (i > 0 && usable[i - 1]!.effective > o.effective) i--;
      usable.splice(i, 0, { effective: o.effective, payload: o });
    }
    const changedKinds = [...new Set(checked.input.map((o) => o.kind))] as ObservationKind[];
    const asOf = visit.occurredOn;
    const assessment = assess({
      asOf,
      patient: patientInput,
      observations: usable.filter((u) => u.effective <= asOf).map((u) => u.payload),
    });
    const assessmentId = randomUUID();
    out.assessments.push({
      id: assessmentId,
      patient_id: patient.id,
      visit_id: visitId,
      as_of: asOf,
      ruleset_version: assessment.rulesetVersion,
      priority: assessment.priority,
      result: assessment,
      created_at: now,
      created_by: clinicianId,
    });
    const plan = planReconciliation(
      unresolved(out.flags),
      assessment,
      assessmentId,
      changedKinds,
      now,
      clinicianId,
    );
    const byId = new Map(out.flags.map((f) => [f.id, f]));
    for (const step of plan.firing) {
      if (step.kind === "open") {
        const flag: MemFlag = {
          id: randomUUID(),
          patientId: patient.id,
          ...step.values,
          assigneeId: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          snoozedUntil: null,
          snoozeReason: null,
          resolvedAt: null,
          resolvedBy: null,
          resolutionCode: null,
          resolutionNote: null,
          version: 1,
        };
        out.flags.push(flag);
        out.flagEvents.push({ flagId: flag.id, ...step.event });
        continue;
      }
      const flag = byId.get(step.flagId)!;
      Object.assign(flag, step.changes);
      if (step.bumpVersion) flag.version += 1;
      for (const e of step.events) out.flagEvents.push({ flagId: flag.id, ...e });
    }
    if (plan.autoResolve) {
      for (const id of plan.autoResolve.flagIds) {
        const flag = byId.get(id)!;
        Object.assign(flag, plan.autoResolve.changes);
        flag.version += 1;
      }
      out.flagEvents.push(...plan.autoResolve.events);
    }
    lastAssessment = assessment;
    lastAssessmentId = assessmentId;
    lastVisitOn = lastVisitOn === null || asOf > lastVisitOn ? asOf : lastVisitOn;
    out.state = {
      ...planPatientState(patient, assessment, assessmentId, unresolved(out.flags), now),
      lastVisitOn,
    };
  }

  // The care team's work: flags still open and unacknowledged, by opening time then code.
  if (actors.careId && out.state) {
    const careId = actors.careId;
    const candidates = out.flags
      .filter((f) => f.status === "open" && f.acknowledgedAt === null)
      .sort(
        (a, b) =>
          a.openedAt.getTime() - b.openedAt.getTime() ||
          (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
      );
    for (const flag of candidates) {
      for (const step of careTeamSteps({ ...flag, mrn: patient.mrn }, today)) {
        const plan = planFlagAction(flag, careTeamAction(step, flag.version), careId, step.at);
        if (plan.refused) {
          throw new Error(
            `Seed step ${step.action} on ${patient.mrn} ${flag.code}: ${plan.message}`,
          );
        }
        Object.assign(flag, plan.changes);
        flag.version += 1;
        out.flagEvents.push({ flagId: flag.id, ...plan.event });
        if (plan.changes.status !== undefined) {
          out.state = {
            ...planPatientState(
              patient,
              lastAssessment,
              lastAssessmentId,
              unresolved(out.flags),
              step.at,
            ),
            lastVisitOn,
          };
        }
      }
    }
  }
  return out;
}
