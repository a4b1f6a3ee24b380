import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  assess,
  observationValueNum,
  validateObservations,
  type Assessment,
  type Observation,
  type ObservationKind,
} from "@/lib/clinical";
import {
  assessPatient,
  planPatientState,
  planReconciliation,
  type PatientStateValues,
  type PlannedFlagEvent,
} from "@/lib/server/assessments";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "./client";
import { deferSchemaIfEmpty, restoreDeferredSchema } from "./deferred-schema";
import type { FlagRow, Patient } from "./schema";
import { careTeamSteps, seedHistory, type CareTeamStep, type SeedVisit } from "./seed-history";

/*
 * Bulk seed (issue #9): the same cohort, the same visit histories and the same decisions as the
 * use-case seed (recordVisit for every visit, then updateFlag for the care team's work), computed
 * in memory per patient and written in large batches. "The same decisions" is by construction:
 *
 * - observations are validated and normalised by the clinical `validateObservations`, as
 *   `recordVisit` does;
 * - each assessment is the pure `assess` as of the visit date over the patient's observations up
 *   to that date, ordered by (effective, recorded_at), as `reassessPatient` loads them;
 * - flags and their events come from `planReconciliation` and patient_state from
 *   `planPatientState`, the same pure functions `reassessPatient` and `refreshPatientState` run;
 * - the care team's work is `careTeamSteps` (shared with the use-case seed), applied by
 *   `applyCareTeamStep`, a mirror of the state changes `updateFlag` makes for the five actions the
 *   seed uses (acknowledge, assign to self, note, snooze, resolve): status and its columns,
 *   version + 1, updated_at/by, one flag event, and patient_state refreshed when the status changes.
 *
 * What differs, on purpose: ids are generated here (random UUIDs, as the database would);
 * assessments.created_at is the visit's time (the use-case path stamps the wall clock of the seed
 * run), so "latest assessment" still means the last visit; one `seed.bulk` audit event per run
 * replaces the per-visit `visits.create` and per-action `flags.update` events.
 *
 * Rows go in with one INSERT … SELECT FROM json_to_recordset($1) per table and batch: one
 * parameter however many rows, the same statement on PGlite and PostgreSQL. On a database where
 * the tables it fills are empty, their plain indexes, foreign keys and primary keys are set aside
 * during the load and restored at its end (db/deferred-schema.ts): one sorted build and one
 * set-based check each instead of per-row work (at 10 000 patients on PGlite the foreign-key
 * triggers alone were a quarter of the seed's time).
 */

/** Patients computed and written per transaction. */
export const BULK_BATCH_PATIENTS = 500;

type Row = Record<string, unknown>;

/** The patient columns the seed needs (from the database row, as recordVisit reads it). */
export type BulkPatient = Pick<
  Patient,
  "id" | "siteId" | "mrn" | "birthDate" | "sex" | "postmenopausal"
>;

/** A flag held in memory while a patient's history is replayed (the columns of `flags`). */
type MemFlag = FlagRow;

interface MemEvent extends PlannedFlagEvent {
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

/**
 * The state change `updateFlag` makes for one care-team step (acting user `actorId` at `step.at`).
 * Returns the flag event and whether the status changed (then patient_state is refreshed).
 */
export function applyCareTeamStep(
  flag: MemFlag,
  step: CareTeamStep,
  actorId: string,
): { event: PlannedFlagEvent; statusChanged: boolean } {
  const at = step.at;
  let type: string;
  let data: Record<string, unknown> = {};
  let statusChanged = true;
  switch (step.action) {
    case "acknowledge":
      flag.status = "acknowledged";
      flag.acknowledgedAt = at;
      flag.acknowledgedBy = actorId;
      flag.snoozedUntil = null;
      type = "acknowledged";
      break;
    case "assign":
      flag.assigneeId = actorId;
      type = "assigned";
      data = { assigneeId: actorId };
      statusChanged = false;
      break;
    case "note":
      type = "note";
      data = { note: step.note };
      statusChanged = false;
      break;
    case "snooze":
      flag.status = "snoozed";
      flag.snoozedUntil = step.until;
      flag.snoozeReason = step.reason;
      type = "snoozed";
      data = { until: step.until, reason: step.reason };
      break;
    case "resolve":
      flag.status = "resolved";
      flag.resolutionCode = step.reason;
      flag.resolutionNote = null;
      flag.resolvedAt = at;
      flag.resolvedBy = actorId;
      flag.snoozedUntil = null;
      type = "resolved";
      data = { reason: step.reason };
      break;
  }
  flag.version += 1;
  flag.updatedAt = at;
  flag.updatedBy = actorId;
  return { event: { type, actorId, at, data }, statusChanged };
}

interface UsableObservation {
  effective: string;
  payload: Observation;
}

const unresolved = (list: MemFlag[]) => list.filter((f) => f.status !== "resolved");

/**
 * Replays one patient's visits in memory exactly as recordVisit + reassessPatient would, then the
 * care team's work as updateFlag would. `clinicianId` records the visits; `careId` works the flags.
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
    const withDates = visit.observations.map((o) =>
      o.effective === undefined && o.kind !== "fracture"
        ? { ...o, effective: visit.occurredOn }
        : o,
    );
    const checked = validateObservations(withDates, visit.occurredOn);
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
        const { event, statusChanged } = applyCareTeamStep(flag, step, careId);
        out.flagEvents.push({ flagId: flag.id, ...event });
        if (statusChanged) {
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

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** Column name and SQL type, in insert order, per table. */
const COLUMNS = {
  visits: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["occurred_on", "date"],
    ["recorded_by", "uuid"],
    ["recorded_at", "timestamptz"],
    ["source", "text"],
  ],
  observations: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["visit_id", "uuid"],
    ["kind", "text"],
    ["effective", "date"],
    ["payload", "jsonb"],
    ["value_num", "double precision"],
    ["recorded_by", "uuid"],
    ["recorded_at", "timestamptz"],
  ],
  assessments: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["visit_id", "uuid"],
    ["as_of", "date"],
    ["ruleset_version", "text"],
    ["priority", "text"],
    ["result", "jsonb"],
    ["created_at", "timestamptz"],
    ["created_by", "uuid"],
  ],
  flags: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["code", "text"],
    ["severity", "text"],
    ["status", "text"],
    ["ruleset_version", "text"],
    ["opened_at", "timestamptz"],
    ["opened_assessment_id", "uuid"],
    ["last_assessment_id", "uuid"],
    ["due_on", "date"],
    ["assignee_id", "uuid"],
    ["acknowledged_at", "timestamptz"],
    ["acknowledged_by", "uuid"],
    ["snoozed_until", "date"],
    ["snooze_reason", "text"],
    ["resolved_at", "timestamptz"],
    ["resolved_by", "uuid"],
    ["resolution_code", "text"],
    ["resolution_note", "text"],
    ["version", "integer"],
    ["updated_at", "timestamptz"],
    ["updated_by", "uuid"],
  ],
  flag_events: [
    ["flag_id", "uuid"],
    ["patient_id", "uuid"],
    ["type", "text"],
    ["actor_id", "uuid"],
    ["at", "timestamptz"],
    ["data", "jsonb"],
  ],
  patient_state: [
    ["patient_id", "uuid"],
    ["site_id", "uuid"],
    ["priority", "text"],
    ["priority_rank", "smallint"],
    ["open_flag_codes", "text[]"],
    ["open_flag_count", "integer"],
    ["snoozed_flag_count", "integer"],
    ["snooze_wakes_on", "date"],
    ["oldest_open_flag_at", "timestamptz"],
    ["last_assessment_id", "uuid"],
    ["last_visit_on", "date"],
    ["updated_at", "timestamptz"],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

type Table = keyof typeof COLUMNS;

/**
 * One INSERT … SELECT FROM json_to_recordset: `rows` keyed by column name. A jsonb column's
 * documents travel as JSON strings, read as text and parsed once by the cast: read as jsonb, each
 * nested document is taken apart by json_to_recordset and then parsed again: the assessments'
 * inserts took about 40 % longer (10 000 patients, PostgreSQL).
 */
async function insertRows(
  db: Pick<Db, "execute">,
  table: Table,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = COLUMNS[table];
  const names = columns.map(([name]) => name).join(", ");
  const values = columns
    .map(([name, type]) => (type === "jsonb" ? `${name}::jsonb` : name))
    .join(", ");
  const definitions = columns
    .map(([name, type]) => `${name} ${type === "jsonb" ? "text" : type}`)
    .join(", ");
  const jsonb = columns.filter(([, type]) => type === "jsonb").map(([name]) => name);
  const encoded =
    jsonb.length === 0
      ? rows
      : rows.map((row) => {
          const out = { ...row };
          for (const name of jsonb)
            if (out[name] !== null && out[name] !== undefined)
              out[name] = JSON.stringify(out[name]);
          return out;
        });
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(values)} from json_to_recordset(${JSON.stringify(encoded)}::json) as x(${sql.raw(definitions)})`,
  );
}

function flagRow(f: MemFlag): Row {
  return {
    id: f.id,
    patient_id: f.patientId,
    code: f.code,
    severity: f.severity,
    status: f.status,
    ruleset_version: f.rulesetVersion,
    opened_at: f.openedAt,
    opened_assessment_id: f.openedAssessmentId,
    last_assessment_id: f.lastAssessmentId,
    due_on: f.dueOn,
    assignee_id: f.assigneeId,
    acknowledged_at: f.acknowledgedAt,
    acknowledged_by: f.acknowledgedBy,
    snoozed_until: f.snoozedUntil,
    snooze_reason: f.snoozeReason,
    resolved_at: f.resolvedAt,
    resolved_by: f.resolvedBy,
    resolution_code: f.resolutionCode,
    resolution_note: f.resolutionNote,
    version: f.version,
    updated_at: f.updatedAt,
    updated_by: f.updatedBy,
  };
}

/**
 * lz4 when the server has it (PostgreSQL 14+ built with it; PGlite is not): the assessments'
 * result documents are most of the bytes, and lz4 compresses them about twice as fast as pglz.
 */
async function toastCompression(db: Db): Promise<"lz4" | null> {
  const result = await db.execute(
    sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
  );
  return (result as { rows: { lz4: boolean }[] }).rows[0]?.lz4 ? "lz4" : null;
}

/** Writes the rows of a batch of patients in one transaction, in foreign-key order. */
async function writeBatch(
  db: Db,
  batch: readonly PatientRows[],
  compression: "lz4" | null,
): Promise<void> {
  if (batch.length === 0) return;
  const all = <K extends keyof PatientRows>(key: K) =>
    batch.flatMap((b) => b[key] as unknown as Row[]);
  await db.transaction(async (tx) => {
    // Seed data can be re-created: no need to wait for the WAL flush on each commit.
    await tx.execute(sql`set local synchronous_commit = off`);
    if (compression) await tx.execute(sql`set local default_toast_compression = lz4`);
    await insertRows(tx, "visits", all("visits"));
    await insertRows(tx, "observations", all("observations"));
    await insertRows(tx, "assessments", all("assessments"));
    await insertRows(
      tx,
      "flags",
      batch.flatMap((b) => b.flags.map(flagRow)),
    );
    await insertRows(
      tx,
      "flag_events",
      batch.flatMap((b) =>
        b.flagEvents.map((e) => ({
          flag_id: e.flagId,
          patient_id: b.patientId,
          type: e.type,
          actor_id: e.actorId,
          at: e.at,
          data: e.data,
        })),
      ),
    );
    await insertRows(
      tx,
      "patient_state",
      batch.flatMap((b) =>
        b.state
          ? [
              {
                patient_id: b.state.patientId,
                site_id: b.state.siteId,
                priority: b.state.priority,
                priority_rank: b.state.priorityRank,
                open_flag_codes: b.state.openFlagCodes,
                open_flag_count: b.state.openFlagCount,
                snoozed_flag_count: b.state.snoozedFlagCount,
                snooze_wakes_on: b.state.snoozeWakesOn,
                oldest_open_flag_at: b.state.oldestOpenFlagAt,
                last_assessment_id: b.state.lastAssessmentId,
                last_visit_on: b.state.lastVisitOn,
                updated_at: b.state.updatedAt,
              },
            ]
          : [],
      ),
    );
  });
}

/** `[#####-----] 42 % 42000/100000 patients, 1830/s, ETA 31 s` */
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
  cohort: readonly { siteCode: string; mrn: string; birthDate: string; sex: Patient["sex"] }[],
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
