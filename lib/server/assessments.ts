import { and, asc, eq, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  assessments,
  flagEvents,
  flags,
  observations,
  patientState,
  type FlagRow,
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

/** The columns of an unresolved flag that reconciliation reads. */
export type ReconcilableFlag = Pick<
  FlagRow,
  "id" | "code" | "severity" | "status" | "snoozedUntil"
>;

/** A flag_events row to write; the writer adds the flag and patient ids. */
export interface PlannedFlagEvent {
  type: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** Column values a plan sets on an existing flag (a version bump is said separately). */
export type FlagChanges = Partial<
  Pick<
    FlagRow,
    | "severity"
    | "status"
    | "snoozedUntil"
    | "lastAssessmentId"
    | "resolutionCode"
    | "resolvedAt"
    | "resolvedBy"
    | "updatedAt"
    | "updatedBy"
  >
>;

/** A new flag's columns (the writer assigns the id and the patient). */
export type PlannedFlagValues = Pick<
  FlagRow,
  | "code"
  | "severity"
  | "status"
  | "rulesetVersion"
  | "openedAt"
  | "openedAssessmentId"
  | "lastAssessmentId"
  | "dueOn"
  | "updatedAt"
  | "updatedBy"
>;

/** One firing flag: a new one to open, or an existing one to keep (in assessment order). */
export type PlannedFiringFlag =
  | { kind: "open"; values: PlannedFlagValues; event: PlannedFlagEvent }
  | {
      kind: "keep";
      flagId: string;
      changes: FlagChanges;
      bumpVersion: boolean;
      events: PlannedFlagEvent[];
    };

export interface ReconciliationPlan {
  firing: PlannedFiringFlag[];
  /** Flags that no longer fire (never a critical one): resolved as no-longer-met, version + 1. */
  autoResolve: {
    flagIds: string[];
    changes: FlagChanges;
    events: (PlannedFlagEvent & { flagId: string })[];
  } | null;
}

/**
 * The flag reconciliation decision as a pure function of the patient's unresolved flags and the
 * new assessment (ARCHITECTURE.md "Flag reconciliation"): a new code opens a flag (due after
 * RULESET_POLICY.dueDays of its severity); a code still firing keeps its flag (severity updated);
 * a code no longer firing is resolved as `no-longer-met`, except a critical flag, which waits for a
 * person. A snoozed flag re-opens when a new observation of a kind it rests on arrives, or when its
 * snooze has expired. Shared by `reconcileFlags` (SQL) and the bulk seeder (in memory), so both
 * write exactly the same flags and events.
 */
export function planReconciliation(
  existing: readonly ReconcilableFlag[],
  assessment: Pick<Assessment, "flags" | "rulesetVersion">,
  assessmentId: string,
  changedKinds: readonly ObservationKind[],
  now: Date,
  actorId: string | null,
): ReconciliationPlan {
  const today = todayIso(now);
  const byCode = new Map(existing.map((f) => [f.code, f]));
  const firingCodes = new Set<string>();
  const firing: PlannedFiringFlag[] = [];

  for (const flag of assessment.flags) {
    firingCodes.add(flag.code);
    const current = byCode.get(flag.code);
    if (!current) {
      const due = RULESET_POLICY.dueDays[flag.severity];
      firing.push({
        kind: "open",
        values: {
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
        },
        event: {
          type: "opened",
          actorId,
          at: now,
          data: {
            severity: flag.severity,
            rationale: flag.rationale,
            assessmentId,
            rulesetVersion: assessment.rulesetVersion,
          },
        },
      });
      continue;
    }
    const events: PlannedFlagEvent[] = [];
    const changes: FlagChanges = { lastAssessmentId: assessmentId };
    if (current.severity !== flag.severity) {
      changes.severity = flag.severity;
      events.push({
        type: "severity-changed",
        actorId,
        at: now,
        data: { from: current.severity, to: flag.severity },
      });
    }
    if (current.status === "snoozed") {
      const restsOn = flagKinds(flag.code);
      const newData = changedKinds.some((k) => restsOn.includes(k));
      const expired = current.snoozedUntil !== null && current.snoozedUntil <= today;
      if (newData || expired) {
        changes.status = "open";
        changes.snoozedUntil = null;
        events.push({
          type: "unsnoozed",
          actorId,
          at: now,
          data: { reason: newData ? "new-observation" : "snooze-expired" },
        });
      }
    }
    const bumpVersion = events.length > 0;
    if (bumpVersion) {
      changes.updatedAt = now;
      changes.updatedBy = actorId;
    }
    firing.push({ kind: "keep", flagId: current.id, changes, bumpVersion, events });
  }

  const noLongerMet = existing.filter((f) => !firingCodes.has(f.code) && f.severity !== "critical");
  return {
    firing,
    autoResolve:
      noLongerMet.length === 0
        ? null
        : {
            flagIds: noLongerMet.map((f) => f.id),
            changes: {
              status: "resolved",
              resolutionCode: "no-longer-met",
              resolvedAt: now,
              resolvedBy: null,
              snoozedUntil: null,
              lastAssessmentId: assessmentId,
              updatedAt: now,
              updatedBy: actorId,
            },
            events: noLongerMet.map((f) => ({
              flagId: f.id,
              type: "auto-resolved",
              actorId: null,
              at: now,
              data: { reason: "no-longer-met", assessmentId },
            })),
          },
  };
}

/**
 * Reconciles the patient's flags with a new assessment inside the caller's transaction: reads the
 * unresolved flags (locked), decides with `planReconciliation`, writes the plan.
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
  const existing = await tx
    .select()
    .from(flags)
    .where(and(eq(flags.patientId, patientId), ne(flags.status, "resolved")))
    .for("update");
  const plan = planReconciliation(
    existing,
    assessment,
    assessmentId,
    changedKinds,
    now,
    actor?.userId ?? null,
  );
  for (const step of plan.firing) {
    if (step.kind === "open") {
      const [created] = await tx
        .insert(flags)
        .values({ patientId, ...step.values })
        .returning({ id: flags.id });
      await tx.insert(flagEvents).values({ flagId: created!.id, patientId, ...step.event });
      continue;
    }
    await tx
      .update(flags)
      .set({
        ...step.changes,
        ...(step.bumpVersion ? { version: sql`${flags.version} + 1` } : {}),
      })
      .where(eq(flags.id, step.flagId));
    for (const e of step.events) {
      await tx.insert(flagEvents).values({ flagId: step.flagId, patientId, ...e });
    }
  }
  const resolve = plan.autoResolve;
  if (resolve) {
    await tx
      .update(flags)
      .set({ ...resolve.changes, version: sql`${flags.version} + 1` })
      .where(inArray(flags.id, resolve.flagIds));
    await tx.insert(flagEvents).values(resolve.events.map((e) => ({ patientId, ...e })));
  }
}

/** patient_state columns other than last_visit_on (which only ever moves forward). */
export interface PatientStateValues {
  patientId: string;
  siteId: string;
  priority: Priority;
  priorityRank: number;
  openFlagCodes: string[];
  openFlagCount: number;
  oldestOpenFlagAt: Date | null;
  lastAssessmentId: string | null;
  updatedAt: Date;
}

/**
 * patient_state as a pure function: the latest assessment's priority and the patient's unresolved
 * flags (codes in code order). A critical flag that no longer fires stays open until a person
 * resolves it, and keeps the priority urgent. Shared by `refreshPatientState` and the bulk seeder.
 */
export function planPatientState(
  patient: Pick<Patient, "id" | "siteId">,
  assessment: Pick<Assessment, "priority"> | null,
  assessmentId: string | null,
  unresolved: readonly { code: string; severity: string; openedAt: Date }[],
  now: Date,
): PatientStateValues {
  const open = [...unresolved].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const keptCritical = open.some((f) => f.severity === "critical");
  const priority: Priority = keptCritical ? "urgent" : (assessment?.priority ?? "none");
  const oldest = open.reduce<Date | null>(
    (min, f) => (min === null || f.openedAt < min ? f.openedAt : min),
    null,
  );
  return {
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
}

/** Writes `planPatientState` of the patient's unresolved flags, inside the caller's transaction. */
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
  const values = planPatientState(patient, assessment, assessmentId, open, now);
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
