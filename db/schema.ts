import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();
/** A bigint id the database numbers (append-only logs). */
const identity = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** The patient a clinical row belongs to (patients is declared below: the reference is lazy). */
const patientRef = () =>
  uuid("patient_id")
    .notNull()
    .references(() => patients.id);
/** The site a row belongs to. */
const siteRef = () =>
  uuid("site_id")
    .notNull()
    .references(() => sites.id);

export const ROLES = ["clinician", "care_team", "quality", "admin"] as const;
export const SEXES = ["female", "male", "other", "unknown"] as const;
export const FLAG_STATUSES = ["open", "acknowledged", "snoozed", "resolved"] as const;
export const PRIORITIES = ["urgent", "high", "medium", "low", "none"] as const;

export const sites = pgTable("sites", {
  id: id(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  /** IANA time zone of the clinic ("America/New_York"); null → DEFAULT_TIME_ZONE. */
  timeZone: text("time_zone"),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: id(),
    /** Stored lower-cased; sign-in compares lower-cased input. */
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    passwordHash: text("password_hash").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /**
     * Sessions carry the version they were issued under; disabling the user or resetting the
     * password bumps it, so every session issued before is refused at its next request.
     */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("users_role_check", sql`${t.role} in ('clinician','care_team','quality','admin')`),
    check("users_email_lower_check", sql`${t.email} = lower(${t.email})`),
  ],
);

export const userSites = pgTable(
  "user_sites",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    siteId: siteRef(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.siteId] }), index("user_sites_site_idx").on(t.siteId)],
);

export const patients = pgTable(
  "patients",
  {
    id: id(),
    siteId: siteRef(),
    mrn: text("mrn").notNull(),
    givenName: text("given_name").notNull(),
    familyName: text("family_name").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    sex: text("sex", { enum: SEXES }).notNull(),
    /** null = not recorded (docs/CLINICAL-RULES.md §4 policy decides from age). */
    postmenopausal: boolean("postmenopausal"),
    /**
     * What a FHIR sender said about the patient beyond these columns (identifiers with their
     * systems, name parts, telecom, address, race and ethnicity), returned as sent on every read.
     */
    fhir: jsonb("fhir"),
    /** How to reach the patient: `[{ use: "mobile" | "home" | "work" | "other", value }]`. */
    phones: jsonb("phones")
      .$type<{ use: string; value: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    preferredContactTime: text("preferred_contact_time"),
    language: text("language"),
    createdAt: createdAt(),
    createdBy: uuid("created_by").references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("patients_site_mrn_uq").on(t.siteId, t.mrn),
    index("patients_site_name_idx").on(t.siteId, t.familyName, t.givenName, t.id),
    index("patients_family_name_lower_idx").on(sql`lower(${t.familyName}) text_pattern_ops`),
    index("patients_given_name_lower_idx").on(sql`lower(${t.givenName}) text_pattern_ops`),
    index("patients_mrn_lower_idx").on(sql`lower(${t.mrn}) text_pattern_ops`),
    index("patients_birth_date_idx").on(t.birthDate),
    check("patients_sex_check", sql`${t.sex} in ('female','male','other','unknown')`),
  ],
);

export const visits = pgTable(
  "visits",
  {
    id: id(),
    patientId: patientRef(),
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull().default("form"),
  },
  (t) => [index("visits_patient_idx").on(t.patientId, t.occurredOn)],
);

export const observations = pgTable(
  "observations",
  {
    id: id(),
    patientId: patientRef(),
    visitId: uuid("visit_id").references(() => visits.id),
    kind: text("kind").notNull(),
    effective: date("effective", { mode: "string" }).notNull(),
    /** The observation exactly as in the assess contract (docs/CLINICAL-RULES.md §1). */
    payload: jsonb("payload").notNull(),
    /** One number per observation for SQL aggregation (total, T-score, ng/mL, …). */
    valueNum: doublePrecision("value_num"),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    /** Never hard-deleted: an observation entered in error is retracted with a reason. */
    enteredInErrorAt: timestamp("entered_in_error_at", { withTimezone: true }),
    enteredInErrorReason: text("entered_in_error_reason"),
    enteredInErrorBy: uuid("entered_in_error_by").references(() => users.id),
    /**
     * For an imported observation: per FHIR resource written from it, what the sender sent that the
     * payload does not hold (identifiers, codings, requester), returned on every read.
     */
    fhir: jsonb("fhir"),
    /**
     * Keys that make a re-sent resource the same observation (identifier system|value, the
     * sender's resource id): an import finds its earlier copy by any of them.
     */
    sourceKeys: text("source_keys")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Last change by a FHIR update (null: unchanged since recorded_at). */
    updatedAt: timestamp("updated_at", { withTimezone: true }),
    /** How it was obtained: "patient-reported" (the patient's own answers); null = entered by staff. */
    method: text("method"),
  },
  (t) => [
    index("observations_source_keys_idx").using("gin", t.sourceKeys),
    index("observations_patient_kind_idx").on(t.patientId, t.kind, t.effective),
    index("observations_kind_effective_idx").on(t.kind, t.effective),
    // A patient's valid observations of a kind by date, value included: the quality metrics'
    // per-patient look-ups (follow-up PHQ-9, DXA after a fracture) read the index alone.
    index("observations_quality_idx")
      .on(t.patientId, t.kind, t.effective, t.valueNum)
      .where(sql`entered_in_error_at is null`),
    index("observations_visit_idx").on(t.visitId),
  ],
);

/**
 * The flag codes an assessment's `flag_bits` records, bit i for code i: the ones the quality
 * metrics count (prevalence). Append only: the bits of stored rows follow this order, and a change
 * needs a migration that regenerates the column (`npx drizzle-kit generate`). Checked against the
 * codes the metrics use and against the database in tests/integration/quality.test.ts.
 */
export const ASSESSMENT_FLAG_BITS = [
  "depression.positive",
  "bone.severe-osteoporosis",
  "bone.osteoporosis",
  "bone.osteopenia",
  "bone.low-for-age",
  "bone.high-fracture-risk",
  "comorbidity.bone-brain",
] as const;

/** flag_bits from the stored result: bit i when a flag of the result has ASSESSMENT_FLAG_BITS[i]. */
function flagBitsExpression() {
  const terms = ASSESSMENT_FLAG_BITS.map(
    (code, i) =>
      `(case when result->'flags' @> '${JSON.stringify([{ code }])}' then ${1 << i} else 0 end)`,
  );
  return sql.raw(`(${terms.join(" | ")})`);
}

export const assessments = pgTable(
  "assessments",
  {
    id: id(),
    patientId: patientRef(),
    visitId: uuid("visit_id").references(() => visits.id),
    asOf: date("as_of", { mode: "string" }).notNull(),
    rulesetVersion: text("ruleset_version").notNull(),
    priority: text("priority", { enum: PRIORITIES }).notNull(),
    result: jsonb("result").notNull(),
    createdAt: createdAt(),
    createdBy: uuid("created_by").references(() => users.id),
    // Read by the quality metrics, which must not open the large result document of every
    // assessment: generated by the database from `result`, so every writer gets them.
    /** Bit i set when the assessment raised ASSESSMENT_FLAG_BITS[i]. */
    flagBits: integer("flag_bits").notNull().generatedAlwaysAs(flagBitsExpression()),
    phq9Band: text("phq9_band").generatedAlwaysAs(sql`result #>> '{scores,phq9,band}'`),
    whoCategory: text("who_category").generatedAlwaysAs(sql`result #>> '{scores,whoCategory}'`),
  },
  (t) => [
    index("assessments_patient_idx").on(t.patientId, t.createdAt),
    // The latest assessment per patient in a period (quality prevalence and cross-tab), with
    // what prevalence reads of it: the metrics read the index alone, in the order they need.
    index("assessments_patient_as_of_idx").on(
      t.patientId,
      t.asOf,
      t.createdAt,
      t.flagBits,
      t.phq9Band,
      t.whoCategory,
    ),
    index("assessments_as_of_idx").on(t.asOf),
  ],
);

export const flags = pgTable(
  "flags",
  {
    id: id(),
    patientId: patientRef(),
    code: text("code").notNull(),
    severity: text("severity").notNull(),
    status: text("status", { enum: FLAG_STATUSES }).notNull().default("open"),
    rulesetVersion: text("ruleset_version").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    openedAssessmentId: uuid("opened_assessment_id").references(() => assessments.id),
    lastAssessmentId: uuid("last_assessment_id").references(() => assessments.id),
    dueOn: date("due_on", { mode: "string" }),
    assigneeId: uuid("assignee_id").references(() => users.id),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id),
    snoozedUntil: date("snoozed_until", { mode: "string" }),
    snoozeReason: text("snooze_reason"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    /** treated | referred | patient-declined | not-clinically-relevant | duplicate | other | no-longer-met */
    resolutionCode: text("resolution_code"),
    resolutionNote: text("resolution_note"),
    /** Optimistic concurrency: every change bumps it; a stale version is a 409. */
    version: integer("version").notNull().default(1),
    updatedAt: updatedAt(),
    updatedBy: uuid("updated_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("flags_one_unresolved_per_code_uq")
      .on(t.patientId, t.code)
      .where(sql`${t.status} <> 'resolved'`),
    index("flags_patient_idx").on(t.patientId, t.status),
    index("flags_status_severity_idx").on(t.status, t.severity, t.openedAt),
    index("flags_assignee_idx").on(t.assigneeId, t.status),
    index("flags_code_idx").on(t.code, t.status),
    index("flags_opened_at_idx").on(t.openedAt),
    // Snoozed flags per patient with their end (the worklist counts, index-only).
    index("flags_snoozed_idx")
      .on(t.patientId, t.snoozedUntil)
      .where(sql`${t.status} = 'snoozed'`),
    check("flags_status_check", sql`${t.status} in ('open','acknowledged','snoozed','resolved')`),
    check(
      "flags_severity_check",
      sql`${t.severity} in ('critical','high','moderate','low','info')`,
    ),
  ],
);

export const flagEvents = pgTable(
  "flag_events",
  {
    id: identity(),
    flagId: uuid("flag_id")
      .notNull()
      .references(() => flags.id),
    patientId: patientRef(),
    /** opened | severity-changed | acknowledged | assigned | note | snoozed | unsnoozed | resolved | auto-resolved | reopened */
    type: text("type").notNull(),
    actorId: uuid("actor_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    data: jsonb("data").notNull().default({}),
  },
  (t) => [index("flag_events_flag_idx").on(t.flagId, t.at), index("flag_events_at_idx").on(t.at)],
);

export const CONTACT_KINDS = ["call", "message", "visit"] as const;
export const CONTACT_OUTCOMES = ["reached", "no-answer", "left-message"] as const;

/** The care team's contact attempts with a patient (append only), each setting the next one due. */
export const patientContacts = pgTable(
  "patient_contacts",
  {
    id: id(),
    patientId: patientRef(),
    kind: text("kind", { enum: CONTACT_KINDS }).notNull(),
    outcome: text("outcome", { enum: CONTACT_OUTCOMES }).notNull(),
    note: text("note"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    nextDueOn: date("next_due_on", { mode: "string" }),
    byId: uuid("by_id").references(() => users.id),
  },
  (t) => [
    // A patient's contacts newest first, and the latest one (the worklist's last and next contact).
    index("patient_contacts_patient_at_idx").on(t.patientId, t.at.desc()),
    check("patient_contacts_kind_check", sql`${t.kind} in ('call','message','visit')`),
    check(
      "patient_contacts_outcome_check",
      sql`${t.outcome} in ('reached','no-answer','left-message')`,
    ),
  ],
);

export const patientState = pgTable(
  "patient_state",
  {
    patientId: uuid("patient_id")
      .primaryKey()
      .references(() => patients.id),
    siteId: siteRef(),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("none"),
    /** urgent 4 … none 0: sorts the worklist without a CASE expression. */
    priorityRank: smallint("priority_rank").notNull().default(0),
    openFlagCodes: text("open_flag_codes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    openFlagCount: integer("open_flag_count").notNull().default(0),
    /** Unresolved flags with the status snoozed, and the earliest date one of them wakes. */
    snoozedFlagCount: integer("snoozed_flag_count").notNull().default(0),
    snoozeWakesOn: date("snooze_wakes_on", { mode: "string" }),
    oldestOpenFlagAt: timestamp("oldest_open_flag_at", { withTimezone: true }),
    lastAssessmentId: uuid("last_assessment_id").references(() => assessments.id),
    lastVisitOn: date("last_visit_on", { mode: "string" }),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The worklist's order within a site: priority (desc), oldest open flag, patient (keyset).
    index("patient_state_worklist_idx").on(
      t.siteId,
      t.priorityRank.desc().nullsFirst(),
      t.oldestOpenFlagAt.asc(),
      t.patientId.asc(),
    ),
    index("patient_state_codes_idx").using("gin", t.openFlagCodes),
    // The worklist's counts per priority: patients with unresolved flags, read index-only
    // (whether a patient has an active flag is decided from the counts and the wake date).
    index("patient_state_open_idx")
      .on(t.siteId, t.priority, t.patientId, t.openFlagCount, t.snoozedFlagCount, t.snoozeWakesOn)
      .where(sql`${t.openFlagCount} > 0`),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: identity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    /** e.g. auth.sign-in, patients.list, patients.read, visits.create, permission.denied */
    action: text("action").notNull(),
    outcome: text("outcome").notNull().default("success"),
    patientId: uuid("patient_id"),
    entityType: text("entity_type"),
    entityId: text("entity_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").notNull().default({}),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_actor_idx").on(t.actorId, t.at),
    index("audit_events_patient_idx").on(t.patientId, t.at),
    index("audit_events_action_idx").on(t.action, t.at),
  ],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: identity(),
    email: text("email").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    success: boolean("success").notNull(),
    ip: text("ip"),
    /** Set on the row an administrator adds to clear the account's sign-in throttling. */
    unlockedBy: uuid("unlocked_by").references(() => users.id),
  },
  (t) => [
    index("login_attempts_email_at_idx").on(t.email, t.at),
    index("login_attempts_ip_at_idx").on(t.ip, t.at),
  ],
);

export const SELF_REPORT_MODES = ["tablet", "link"] as const;
export const SELF_REPORT_STATUSES = ["pending", "submitted", "accepted", "expired"] as const;

/**
 * A questionnaire session the patient answers (on a clinic tablet or through a one-time link).
 * Only a hash of the link's token is stored. Answers are saved as each one is given, so a session
 * that stops part-way keeps what was answered. `status` is pending until submitted; a pending one
 * past `expires_at` or locked by wrong birth dates reads as expired.
 */
export const selfReports = pgTable(
  "self_reports",
  {
    id: id(),
    patientId: patientRef(),
    mode: text("mode", { enum: SELF_REPORT_MODES }).notNull(),
    instruments: text("instruments").array().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: SELF_REPORT_STATUSES }).notNull().default("pending"),
    answers: jsonb("answers").notNull().default({}),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    failedBirthDateTries: integer("failed_birth_date_tries").notNull().default(0),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    /** When a PHQ-9 item 9 answer above 0 was assessed (at once, before review), and its visit. */
    riskRaisedAt: timestamp("risk_raised_at", { withTimezone: true }),
    riskVisitId: uuid("risk_visit_id").references(() => visits.id),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id),
    visitId: uuid("visit_id").references(() => visits.id),
  },
  (t) => [
    index("self_reports_patient_idx").on(t.patientId, t.createdAt),
    check("self_reports_mode_check", sql`${t.mode} in ('tablet','link')`),
    check(
      "self_reports_status_check",
      sql`${t.status} in ('pending','submitted','accepted','expired')`,
    ),
  ],
);

export type Site = typeof sites.$inferSelect;
export type User = typeof users.$inferSelect;
export type Patient = typeof patients.$inferSelect;
export type NewPatient = typeof patients.$inferInsert;
export type Visit = typeof visits.$inferSelect;
export type ObservationRow = typeof observations.$inferSelect;
export type AssessmentRow = typeof assessments.$inferSelect;
export type FlagRow = typeof flags.$inferSelect;
export type FlagEventRow = typeof flagEvents.$inferSelect;
export type SelfReportRow = typeof selfReports.$inferSelect;
export type PatientContactRow = typeof patientContacts.$inferSelect;
export type PatientStateRow = typeof patientState.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type Role = (typeof ROLES)[number];

/**
 * API tokens for systems (EHR integrations) calling /fhir/r4. Each token acts through its own
 * service account (a `users` row that cannot sign in), so every write and audit event names it.
 * Only a hash of the token is stored; the token is shown once, when issued.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    name: text("name").notNull(),
    /** First characters of the token, to recognise it in lists (not secret). */
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    serviceUserId: uuid("service_user_id")
      .notNull()
      .references(() => users.id),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_service_user_idx").on(t.serviceUserId)],
);

/** CDS Hooks feedback (accepted / overridden cards), for the quality team's rule performance. */
export const cdsFeedback = pgTable(
  "cds_feedback",
  {
    id: identity(),
    serviceId: text("service_id").notNull(),
    cardUuid: text("card_uuid").notNull(),
    /** accepted | overridden */
    outcome: text("outcome").notNull(),
    overrideReason: jsonb("override_reason"),
    acceptedSuggestions: jsonb("accepted_suggestions"),
    outcomeTimestamp: timestamp("outcome_timestamp", { withTimezone: true }).notNull(),
    /** The flag code and ruleset version behind the card, when known. */
    flagCode: text("flag_code"),
    rulesetVersion: text("ruleset_version"),
    clientIss: text("client_iss"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("cds_feedback_card_idx").on(t.cardUuid),
    index("cds_feedback_flag_idx").on(t.flagCode, t.rulesetVersion),
  ],
);

/** CDS cards as issued, so feedback on a card uuid can be traced to its flag and ruleset. */
export const cdsCards = pgTable(
  "cds_cards",
  {
    uuid: text("uuid").primaryKey(),
    serviceId: text("service_id").notNull(),
    flagCode: text("flag_code"),
    rulesetVersion: text("ruleset_version").notNull(),
    patientId: uuid("patient_id"),
    /** The card's suggestions: uuid → suggestion id (feedback's acceptedSuggestions name them). */
    suggestions: jsonb("suggestions"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("cds_cards_issued_idx").on(t.issuedAt)],
);

/**
 * Each import of a patient's record from an EHR at a SMART launch: from where (the EHR's FHIR base
 * URL), by whom, and what it did, so the patient page can show what came from which system.
 */
export const ehrImports = pgTable(
  "ehr_imports",
  {
    id: id(),
    patientId: patientRef(),
    /** The EHR's FHIR base URL (the launch's iss). */
    source: text("source").notNull(),
    importedBy: uuid("imported_by").references(() => users.id),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
    visitId: uuid("visit_id").references(() => visits.id),
    /** Counts only: resources read per type, observations created, updated, unchanged, not used. */
    summary: jsonb("summary").notNull(),
  },
  (t) => [index("ehr_imports_patient_idx").on(t.patientId, t.importedAt)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;

// Tables of the app's own machinery (caches, leases, replay guards), in their own file.
export * from "./schema-operations";
