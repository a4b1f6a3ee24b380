import { z } from "zod";
import { text } from "@/lib/clinical/text";
import {
  isoDateSchema,
  OBSERVATION_KINDS,
  SEXES,
  type Assessment,
  type Flag,
  type Observation,
} from "@/lib/clinical";
import { phonesSchema, type PhoneUse } from "./contacts";
import { limitSchema } from "./pagination";
import type { FlagState } from "./worklist";

/** GET /api/v1/patients query. */
export const listPatientsQuerySchema = z
  .object({
    q: text().max(100, "q must be at most 100 characters").optional(),
    siteId: z.uuid("siteId must be a site id").optional(),
    cursor: text().max(500).optional(),
    limit: limitSchema,
  })
  .strict();

const nameSchema = (label: string) =>
  text(`${label} is required`)
    .trim()
    .min(1, `${label} is required`)
    .max(100, `${label} must be at most 100 characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} cannot contain control characters`);

/** A free-text field that may be left empty (stored as null). */
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

/** POST /api/v1/patients body. */
export const createPatientSchema = z
  .strictObject({
    siteId: z.uuid("Choose a site"),
    mrn: text("MRN is required")
      .trim()
      .min(1, "MRN is required")
      .max(40, "MRN must be at most 40 characters")
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "MRN may contain letters, digits and . _ - / only"),
    givenName: nameSchema("Given name"),
    familyName: nameSchema("Family name"),
    birthDate: isoDateSchema,
    sex: z.enum(SEXES, "Sex must be female, male, other or unknown"),
    postmenopausal: z
      .boolean("Postmenopausal must be yes, no or not recorded")
      .nullable()
      .default(null),
    phones: phonesSchema.optional(),
    preferredContactTime: optionalText("Preferred contact time", 100).optional(),
    language: optionalText("Language", 60).optional(),
    /**
     * Registers the patient although one of the same name and birth date is already registered
     * at the site (without it, that match is answered with 409 and `duplicateOf`).
     */
    confirmDuplicate: z.boolean("confirmDuplicate must be true or false").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.birthDate < "1900-01-01") {
      ctx.addIssue({
        code: "custom",
        path: ["birthDate"],
        message: "Birth date must be after 1900",
      });
    }
    if (value.postmenopausal !== null && value.sex === "male") {
      ctx.addIssue({
        code: "custom",
        path: ["postmenopausal"],
        message: "Postmenopausal status applies to women only",
      });
    }
  });

export type CreatePatientInput = z.infer<typeof createPatientSchema>;

/** The patient already registered at the site that a registration matches (a 409's `duplicateOf`). */
export interface DuplicatePatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

/** GET /api/v1/patients/:id/observations query. */
export const listObservationsQuerySchema = z.strictObject({
  kind: z.enum(OBSERVATION_KINDS).optional(),
  includeRetracted: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

// Response bodies (built by lib/server/patients.ts, read by the client).

export interface PatientListItem {
  id: string;
  siteId: string;
  siteCode: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: "female" | "male" | "other" | "unknown";
  postmenopausal: boolean | null;
  priority: "urgent" | "high" | "medium" | "low" | "none";
  openFlagCount: number;
  /** A critical flag is open and nobody has acknowledged it yet. */
  unacknowledgedCritical: boolean;
  lastVisitOn: string | null;
}

export interface PatientListPage {
  items: PatientListItem[];
  nextCursor: string | null;
}

export interface PatientHeader {
  id: string;
  siteId: string;
  siteCode: string;
  siteName: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: PatientListItem["sex"];
  postmenopausal: boolean | null;
  /** How to reach the patient (contact log). */
  phones: { use: PhoneUse; value: string }[];
  preferredContactTime: string | null;
  language: string | null;
  createdAt: string;
}

export interface OpenFlag extends Pick<
  FlagState,
  | "id"
  | "code"
  | "severity"
  | "version"
  | "openedAt"
  | "dueOn"
  | "assigneeId"
  | "assigneeName"
  | "snoozedUntil"
  | "rulesetVersion"
> {
  status: "open" | "acknowledged" | "snoozed";
  /** False when the latest assessment no longer fires it (a critical flag waiting for a person). */
  firing: boolean;
  /** The flag as the rules produced it (rationale, inputs, thresholds, sources). */
  detail: Flag | null;
}

export interface PatientDetail {
  patient: PatientHeader;
  latestAssessment: (Assessment & { id: string; createdAt: string; visitId: string | null }) | null;
  openFlags: OpenFlag[];
  lastVisitOn: string | null;
}

export interface ObservationItem {
  id: string;
  kind: string;
  effective: string;
  payload: Observation;
  valueNum: number | null;
  visitId: string | null;
  recordedAt: string;
  recordedBy: string | null;
  enteredInError: { at: string; reason: string | null } | null;
  /** "patient-reported": the patient's own answer (a self-report); absent for staff entry. */
  method?: string;
}
