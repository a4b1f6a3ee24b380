import { z } from "zod";
import { text } from "@/lib/clinical/text";
import { isoDateSchema } from "@/lib/clinical";
import { limitSchema } from "./pagination";

export const AUDIT_OUTCOMES = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Most events one CSV export holds; a larger selection is refused (narrow the dates) rather than cut. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

const optionalText = (max: number, label: string) =>
  text()
    .trim()
    .max(max, `${label} is at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** An empty form field (`?outcome=`) means "no filter". */
const blankAsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema);

/** GET /api/v1/audit (and audit.csv) query: every filter lives in the URL. */
export const auditQuerySchema = z
  .strictObject({
    /** The actor: a user id or an email address (case-insensitive). */
    user: optionalText(320, "user"),
    /** The patient: an id, an MRN (exact, any case) or the start of a name ("Smith", "Ann Smith"). */
    patient: optionalText(100, "patient").refine(
      (v) => v === undefined || v.length >= 2,
      "patient needs at least 2 characters (an id, an MRN or the start of a name)",
    ),
    /** A prefix of the action: `patients.` matches patients.read, patients.list, … */
    action: optionalText(100, "action").pipe(
      text()
        .regex(/^[a-z0-9._-]+$/i, "action may hold letters, digits, dots and dashes only")
        .optional(),
    ),
    outcome: blankAsUndefined(
      z.enum(AUDIT_OUTCOMES, `outcome must be one of: ${AUDIT_OUTCOMES.join(", ")}`).optional(),
    ),
    /** First day (UTC), inclusive. */
    from: blankAsUndefined(isoDateSchema.optional()),
    /** Last day (UTC), inclusive. */
    to: blankAsUndefined(isoDateSchema.optional()),
    cursor: text().max(200).optional(),
    limit: limitSchema,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ["to"],
    message: "to must be on or after from",
  });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The filters only (what an export or the audit of a read records). */
export type AuditFilters = Pick<
  AuditQuery,
  "user" | "patient" | "action" | "outcome" | "from" | "to"
>;

/** One audit event as the viewer shows it. */
export interface AuditEventItem {
  id: number;
  /** UTC, ISO 8601 with microseconds (`2026-11-20T14:03:12.123456Z`). */
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  /** The actor's name as the user list has it now (null for the system or a deleted user). */
  actorName: string | null;
  action: string;
  outcome: string;
  patientId: string | null;
  /** The patient concerned, by name and MRN ("Family, Given"), when there is one. */
  patientName: string | null;
  patientMrn: string | null;
  /** The zone the time is shown in: the patient's site's, else the deployment's. */
  timeZone: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: unknown;
}

/** GET /api/v1/audit response: newest first, keyset-paginated. */
export interface AuditPage {
  items: AuditEventItem[];
  nextCursor: string | null;
}
