import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { patients, type Patient } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import {
  item9Positive,
  MAX_BIRTH_DATE_TRIES,
  selfReportObservations,
  SUICIDE_ITEM_INDEX,
  type SaveAnswerInput,
  type SelfReportAnswers,
  type SelfReportMode,
  type SelfReportSessionView,
  type SteadiAnswers,
} from "@/lib/api/self-reports";
import { reassessPatient } from "./assessments";
import { auditInsert, recordAudit, type AuditEvent } from "./audit";
import {
  effectiveStatus,
  hashToken,
  PATIENT_REPORTED,
  SELF_REPORT_COLUMNS,
  SELF_REPORT_SOURCE,
  TOKEN_PATTERN,
  type SelfReportRowData,
} from "./self-reports";
import { delaySeconds, type ThrottleLane } from "./sign-in-throttle";
import { siteToday } from "./sites";
import { insertVisit, validateVisitObservations } from "./visits";

/*
 * Self-reports, the patient's side: no user acts here, the link (or the tablet handed over) does.
 * Every event is audited with the role "patient", the address and the browser, never a user.
 */

/** Where the patient's request came from (for the audit log and the throttle). */
export interface LinkRequest {
  ip: string | null;
  userAgent: string | null;
}

function linkEvent(from: LinkRequest, event: AuditEvent): AuditEvent {
  return { ...event, actorRole: "patient", ip: from.ip, userAgent: from.userAgent };
}

/**
 * Wrong birth dates from one address, over every link, slow down like sign-in failures (the same
 * growing delays; lib/server/sign-in-throttle.ts): one address guessing across many links waits.
 */
export const BIRTH_DATE_ADDRESS_LANE: ThrottleLane = { free: 10, capSeconds: 15 * 60 };
const ADDRESS_WINDOW_MS = 60 * 60 * 1000;

const gone = (why: string): AppError => new AppError("gone", why);
const GONE_TEXT = "This questionnaire link has been used or has expired.";

/** The self-report a link's token names; unknown tokens are 404, used or expired ones 410. */
async function byToken(db: Db | Tx, token: string): Promise<SelfReportRowData> {
  const [row] = TOKEN_PATTERN.test(token)
    ? await queryRows<SelfReportRowData & Record<string, unknown>>(
        db,
        sql`select ${SELF_REPORT_COLUMNS} from self_reports where token_hash = ${hashToken(token)}`,
      )
    : [];
  if (!row) throw new AppError("not-found", "This questionnaire link is not known.");
  return row;
}

/**
 * Opens a link (or a tablet session): audited, whether it is still usable or not. Usable means
 * pending: not submitted, not expired, not locked by wrong birth dates.
 */
export async function openSelfReport(
  db: Db,
  token: string,
  from: LinkRequest,
  now: Date = new Date(),
): Promise<{ id: string; mode: SelfReportMode; expiresAt: string }> {
  const row = await byToken(db, token);
  const status = effectiveStatus(row, now);
  const usable = status === "pending";
  await recordAudit(
    db,
    null,
    linkEvent(from, {
      action: "self-reports.open",
      outcome: usable ? "success" : "failure",
      patientId: row.patient_id,
      entityType: "self-report",
      entityId: row.id,
      detail: { mode: row.mode, ...(usable ? {} : { status, locked: row.locked_at !== null }) },
    }),
  );
  if (!usable) throw gone(GONE_TEXT);
  return { id: row.id, mode: row.mode, expiresAt: new Date(row.expires_at).toISOString() };
}

/**
 * What the patient's page shows for a session: the first name, the instruments, and (once the
 * birth date is confirmed, or on the tablet) the answers so far. Null when it can no longer be
 * answered (the page then says so); a submitted one reads as done.
 */
export async function loadSessionView(
  db: Db,
  selfReportId: string,
  verified: boolean,
  from: LinkRequest,
  now: Date = new Date(),
): Promise<SelfReportSessionView | null> {
  const [row] = await queryRows<
    SelfReportRowData & { given_name: string } & Record<string, unknown>
  >(
    db,
    sql`select ${SELF_REPORT_COLUMNS}, (select given_name from patients p where p.id = patient_id)
          as given_name
        from self_reports where id = ${selfReportId}`,
  );
  if (!row) return null;
  const status = effectiveStatus(row, now);
  if (status !== "pending" && status !== "submitted") return null;
  const confirmed = verified || row.mode === "tablet";
  await recordAudit(
    db,
    null,
    linkEvent(from, {
      action: "self-reports.view",
      patientId: row.patient_id,
      entityType: "self-report",
      entityId: row.id,
      detail: { status, confirmed },
    }),
  );
  return {
    firstName: row.given_name,
    mode: row.mode,
    instruments: row.instruments,
    verified: confirmed,
    answers: confirmed && status === "pending" ? row.answers : {},
    status,
  };
}

async function lockPending(tx: Tx, selfReportId: string, now: Date): Promise<SelfReportRowData> {
  const [row] = await queryRows<SelfReportRowData & Record<string, unknown>>(
    tx,
    sql`select ${SELF_REPORT_COLUMNS} from self_reports where id = ${selfReportId} for update`,
  );
  if (!row || effectiveStatus(row, now) !== "pending") throw gone(GONE_TEXT);
  return row;
}

/**
 * Checks the birth date a link asks for. A wrong one counts (five lock the link for good) and
 * slows the address down; the count is committed before the refusal is thrown.
 */
export async function verifyBirthDate(
  db: Db,
  selfReportId: string,
  birthDate: string,
  from: LinkRequest,
  now: Date = new Date(),
): Promise<void> {
  if (from.ip !== null) {
    const [recent] = await queryRows<{ n: number; last: string | null }>(
      db,
      sql`select count(*)::int as n, to_json(max(at)) #>> '{}' as last from audit_events
          where action = 'self-reports.verify' and outcome = 'failure' and ip = ${from.ip}
            and at > ${new Date(now.getTime() - ADDRESS_WINDOW_MS).toISOString()}::timestamptz`,
    );
    const delay = delaySeconds(recent?.n ?? 0, BIRTH_DATE_ADDRESS_LANE);
    if (recent?.last && delay > 0) {
      const remaining = new Date(recent.last).getTime() + delay * 1000 - now.getTime();
      if (remaining > 0) {
        const retryAfterSeconds = Math.ceil(remaining / 1000);
        throw new AppError(
          "too-many-requests",
          `Too many tries from this device. Please wait ${retryAfterSeconds} seconds.`,
          { retryAfterSeconds },
        );
      }
    }
  }
  const outcome = await db.transaction(async (tx) => {
    const row = await lockPending(tx, selfReportId, now);
    const [patient] = await queryRows<{ birth_date: string }>(
      tx,
      sql`select birth_date::text as birth_date from patients where id = ${row.patient_id}`,
    );
    // Dated by the caller's clock: the address throttle above counts these by it.
    const event = {
      patientId: row.patient_id,
      entityType: "self-report",
      entityId: row.id,
      at: now,
    };
    if (patient?.birth_date === birthDate) {
      await tx.execute(
        auditInsert(null, linkEvent(from, { ...event, action: "self-reports.verify" })),
      );
      return { ok: true as const };
    }
    const tries = row.failed_birth_date_tries + 1;
    const locked = tries >= MAX_BIRTH_DATE_TRIES;
    await tx.execute(sql`with counted as (
        update self_reports set failed_birth_date_tries = ${tries},
          locked_at = ${locked ? now.toISOString() : null}::timestamptz
        where id = ${row.id}
      ) ${auditInsert(
        null,
        linkEvent(from, {
          ...event,
          action: "self-reports.verify",
          outcome: "failure",
          detail: { tries, locked },
        }),
      )}`);
    return { ok: false as const, tries, locked };
  });
  if (outcome.ok) return;
  if (outcome.locked) {
    throw gone("This link is locked after too many tries. Please contact your clinic.");
  }
  const left = MAX_BIRTH_DATE_TRIES - outcome.tries;
  throw new AppError("unprocessable", "That birth date does not match our records.", {
    errors: [
      {
        path: "birthDate",
        message: `That date does not match. ${left} ${left === 1 ? "try" : "tries"} left.`,
      },
    ],
    extra: { triesLeft: left },
  });
}

/** The answers with one more (or one taken back). */
export function withAnswer(answers: SelfReportAnswers, input: SaveAnswerInput): SelfReportAnswers {
  if (input.instrument === "phq9") {
    const items = Array.from({ length: 9 }, (_, i) => answers.phq9?.[i] ?? null);
    items[input.item] = input.value;
    return { ...answers, phq9: items };
  }
  if (input.instrument === "gds15") {
    const items = Array.from({ length: 15 }, (_, i) => answers.gds15?.[i] ?? null);
    items[input.item] = input.value;
    return { ...answers, gds15: items };
  }
  const steadi: SteadiAnswers = {
    countPast12Months: null,
    injurious: null,
    unsteady: null,
    worriedAboutFalling: null,
    ...answers.steadi,
    [input.item]: input.value,
  };
  // No fall, no injurious fall: an earlier answer to that question no longer applies.
  if (steadi.countPast12Months === 0) steadi.injurious = null;
  return { ...answers, steadi };
}

async function lockPatient(tx: Tx, patientId: string): Promise<Patient> {
  const [patient] = await tx
    .select()
    .from(patients)
    .where(eq(patients.id, patientId))
    .for("update");
  if (!patient) throw gone(GONE_TEXT);
  return patient;
}

/**
 * Saves one answer as soon as it is given, so a session that stops part-way keeps it. A PHQ-9
 * item 9 answer above 0 is assessed at once, before any review: a visit (source self-report)
 * with the PHQ-9 as answered so far (method patient-reported) goes through the same rules and
 * flag reconciliation as any visit, so the suicide-risk flag opens and the patient goes to the top
 * of the worklist in the same transaction as the answer.
 */
export async function saveAnswer(
  db: Db,
  selfReportId: string,
  input: SaveAnswerInput,
  from: LinkRequest,
  now: Date = new Date(),
): Promise<{ answers: SelfReportAnswers; riskRaised: boolean }> {
  return db.transaction(async (tx) => {
    // The patient first, as a visit takes it, then the self-report: one lock order.
    const [owner] = await queryRows<{ patient_id: string }>(
      tx,
      sql`select patient_id::text as patient_id from self_reports where id = ${selfReportId}`,
    );
    if (!owner) throw gone(GONE_TEXT);
    const patient = await lockPatient(tx, owner.patient_id);
    const row = await lockPending(tx, selfReportId, now);
    if (!row.instruments.includes(input.instrument)) {
      throw new AppError("unprocessable", "That question is not part of this questionnaire.", {
        errors: [{ path: "instrument", message: "is not one of this session's instruments" }],
      });
    }
    const answers = withAnswer(row.answers, input);
    const save = sql`update self_reports set answers = ${JSON.stringify(answers)}::jsonb
      where id = ${row.id}`;
    const raise = item9Positive(answers) && row.risk_raised_at === null;
    if (!raise) {
      await tx.execute(save);
      return { answers, riskRaised: row.risk_raised_at !== null };
    }
    const today = await siteToday(tx, patient.siteId, now);
    const checked = validateVisitObservations({
      occurredOn: today,
      observations: selfReportObservations({ phq9: answers.phq9 ?? [] }, today),
    });
    if (checked.status === "invalid") throw new Error("self-report PHQ-9 failed the contract");
    const visitId = randomUUID();
    await reassessPatient(tx, null, patient, {
      asOf: today,
      visitId,
      changedKinds: ["phq9"],
      now,
      lastVisitOn: today,
      writesBefore: [
        ...insertVisit({
          id: visitId,
          patientId: patient.id,
          occurredOn: today,
          recordedBy: null,
          recordedAt: now,
          source: SELF_REPORT_SOURCE,
          observations: checked.input,
          method: PATIENT_REPORTED,
        }),
        // One UPDATE of the row (a statement may change a row once): the answer and the risk.
        sql`update self_reports set answers = ${JSON.stringify(answers)}::jsonb,
            risk_raised_at = ${now.toISOString()}::timestamptz, risk_visit_id = ${visitId}
          where id = ${row.id}`,
      ],
      audit: (assessment) =>
        linkEvent(from, {
          action: "self-reports.risk-raised",
          patientId: patient.id,
          entityType: "self-report",
          entityId: row.id,
          detail: { visitId, item: SUICIDE_ITEM_INDEX + 1, priority: assessment.priority },
        }),
    });
    return { answers, riskRaised: true };
  });
}

/** Submits the answers for review: the link is used up (410 from now on). Audited. */
export async function submitSelfReport(
  db: Db,
  selfReportId: string,
  from: LinkRequest,
  now: Date = new Date(),
): Promise<{ status: "submitted"; submittedAt: string }> {
  return db.transaction(async (tx) => {
    const row = await lockPending(tx, selfReportId, now);
    if (selfReportObservations(row.answers, "2000-01-01").length === 0) {
      throw new AppError("unprocessable", "Please answer at least one question first.");
    }
    await tx.execute(sql`with submitted as (
        update self_reports set status = 'submitted', submitted_at = ${now.toISOString()}::timestamptz
        where id = ${row.id}
      ) ${auditInsert(
        null,
        linkEvent(from, {
          action: "self-reports.submit",
          patientId: row.patient_id,
          entityType: "self-report",
          entityId: row.id,
          detail: { mode: row.mode, instruments: row.instruments },
        }),
      )}`);
    return { status: "submitted" as const, submittedAt: now.toISOString() };
  });
}
