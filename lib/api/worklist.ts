import { z } from "zod";
import { text } from "@/lib/clinical/text";
import { FLAG_CODES, isoDateSchema, type Flag, type Priority, type Severity } from "@/lib/clinical";
import { limitSchema } from "./pagination";
import { FLAG_AREAS, RESOLUTION_REASONS, SAFETY_PLAN_DONE } from "./worklist-values";

export { FLAG_AREAS, RESOLUTION_REASONS, SAFETY_PLAN_DONE } from "./worklist-values";
export type { FlagArea, ResolutionReason } from "./worklist-values";

export const WORKLIST_PRIORITIES = ["urgent", "high", "medium", "low", "none"] as const;
/** `active` = open or acknowledged (snoozed flags whose snooze has ended count as open). */
export const WORKLIST_STATUSES = ["active", "open", "acknowledged", "snoozed", "all"] as const;

export const WORKLIST_SORTS = ["priority", "contact"] as const;

const listOf = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z
    .union([text(), z.array(text())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, `${label} must be one of: ${values.join(", ")}`)));

/** GET /api/v1/worklist (and .csv) query: every filter lives in the URL. */
export const worklistQuerySchema = z.strictObject({
  priority: listOf(WORKLIST_PRIORITIES, "priority").optional(),
  /** A flag code (`bone.osteoporosis`) or an area (`bone`). */
  code: text()
    .refine(
      (v) =>
        (FLAG_CODES as readonly string[]).includes(v) ||
        (FLAG_AREAS as readonly string[]).includes(v),
      `code must be a flag code or one of the areas: ${FLAG_AREAS.join(", ")}`,
    )
    .optional(),
  status: z
    .enum(WORKLIST_STATUSES, `status must be one of: ${WORKLIST_STATUSES.join(", ")}`)
    .default("active"),
  /** me | unassigned | anyone | a user id */
  assignee: z
    .union(
      [z.enum(["me", "unassigned", "anyone"]), z.uuid()],
      "assignee must be me, unassigned, anyone or a user id",
    )
    .default("anyone"),
  overdue: z
    .enum(["true", "false"], "overdue must be true or false")
    .optional()
    .transform((v) => v === "true"),
  site: z.uuid("site must be a site id").optional(),
  /** `priority` (the default): oldest flag first within a priority; `contact`: overdue contacts first. */
  sort: z
    .enum(WORKLIST_SORTS, `sort must be one of: ${WORKLIST_SORTS.join(", ")}`)
    .default("priority"),
  cursor: text().max(500).optional(),
  limit: limitSchema,
});
export type WorklistQuery = z.infer<typeof worklistQuerySchema>;

/** Longest snooze (policy of this product: a snoozed flag comes back within a year). */
export const MAX_SNOOZE_DAYS = 365;
export const MAX_NOTE_LENGTH = 2000;

const version = z.number("version is required").int().min(1);
const note = text()
  .trim()
  .min(1, "Write a note.")
  .max(MAX_NOTE_LENGTH, `A note is at most ${MAX_NOTE_LENGTH} characters.`);

/** Other names callers use for the same fields (the stored column names), mapped first. */
const FLAG_ACTION_ALIASES: Record<string, Record<string, string>> = {
  snooze: { snoozedUntil: "until", snoozeUntil: "until", snoozeReason: "reason" },
  resolve: { resolutionCode: "reason", resolutionNote: "note" },
  assign: { assignee: "assigneeId" },
};

function canonicalFlagAction(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const aliases =
    typeof record.action === "string" ? FLAG_ACTION_ALIASES[record.action] : undefined;
  if (!aliases) return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const canonical = aliases[key];
    out[canonical && !(canonical in record) ? canonical : key] = value;
  }
  return out;
}

/** PATCH /api/v1/flags/:id body: one action, carrying the version the user saw. */
const flagActionUnion = z.discriminatedUnion(
  "action",
  [
    z.strictObject({ action: z.literal("acknowledge"), version }),
    z.strictObject({
      action: z.literal("assign"),
      version,
      /** A care-team member of the patient's site, "me", or null to unassign. */
      assigneeId: z.union([z.uuid("assigneeId must be a user id"), z.literal("me"), z.null()]),
    }),
    z.strictObject({ action: z.literal("note"), version, note }),
    z.strictObject({
      action: z.literal("snooze"),
      version,
      until: isoDateSchema,
      reason: text().trim().min(3, "Say why the flag is snoozed.").max(500),
    }),
    z
      .strictObject({
        action: z.literal("resolve"),
        version,
        reason: z.enum(
          [...RESOLUTION_REASONS, SAFETY_PLAN_DONE],
          `reason must be one of: ${[...RESOLUTION_REASONS, SAFETY_PLAN_DONE].join(", ")}`,
        ),
        note: text().trim().max(MAX_NOTE_LENGTH).optional(),
      })
      .refine((v) => v.reason !== "other" || (v.note?.length ?? 0) > 0, {
        path: ["note"],
        message: "Say what happened when the reason is “other”.",
      }),
    z.strictObject({
      action: z.literal("reopen"),
      version,
      note: text().trim().max(MAX_NOTE_LENGTH).optional(),
    }),
  ],
  { error: "action must be one of: acknowledge, assign, note, snooze, resolve, reopen" },
);
/** The action body, accepting the stored column names as aliases (`snoozedUntil`, `resolutionCode`, `assignee`). */
export const flagActionSchema = z.preprocess(canonicalFlagAction, flagActionUnion);
export type FlagAction = z.infer<typeof flagActionUnion>;

// Response bodies (the server builds them; the client reads them).

export interface WorklistFlag {
  id: string;
  code: string;
  title: string;
  severity: Severity;
  /** The stored status, except that a snooze that has ended reads as open. */
  status: "open" | "acknowledged" | "snoozed";
  version: number;
  openedAt: string;
  dueOn: string | null;
  overdueDays: number | null;
  assigneeId: string | null;
  assigneeName: string | null;
  snoozedUntil: string | null;
  /** Raised by the patient's own answer on a self-report (absent: from a visit or import). */
  source?: "self-report";
}

export interface WorklistItem {
  patientId: string;
  priority: Priority;
  patient: {
    givenName: string;
    familyName: string;
    age: number;
    birthDate: string;
    mrn: string;
    siteId: string;
    siteCode: string;
    /** The site's IANA time zone: times about this patient are shown in it. */
    timeZone: string;
    phones: { use: string; value: string }[];
    preferredContactTime: string | null;
    language: string | null;
  };
  /** Unresolved flags, most severe first. */
  flags: WorklistFlag[];
  /** The same list under the name the patient detail uses. */
  openFlags: WorklistFlag[];
  oldestOpenFlagAt: string;
  oldestOpenFlagDays: number;
  assignees: string[];
  /** Earliest due date among active flags, and by how many days it is overdue (null if not). */
  dueOn: string | null;
  overdueDays: number | null;
  lastVisitOn: string | null;
  /** The latest logged contact (ISO timestamp) and the day the next one is due (ISO date). */
  lastContactAt: string | null;
  nextContactDue: string | null;
  /** Since the first `depression.positive` flag opened (null if never). */
  depressionCareSince: string | null;
  weeksInDepressionCare: number | null;
}

export interface WorklistPage {
  items: WorklistItem[];
  nextCursor: string | null;
  /** Patients per priority matching every filter but the priority filter. */
  counts: Record<Priority, number>;
}

export type { TreatToTargetItem } from "./treat-to-target";

export interface FlagEventItem {
  id: number;
  type: string;
  at: string;
  actorName: string | null;
  data: Record<string, unknown>;
}

export interface FlagState {
  id: string;
  patientId: string;
  code: string;
  title: string;
  severity: Severity;
  status: "open" | "acknowledged" | "snoozed" | "resolved";
  version: number;
  openedAt: string;
  dueOn: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  snoozedUntil: string | null;
  snoozeReason: string | null;
  resolutionCode: string | null;
  resolutionNote: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  updatedByName: string | null;
  rulesetVersion: string;
}

/** GET /api/v1/flags/:id: the flag, the rule's account of it and its timeline. */
export type FlagWithTimeline = FlagState & { events: FlagEventItem[]; detail: Flag | null };
