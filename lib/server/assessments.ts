import { and, asc, eq, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  assessments,
  flagEvents,
  flags,
  observations,
  patientState,
  type Patient,
} from "@/db/schema";
import {
  assess,
  flagKinds,
  RULESET_POLICY,
  type Assessment,
  type AssessInput,
  type Observation,
  type ObservationKind,
  type Priority,
} from "@/lib/clinical";
import type { Actor } from "./context";
import { addDays, todayIso } from "./dates";

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = {
  urgent: 4,
  high: 3,
  medium: 2,
  low: 1,
  none: 0,
};

/** The patient as the assess contract wants it. */
export function assessPatient(
  p: Pick<Patient, "birthDate" | "sex" | "postmenopausal">,
): AssessInput["patient"] {
  return {
    birthDate: p.birthDate,
    sex: p.sex,
    ...(p.postmenopausal === null ? {} : { postmenopausal: p.postmenopausal }),
  };
}

/** The patient's observations that count on `asOf`: not entered in error, not after `asOf`. */
export async function loadObservationsForAssessment(
  tx: Tx,
  patientId: string,
  asOf: string,
): Promise<Observation[]> {
  const rows = await tx
    .select({ payload: observations.payload })
    .from(observations)
    .where(
      and(
        eq(observations.patientId, patientId),
        isNull(observations.enteredInErrorAt),
        lte(observations.effective, asOf),
      ),
    )
    .orderBy(asc(observations.effective), asc(observations.recordedAt));
  return rows.map((r) => r.payload as Observation);
}

export interface ReassessResult {
  assessmentId: string;
  assessment: Assessment;
}

/**
 * Assesses the patient as of `asOf`, stores the assessment with its ruleset version, reconciles
 * the flags and updates patient_state, inside the caller's transaction.
 */
export async function reassessPatient(
  tx: Tx,
  actor: Actor | null,
  patient: Patient,
  options: {
    asOf: string;
    visitId?: string | null;
    changedKinds: readonly ObservationKind[];
    now: Date;
    lastVisitOn?: string | null;
  },
): Promise<ReassessResult> {
  const observationList = await loadObservationsForAssessment(tx, patient.id, options.asOf);
  const assessment = assess({
    asOf: options.asOf,
    patient: assessPatient(patient),
    observations: observationList,
  });
  const [stored] = await tx
    .insert(assessments)
    .values({
      patientId: patient.id,
      visitId: options.visitId ?? null,
      asOf: options.asOf,
      rulesetVersion: assessment.rulesetVersion,
      priority: assessment.priority,
      result: assessment,
      createdBy: actor?.userId ?? null,
    })
    .returning({ id: assessments.id });
  const assessmentId = stored!.id;
  await reconcileFlags(
    tx,
    actor,
    patient.id,
    assessment,
    assessmentId,
    options.changedKinds,
    options.now,
  );
  await refreshPatientState(
    tx,
    patient,
    assessment,
    assessmentId,
    options.lastVisitOn,
    options.now,
  );
  return { assessmentId, assessment };
}

/**
 * ARCHITECTURE.md "Flag reconciliation": a new code opens a flag; a code still firing keeps its flag
 * (severity updated); a code no longer firing is resolved as `no-longer-met`, except a critical flag,
 * which waits for a person. A snoozed flag re-opens when a new observation of a kind it rests on
 * arrives, or when its snooze has expired.
 */
export async function reconcileFlags(
  tx: Tx,
  actor: Actor | null,
  patientId: string,
  assessment: Assessment,
  assessmentId: string,
  changedKinds: readonly ObservationKind[],
  now: Date,
): Promise<void> {
  const today = todayIso(now);
  const existing = await tx
    .select()
    .from(flags)
    .where(and(eq(flags.patientId, patientId), ne(flags.status, "resolved")))
    .for("update");
  const byCode = new Map(existing.map((f) => [f.code, f]));
  const firing = new Set<string>();
  const actorId = actor?.userId ?? null;

  for (const flag of assessment.flags) {
    firing.add(flag.code);
    const current = byCode.get(flag.code);
    if (!current) {
      const due = RULESET_POLICY.dueDays[flag.severity];
      const [created] = await tx
        .insert(flags)
        .values({
          patientId,
          code: flag.code,
          severity: flag.severity,
          status: "open",
          rulesetVersion: assessment.rulesetVersion,
          openedAt: now,
          openedAssessmentId: assessmentId,
          lastAssessmentId: assessmentId,
          dueOn: due === null ? null : addDays(today, due),
          updatedAt: now,
          updatedBy: actorId,
        })
        .returning({ id: flags.id });
      await tx.insert(flagEvents).values({
        flagId: created!.id,
        patientId,
        type: "opened",
        actorId,
        at: now,
        data: {
          severity: flag.severity,
          rationale: flag.rationale,
          assessmentId,
          rulesetVersion: assessment.rulesetVersion,
        },
      });
      continue;
    }
    const events: { type: string; data: Record<string, unknown> }[] = [];
    const patch: Partial<typeof flags.$inferInsert> = { lastAssessmentId: assessmentId };
    if (current.severity !== flag.severity) {
      patch.severity = flag.severity;
      events.push({
        type: "severity-changed",
        data: { from: current.severity, to: flag.severity },
      });
    }
    if (current.status === "snoozed") {
      const restsOn = flagKinds(flag.code);
      const newData = changedKinds.some((k) => restsOn.includes(k));
      const expired = current.snoozedUntil !== null && current.snoozedUntil <= today;
      if (newData || expired) {
        patch.status = "open";
        patch.snoozedUntil = null;
        events.push({
          type: "unsnoozed",
          data: { reason: newData ? "new-observation" : "snooze-expired" },
        });
      }
    }
    if (events.length > 0) {
      patch.version = sql`${flags.version} + 1` as unknown as number;
      patch.updatedAt = now;
      patch.updatedBy = actorId;
    }
    await tx.update(flags).set(patch).where(eq(flags.id, current.id));
    for (const e of events) {
      await tx
        .insert(flagEvents)
        .values({ flagId: current.id, patientId, type: e.type, actorId, at: now, data: e.data });
    }
  }

  const noLongerMet = existing.filter((f) => !firing.has(f.code) && f.severity !== "critical");
  if (noLongerMet.length > 0) {
    await tx
      .update(flags)
      .set({
        status: "resolved",
        resolutionCode: "no-longer-met",
        resolvedAt: now,
        resolvedBy: null,
        snoozedUntil: null,
        lastAssessmentId: assessmentId,
        version: sql`${flags.version} + 1`,
        updatedAt: now,
        updatedBy: actorId,
      })
      .where(
        inArray(
          flags.id,
          noLongerMet.map((f) => f.id),
        ),
      );
    await tx.insert(flagEvents).values(
      noLongerMet.map((f) => ({
        flagId: f.id,
        patientId,
        type: "auto-resolved",
        actorId: null,
        at: now,
        data: { reason: "no-longer-met", assessmentId },
      })),
    );
  }
}

/**
 * patient_state = the latest assessment's priority and the patient's unresolved flags. A critical
 * flag that no longer fires stays open until a person resolves it, and keeps the priority urgent.
 */
export async function refreshPatientState(
  tx: Tx,
  patient: Pick<Patient, "id" | "siteId">,
  assessment: Assessment | null,
  assessmentId: string | null,
  lastVisitOn: string | null | undefined,
  now: Date,
): Promise<void> {
  const open = await tx
    .select({ code: flags.code, severity: flags.severity, openedAt: flags.openedAt })
    .from(flags)
    .where(and(eq(flags.patientId, patient.id), ne(flags.status, "resolved")))
    .orderBy(asc(flags.code));
  const keptCritical = open.some((f) => f.severity === "critical");
  const priority: Priority = keptCritical ? "urgent" : (assessment?.priority ?? "none");
  const oldest = open.reduce<Date | null>(
    (min, f) => (min === null || f.openedAt < min ? f.openedAt : min),
    null,
  );
  const values = {
    patientId: patient.id,
    siteId: patient.siteId,
    priority,
    priorityRank: PRIORITY_RANK[priority],
    openFlagCodes: open.map((f) => f.code),
    openFlagCount: open.length,
    oldestOpenFlagAt: oldest,
    lastAssessmentId: assessmentId,
    updatedAt: now,
  };
  await tx
    .insert(patientState)
    .values({ ...values, lastVisitOn: lastVisitOn ?? null })
    .onConflictDoUpdate({
      target: patientState.patientId,
      set: {
        ...values,
        ...(lastVisitOn
          ? { lastVisitOn: sql`greatest(${patientState.lastVisitOn}, ${lastVisitOn}::date)` }
          : {}),
      },
    });
}
