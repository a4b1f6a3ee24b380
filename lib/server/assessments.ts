import { randomUUID } from "node:crypto";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { queryRows, type Tx } from "@/db/client";
import { flags, type FlagRow, type Patient } from "@/db/schema";
import {
  assess,
  type Assessment,
  type AssessInput,
  type Observation,
  type ObservationKind,
} from "@/lib/clinical";
import type { FlagSummary } from "@/lib/api/visits";
import { auditInsert, type AuditEvent } from "./audit";
import type { Actor } from "./context";
import {
  compareSeverityThenCode,
  planReconciliation,
  type FlagChanges,
  type PlannedFlagEvent,
  type ReconciliationPlan,
} from "./flag-plans";
import { siteToday } from "./sites";
import { planPatientState, upsertPatientState } from "./patient-state";

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
  const rows = await queryRows<{ payload: Observation }>(
    tx,
    sql`select payload from observations
      where patient_id = ${patientId} and entered_in_error_at is null and effective <= ${asOf}
      order by effective, recorded_at`,
  );
  return rows.map((r) => r.payload);
}

export interface ReassessResult {
  assessmentId: string;
  assessment: Assessment;
  /** The patient's unresolved flags after reconciliation, most severe first, then by code. */
  flags: FlagSummary[];
}

/**
 * Assesses the patient as of `asOf`, stores the assessment with its ruleset version, reconciles
 * the flags and updates patient_state, inside the caller's transaction (whose patient row the
 * caller has locked). The unresolved flags are read once, locked (with the caller's own writes);
 * everything after the assessment is decided in memory (`planReconciliation`, `planPatientState`)
 * and written in one statement, with the caller's audit event when given: three statements.
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
    /** The use-case's own writes (e.g. the visit), run with the flag lock, before the assessment. */
    writesBefore?: readonly SQLWrapper[];
    /** The use-case's audit event, which may name the new assessment's priority. */
    audit?: (assessment: Assessment) => AuditEvent;
  },
): Promise<ReassessResult> {
  const existing = await lockUnresolvedFlags(tx, patient.id, options.writesBefore);
  const observationList = await loadObservationsForAssessment(tx, patient.id, options.asOf);
  const assessment = assess({
    asOf: options.asOf,
    patient: assessPatient(patient),
    observations: observationList,
  });
  const assessmentId = randomUUID();
  const plan = planReconciliation(
    existing,
    assessment,
    assessmentId,
    options.changedKinds,
    options.now,
    actor?.userId ?? null,
    await siteToday(tx, patient.siteId, options.now),
  );
  const applied = applyReconciliation(patient.id, existing, plan);
  const state = planPatientState(
    patient,
    assessment,
    assessmentId,
    applied.unresolved,
    options.now,
  );
  await writeTogether(tx, [
    sql`insert into assessments (id, patient_id, visit_id, as_of, ruleset_version, priority, result, created_by)
        values (${assessmentId}, ${patient.id}, ${options.visitId ?? null}, ${options.asOf},
                ${assessment.rulesetVersion}, ${assessment.priority}, ${JSON.stringify(assessment)}::jsonb,
                ${actor?.userId ?? null})`,
    ...reconciliationWrites(applied),
    upsertPatientState(state, options.lastVisitOn),
    ...(options.audit ? [auditInsert(actor, options.audit(assessment))] : []),
  ]);
  return { assessmentId, assessment, flags: summarizeUnresolvedFlags(applied.unresolved) };
}

/**
 * Runs independent writes as one statement (data-modifying WITH clauses): one round trip instead
 * of one per write. The parts share one snapshot, so none may read what another writes; foreign
 * keys between them hold because they are checked at the end of the statement.
 */
async function writeTogether(tx: Tx, writes: readonly SQLWrapper[]): Promise<void> {
  const main = writes[writes.length - 1];
  if (main) await tx.execute(sql`${withWrites(writes.slice(0, -1))} ${main.getSQL()}`);
}

/** `with w0 as (…), w1 as (…)` of data-modifying statements (empty for none). */
function withWrites(writes: readonly SQLWrapper[]): SQL {
  if (writes.length === 0) return sql``;
  const parts = writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.getSQL()})`);
  return sql`with ${sql.join(parts, sql`, `)}`;
}

/**
 * The patient's unresolved flags, locked until the end of the caller's transaction; `writesBefore`
 * (e.g. the visit and its observations) run in the same statement, to save round trips. The
 * caller must hold the patient lock already: a statement reads as of its start, so one that waited
 * for the patient lock would not see the flags the previous holder wrote.
 */
export async function lockUnresolvedFlags(
  tx: Tx,
  patientId: string,
  writesBefore: readonly SQLWrapper[] = [],
): Promise<UnresolvedFlag[]> {
  const rows = await queryRows<{
    id: string;
    code: string;
    severity: string;
    status: FlagRow["status"];
    version: number;
    opened_at: string;
    due_on: string | null;
    assignee_id: string | null;
    snoozed_until: string | null;
  }>(
    tx,
    sql`${withWrites(writesBefore)}
      select id, code, severity, status, version, opened_at, due_on, assignee_id, snoozed_until
      from flags where patient_id = ${patientId} and status <> 'resolved'
      for update`,
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    severity: r.severity,
    status: r.status,
    version: r.version,
    // Both drivers hand timestamps over as text here (drizzle's parsers), e.g. "… 12:00:00.123+00".
    openedAt: new Date(r.opened_at),
    dueOn: r.due_on,
    assigneeId: r.assignee_id,
    snoozedUntil: r.snoozed_until,
  }));
}

/** The columns of an unresolved flag that patient_state and the visit response use. */
export type UnresolvedFlag = Pick<
  FlagRow,
  | "id"
  | "code"
  | "severity"
  | "status"
  | "version"
  | "openedAt"
  | "dueOn"
  | "assigneeId"
  | "snoozedUntil"
>;

/** A reconciliation plan made concrete for the writer: new ids, rows, and the flags it leaves. */
export interface AppliedReconciliation {
  patientId: string;
  /** New flags (with their ids), in assessment order. */
  opened: (typeof flags.$inferInsert & { id: string })[];
  /** Changes to existing flags: firing flags kept, then auto-resolved ones. */
  changed: { flagId: string; changes: FlagChanges; bumpVersion: boolean }[];
  /** Every flag event, in the order the plan lists them (ids follow it). */
  events: (PlannedFlagEvent & { flagId: string })[];
  /** The patient's unresolved flags once the plan is written. */
  unresolved: UnresolvedFlag[];
}

/**
 * Applies `planReconciliation` to the locked unresolved flags in memory: what to insert and
 * update, and the unresolved flags the writes leave, without reading them again. The locked rows
 * cannot change meanwhile, and new flags are only opened by a reconciliation, which holds the
 * patient lock. (A care-team "reopen" of a resolved flag takes no patient lock: one committing
 * during the visit is missed by this patient_state until the patient's next change, as it was
 * when it committed after the state had been read.)
 */
export function applyReconciliation(
  patientId: string,
  existing: readonly UnresolvedFlag[],
  plan: ReconciliationPlan,
): AppliedReconciliation {
  const applied: AppliedReconciliation = {
    patientId,
    opened: [],
    changed: [],
    events: [],
    unresolved: [],
  };
  const after = new Map<string, UnresolvedFlag>(existing.map((f) => [f.id, f]));
  const newlyOpened: UnresolvedFlag[] = [];
  for (const step of plan.firing) {
    if (step.kind === "open") {
      const id = randomUUID();
      applied.opened.push({ id, patientId, ...step.values });
      applied.events.push({ flagId: id, ...step.event });
      // The columns the insert leaves to their defaults: version 1, no assignee, no snooze.
      newlyOpened.push({
        id,
        code: step.values.code,
        severity: step.values.severity,
        status: step.values.status,
        version: 1,
        openedAt: step.values.openedAt,
        dueOn: step.values.dueOn,
        assigneeId: null,
        snoozedUntil: null,
      });
      continue;
    }
    const current = after.get(step.flagId);
    if (!current) throw new Error(`Reconciliation keeps a flag it was not given: ${step.flagId}`);
    applied.changed.push({
      flagId: step.flagId,
      changes: step.changes,
      bumpVersion: step.bumpVersion,
    });
    for (const e of step.events) applied.events.push({ flagId: step.flagId, ...e });
    after.set(step.flagId, {
      ...current,
      ...definedChanges(step.changes),
      version: current.version + (step.bumpVersion ? 1 : 0),
    });
  }
  const resolve = plan.autoResolve;
  if (resolve) {
    for (const flagId of resolve.flagIds) {
      applied.changed.push({ flagId, changes: resolve.changes, bumpVersion: true });
      after.delete(flagId);
    }
    applied.events.push(...resolve.events);
  }
  applied.unresolved = [...after.values(), ...newlyOpened];
  return applied;
}

/** The changes a plan sets (an undefined value sets nothing, as in drizzle's `set`). */
function definedChanges(changes: FlagChanges): FlagChanges {
  const defined: FlagChanges = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  );
  return defined;
}

/** Every column a plan may change, by its `FlagChanges` key (the type keeps the list complete). */
const FLAG_CHANGE_COLUMNS: { [K in keyof Required<FlagChanges>]: AnyPgColumn } = {
  severity: flags.severity,
  status: flags.status,
  snoozedUntil: flags.snoozedUntil,
  lastAssessmentId: flags.lastAssessmentId,
  resolutionCode: flags.resolutionCode,
  resolvedAt: flags.resolvedAt,
  resolvedBy: flags.resolvedBy,
  updatedAt: flags.updatedAt,
  updatedBy: flags.updatedBy,
};

/**
 * One UPDATE for every changed flag, its rows in one jsonb parameter: per flag and column, whether
 * to set it and to what; the version goes up by the row's bump. Same effect as one UPDATE per
 * flag with drizzle's `set` (where an undefined value sets nothing).
 */
function updateFlagsStatement(changed: AppliedReconciliation["changed"]): SQL {
  const keys = (Object.keys(FLAG_CHANGE_COLUMNS) as (keyof FlagChanges)[]).filter((k) =>
    changed.some((c) => c.changes[k] !== undefined),
  );
  const rows = changed.map((c) => {
    const row: Record<string, unknown> = { id: c.flagId, bump: c.bumpVersion ? 1 : 0 };
    for (const k of keys) {
      const value = c.changes[k];
      row[`set_${k}`] = value !== undefined;
      row[k] = value ?? null;
    }
    return row;
  });
  // Column names and types come from the schema, never from input.
  const setters = keys.map((k) => {
    const name = FLAG_CHANGE_COLUMNS[k].name;
    return `${name} = case when v."set_${k}" then v."${k}" else f.${name} end`;
  });
  const types = keys.map(
    (k) => `"set_${k}" boolean, "${k}" ${FLAG_CHANGE_COLUMNS[k].getSQLType()}`,
  );
  return sql`update flags f set ${sql.raw([...setters, "version = f.version + v.bump"].join(", "))}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(${sql.raw(["id uuid", "bump integer", ...types].join(", "))})
    where f.id = v.id`;
}

/** The writes of an applied reconciliation: new flags, changed flags, their events (in order). */
function reconciliationWrites(applied: AppliedReconciliation): SQL[] {
  const writes: SQL[] = [];
  if (applied.opened.length > 0) {
    writes.push(sql`insert into flags (id, patient_id, code, severity, status, ruleset_version,
        opened_at, opened_assessment_id, last_assessment_id, due_on, updated_at, updated_by)
      select * from jsonb_to_recordset(${JSON.stringify(applied.opened)}::jsonb)
        as r("id" uuid, "patientId" uuid, "code" text, "severity" text, "status" text,
             "rulesetVersion" text, "openedAt" timestamptz, "openedAssessmentId" uuid,
             "lastAssessmentId" uuid, "dueOn" date, "updatedAt" timestamptz, "updatedBy" uuid)`);
  }
  if (applied.changed.length > 0) writes.push(updateFlagsStatement(applied.changed));
  if (applied.events.length > 0) {
    // Rows come out of jsonb_to_recordset in list order, so the event ids follow the plan.
    writes.push(sql`insert into flag_events (flag_id, patient_id, type, actor_id, at, data)
      select r."flagId", ${applied.patientId}, r."type", r."actorId", r."at", r."data"
      from jsonb_to_recordset(${JSON.stringify(applied.events)}::jsonb)
        as r("flagId" uuid, "type" text, "actorId" uuid, "at" timestamptz, "data" jsonb)`);
  }
  return writes;
}

/**
 * Unresolved flags as the visit response lists them: most severe first, then by code (flag codes
 * are lower-case ASCII, so code-unit order is the database's order under C and en-US collations).
 */
export function summarizeUnresolvedFlags(list: readonly UnresolvedFlag[]): FlagSummary[] {
  return [...list].sort(compareSeverityThenCode).map(flagSummary);
}

/** One unresolved flag as the visit response lists it. */
export function flagSummary(f: UnresolvedFlag): FlagSummary {
  return {
    id: f.id,
    code: f.code,
    severity: f.severity,
    status: f.status,
    version: f.version,
    openedAt: f.openedAt.toISOString(),
    dueOn: f.dueOn,
    assigneeId: f.assigneeId,
    snoozedUntil: f.snoozedUntil,
  };
}
