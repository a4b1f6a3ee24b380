import { createHash, randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import {
  selfReportObservations,
  type AcceptedSelfReport,
  type AcceptSelfReportInput,
  type CreatedSelfReport,
  type CreateSelfReportInput,
  type SelfReportAnswers,
  type SelfReportInstrument,
  type SelfReportItem,
  type SelfReportList,
  type SelfReportMode,
  type SelfReportStatus,
} from "@/lib/api/self-reports";
import type { ObservationKind } from "@/lib/clinical";
import { reassessPatient } from "./assessments";
import { auditInsert, recordAudit } from "./audit";
import type { Ctx } from "./context";
import { publicBaseUrl } from "./fhir/records";
import { getPatientInScope, isUuid } from "./scope";
import { siteToday } from "./sites";
import { insertVisit, validateVisitObservations } from "./visits";

/*
 * Self-reports, the staff's side: start a session (tablet or one-time link), list a patient's,
 * accept submitted answers into a visit. The patient's side is in self-report-session.ts.
 */

/** How a self-report's observations were obtained (observations.method). */
export const PATIENT_REPORTED = "patient-reported";
/** visits.source of a visit made from a self-report. */
export const SELF_REPORT_SOURCE = "self-report";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The stored form of a token: its SHA-256 (the token itself is shown once and never stored). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A token as the link carries it: 32 random bytes, base64url (43 characters). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SelfReportRowData {
  id: string;
  patient_id: string;
  mode: SelfReportMode;
  instruments: SelfReportInstrument[];
  status: SelfReportStatus;
  expires_at: string;
  created_at: string;
  submitted_at: string | null;
  accepted_at: string | null;
  visit_id: string | null;
  locked_at: string | null;
  risk_raised_at: string | null;
  risk_visit_id: string | null;
  failed_birth_date_tries: number;
  answers: SelfReportAnswers;
}

/** The columns every reader takes, timestamps as ISO text. */
export const SELF_REPORT_COLUMNS = sql`id::text as id, patient_id::text as patient_id, mode,
  instruments, status, to_json(expires_at) #>> '{}' as expires_at,
  to_json(created_at) #>> '{}' as created_at, to_json(submitted_at) #>> '{}' as submitted_at,
  to_json(accepted_at) #>> '{}' as accepted_at, visit_id::text as visit_id,
  to_json(locked_at) #>> '{}' as locked_at, to_json(risk_raised_at) #>> '{}' as risk_raised_at,
  risk_visit_id::text as risk_visit_id, failed_birth_date_tries, answers`;

/** The status a reader sees: a pending one past its expiry, or locked, reads as expired. */
export function effectiveStatus(row: SelfReportRowData, now: Date): SelfReportStatus {
  if (row.status !== "pending") return row.status;
  if (row.locked_at !== null || new Date(row.expires_at).getTime() <= now.getTime()) {
    return "expired";
  }
  return "pending";
}

function toItem(row: SelfReportRowData, now: Date): SelfReportItem {
  return {
    id: row.id,
    mode: row.mode,
    status: effectiveStatus(row, now),
    instruments: row.instruments,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    submittedAt: row.submitted_at === null ? null : iso(row.submitted_at),
    acceptedAt: row.accepted_at === null ? null : iso(row.accepted_at),
    visitId: row.visit_id,
    locked: row.locked_at !== null,
    riskRaisedAt: row.risk_raised_at === null ? null : iso(row.risk_raised_at),
    answers: row.answers,
  };
}

const iso = (value: string): string => new Date(value).toISOString();

/**
 * Starts a self-report for a patient of the actor's sites: a random token, of which only the hash
 * is stored; the URL carrying it is returned once. A tablet session lasts one day (the patient is
 * in the waiting room); a link the days asked for (7 by default).
 */
export async function createSelfReport(
  ctx: Ctx,
  patientId: string,
  input: CreateSelfReportInput,
  now: Date = new Date(),
): Promise<CreatedSelfReport> {
  const patient = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const token = randomBytes(32).toString("base64url");
  const id = randomUUID();
  const days = input.mode === "tablet" ? 1 : input.expiresInDays;
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  const instruments = sql.join(
    input.instruments.map((i) => sql`${i}`),
    sql`, `,
  );
  await ctx.db.execute(sql`with inserted as (
      insert into self_reports (id, patient_id, mode, instruments, token_hash, expires_at,
        created_by, created_at)
      values (${id}, ${patient.id}, ${input.mode}, array[${instruments}]::text[], ${hashToken(token)},
        ${expiresAt.toISOString()}::timestamptz, ${ctx.actor.userId}, ${now.toISOString()}::timestamptz)
    ) ${auditInsert(ctx.actor, {
      action: "self-reports.create",
      patientId: patient.id,
      entityType: "self-report",
      entityId: id,
      detail: { mode: input.mode, instruments: input.instruments, expiresInDays: days },
    })}`);
  return {
    id,
    mode: input.mode,
    url: `${publicBaseUrl()}/r/${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}

/** A patient's self-reports, newest first, with their answers (audited as a read). */
export async function listSelfReports(
  ctx: Ctx,
  patientId: string,
  now: Date = new Date(),
): Promise<SelfReportList> {
  const patient = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const rows = await queryRows<SelfReportRowData & Record<string, unknown>>(
    ctx.db,
    sql`select ${SELF_REPORT_COLUMNS} from self_reports where patient_id = ${patient.id}
        order by created_at desc, id limit 100`,
  );
  await recordAudit(ctx.db, ctx.actor, {
    action: "self-reports.list",
    patientId: patient.id,
    entityType: "patient",
    entityId: patient.id,
    detail: { count: rows.length },
  });
  return { items: rows.map((r) => toItem(r, now)) };
}

async function lockSelfReport(db: Db | Tx, id: string): Promise<SelfReportRowData | undefined> {
  const [row] = await queryRows<SelfReportRowData & Record<string, unknown>>(
    db,
    sql`select ${SELF_REPORT_COLUMNS} from self_reports where id = ${id} for update`,
  );
  return row;
}

const selfReportNotFound = (): AppError => new AppError("not-found", "Self-report was not found.");

/**
 * Accepts a submitted self-report into a visit, in one transaction: its answers become
 * observations (method patient-reported) of a new visit (source self-report), assessed with the
 * same rules as any visit. An item 9 observation written at once when the patient answered is
 * retracted as replaced, so the day holds one PHQ-9; the flag it raised stays until a person
 * resolves it (critical flags never close by themselves).
 */
export async function acceptSelfReport(
  ctx: Ctx,
  selfReportId: string,
  input: AcceptSelfReportInput,
  now: Date = new Date(),
): Promise<AcceptedSelfReport> {
  if (!isUuid(selfReportId)) throw selfReportNotFound();
  return ctx.db.transaction(async (tx) => {
    const [owner] = await queryRows<{ patient_id: string }>(
      tx,
      sql`select patient_id::text as patient_id from self_reports where id = ${selfReportId}`,
    );
    if (!owner) throw selfReportNotFound();
    const patient = await getPatientInScope(tx, ctx.actor, owner.patient_id, true);
    const row = await lockSelfReport(tx, selfReportId);
    if (!row) throw selfReportNotFound();
    const status = effectiveStatus(row, now);
    if (status !== "submitted") {
      throw new AppError(
        "conflict",
        status === "accepted"
          ? "This self-report was already accepted."
          : "This self-report has not been submitted.",
        { extra: { status, visitId: row.visit_id } },
      );
    }
    const today = await siteToday(tx, patient.siteId, now);
    const occurredOn = input.occurredOn ?? today;
    if (occurredOn > today) {
      throw new AppError("unprocessable", "The visit date is in the future.", {
        errors: [{ path: "occurredOn", message: "The visit date cannot be in the future." }],
      });
    }
    const checked = validateVisitObservations({
      occurredOn,
      observations: selfReportObservations(row.answers, occurredOn),
    });
    if (checked.status === "invalid" || checked.input.length === 0) {
      throw new AppError("unprocessable", "The self-report holds no answers to record.");
    }
    const observationList = checked.input;
    const visitId = randomUUID();
    const changedKinds = [...new Set(observationList.map((o) => o.kind))] as ObservationKind[];
    await reassessPatient(tx, ctx.actor, patient, {
      asOf: occurredOn,
      visitId,
      changedKinds,
      now,
      lastVisitOn: occurredOn,
      writesBefore: [
        ...(row.risk_visit_id === null
          ? []
          : [
              sql`update observations set entered_in_error_at = ${now.toISOString()}::timestamptz,
                  entered_in_error_reason = 'Replaced by the accepted self-report',
                  entered_in_error_by = ${ctx.actor.userId}
                where visit_id = ${row.risk_visit_id} and entered_in_error_at is null`,
            ]),
        ...insertVisit({
          id: visitId,
          patientId: patient.id,
          occurredOn,
          recordedBy: ctx.actor.userId,
          recordedAt: now,
          source: SELF_REPORT_SOURCE,
          observations: observationList,
          method: PATIENT_REPORTED,
        }),
        sql`update self_reports set status = 'accepted',
            accepted_at = ${now.toISOString()}::timestamptz, accepted_by = ${ctx.actor.userId},
            visit_id = ${visitId}
          where id = ${row.id}`,
      ],
      audit: (assessment) => ({
        action: "self-reports.accept",
        patientId: patient.id,
        entityType: "self-report",
        entityId: row.id,
        detail: {
          visitId,
          observations: observationList.length,
          kinds: changedKinds,
          priority: assessment.priority,
        },
      }),
    });
    return {
      id: row.id,
      status: "accepted",
      visitId,
      occurredOn,
      observations: observationList.length,
    };
  });
}
