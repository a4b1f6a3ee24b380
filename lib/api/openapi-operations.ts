import { z } from "zod";
import { createUserSchema, updateUserSchema } from "./admin";
import { auditQuerySchema } from "./audit";
import { createContactSchema } from "./contacts";
import {
  createPatientSchema,
  listObservationsQuerySchema,
  listPatientsQuerySchema,
} from "./patients";
import { qualityExportQuerySchema, qualityMetricsQuerySchema } from "./quality";
import { acceptSelfReportSchema, createSelfReportSchema } from "./self-reports";
import { updateSiteSchema } from "./sites";
import { issueTokenSchema } from "./tokens";
import { boneRegistryQuerySchema } from "./bone-registry";
import { treatToTargetQuerySchema } from "./treat-to-target";
import { recordVisitSchema, retractObservationSchema } from "./visits";
import { flagActionSchema, worklistQuerySchema } from "./worklist";

/*
 * Every /api/v1 operation as data: the zod schemas its route validates with, its permission, and
 * what it returns. lib/api/openapi.ts turns this list into the OpenAPI document.
 */

export type Body = "json" | "csv" | "none";

export interface Operation {
  path: string;
  method: "get" | "post" | "patch";
  permission: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The status of a success (200 unless given). */
  created?: boolean;
  returns: Body;
  /** The path refers to one record (404 when it is not found or not visible). */
  record?: boolean;
  /** When the operation answers 409, and the members the problem adds. */
  conflict?: { description: string; properties?: Record<string, unknown> };
}

/** Every /api/v1 operation. tests/unit/api/openapi.test.ts checks this against app/api/v1. */
export const API_OPERATIONS: readonly Operation[] = [
  {
    path: "/api/v1/patients",
    method: "get",
    permission: "patients.read",
    summary: "Patients of the caller's sites, searched and paged",
    query: listPatientsQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/patients",
    method: "post",
    permission: "patients.create",
    summary: "Registers a patient at one of the caller's sites",
    body: createPatientSchema,
    created: true,
    returns: "json",
    conflict: {
      description:
        "The MRN is taken at the site, or a patient of the same name and birth date is registered there (`duplicateOf`; send `confirmDuplicate: true` to register another person)",
      properties: {
        duplicateOf: {
          type: "object",
          required: ["id", "mrn", "givenName", "familyName", "birthDate"],
          properties: {
            id: { type: "string", format: "uuid" },
            mrn: { type: "string" },
            givenName: { type: "string" },
            familyName: { type: "string" },
            birthDate: { type: "string", format: "date" },
          },
        },
      },
    },
  },
  {
    path: "/api/v1/patients/{patientId}",
    method: "get",
    permission: "patients.read",
    summary: "One patient with their latest assessment and open flags",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/patients/{patientId}/observations",
    method: "get",
    permission: "patients.read",
    summary: "A patient's observations",
    query: listObservationsQuerySchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/patients/{patientId}/visits",
    method: "post",
    permission: "visits.create",
    summary: "Records a visit's observations and re-assesses the patient",
    body: recordVisitSchema,
    created: true,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/observations/{observationId}/retract",
    method: "post",
    permission: "observations.retract",
    summary: "Retracts an observation entered in error",
    body: retractObservationSchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/assess",
    method: "post",
    permission: "assess.run",
    summary: "Runs the clinical rules on an assessment input; stores nothing",
    body: z.object({}).loose().describe("An AssessInput (docs/CLINICAL-RULES.md)"),
    returns: "json",
  },
  {
    path: "/api/v1/flags/{flagId}",
    method: "get",
    permission: "flags.read",
    summary: "One flag with its history",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/flags/{flagId}",
    method: "patch",
    permission: "flags.acknowledge",
    summary:
      "Acts on a flag; acknowledge needs flags.acknowledge, assign, note, snooze, resolve and reopen need flags.manage",
    body: flagActionSchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/worklist",
    method: "get",
    permission: "worklist.read",
    summary: "Open flags of the caller's sites, by priority",
    query: worklistQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/worklist.csv",
    method: "get",
    permission: "worklist.export",
    summary: "The worklist as CSV",
    query: worklistQuerySchema,
    returns: "csv",
  },
  {
    path: "/api/v1/worklist/treat-to-target",
    method: "get",
    permission: "worklist.read",
    summary: "The depression registry: baseline and latest PHQ-9, change, weeks in care, status",
    query: treatToTargetQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/worklist/treat-to-target.csv",
    method: "get",
    permission: "worklist.export",
    summary: "The depression registry as filtered, as CSV",
    query: treatToTargetQuerySchema,
    returns: "csv",
  },
  {
    path: "/api/v1/worklist/bone-registry",
    method: "get",
    permission: "worklist.read",
    summary:
      "The bone registry: the rules' DXA flag, latest DXA, treatment and its start, follow-up DXA due",
    query: boneRegistryQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/worklist/bone-registry.csv",
    method: "get",
    permission: "worklist.export",
    summary: "The bone registry as filtered, as CSV",
    query: boneRegistryQuerySchema,
    returns: "csv",
  },
  {
    path: "/api/v1/patients/{patientId}/contacts",
    method: "get",
    permission: "patients.read",
    summary: "A patient's contact log, newest first",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/patients/{patientId}/contacts",
    method: "post",
    permission: "patients.read",
    summary: "Logs a contact (call, message, visit) and sets the next one due",
    body: createContactSchema,
    created: true,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/patients/{patientId}/self-reports",
    method: "get",
    permission: "patients.read",
    summary:
      "A patient's self-reports (tablet or one-time link), newest first: status (pending, submitted, accepted, expired), submittedAt and the answers",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/patients/{patientId}/self-reports",
    method: "post",
    permission: "selfreports.create",
    summary:
      "Starts a self-report for the chosen instruments: 201 { id, mode, url, expiresAt }; url is <PUBLIC_URL>/r/<token>, shown once (only the token's hash is stored). A link lasts expiresInDays (1–30, default 7); a tablet session 1 day",
    body: createSelfReportSchema,
    created: true,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/self-reports/{selfReportId}/accept",
    method: "post",
    permission: "visits.create",
    summary:
      "Accepts a submitted self-report: its answers become observations (method patient-reported) of a new visit, assessed like any visit; 409 unless submitted",
    body: acceptSelfReportSchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/admin/sites",
    method: "get",
    permission: "users.manage",
    summary: "Every site with its time zone",
    returns: "json",
  },
  {
    path: "/api/v1/admin/sites/{siteId}",
    method: "patch",
    permission: "users.manage",
    summary: "Sets a site's IANA time zone",
    body: updateSiteSchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/sites/{siteId}/care-team",
    method: "get",
    permission: "flags.manage",
    summary: "Members of a site's care team (assignees)",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/quality/metrics",
    method: "get",
    permission: "quality.read",
    summary: "De-identified aggregate quality metrics, small cells suppressed",
    query: qualityMetricsQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/quality/metrics.csv",
    method: "get",
    permission: "quality.export",
    summary: "One quality metric as CSV, with the same suppression",
    query: qualityExportQuerySchema,
    returns: "csv",
  },
  {
    path: "/api/v1/audit",
    method: "get",
    permission: "audit.read",
    summary: "Audit events, filtered and paged",
    query: auditQuerySchema,
    returns: "json",
  },
  {
    path: "/api/v1/audit.csv",
    method: "get",
    permission: "audit.read",
    summary: "Audit events as CSV",
    query: auditQuerySchema,
    returns: "csv",
  },
  {
    path: "/api/v1/admin/users",
    method: "get",
    permission: "users.manage",
    summary: "Users and their sites",
    returns: "json",
  },
  {
    path: "/api/v1/admin/users",
    method: "post",
    permission: "users.manage",
    summary: "Creates a user",
    body: createUserSchema,
    created: true,
    returns: "json",
  },
  {
    path: "/api/v1/admin/users/{userId}",
    method: "patch",
    permission: "users.manage",
    summary: "Changes a user's role, sites, password or status",
    body: updateUserSchema,
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/admin/tokens",
    method: "get",
    permission: "tokens.manage",
    summary: "API tokens (never their secrets)",
    returns: "json",
  },
  {
    path: "/api/v1/admin/tokens",
    method: "post",
    permission: "tokens.manage",
    summary: "Issues an API token for a new service account; the secret is shown once",
    body: issueTokenSchema,
    created: true,
    returns: "json",
  },
  {
    path: "/api/v1/admin/tokens/{tokenId}/revoke",
    method: "post",
    permission: "tokens.manage",
    summary: "Revokes a token and disables its service account",
    returns: "json",
    record: true,
  },
  {
    path: "/api/v1/openapi.json",
    method: "get",
    permission: "signed-in",
    summary: "This document (any signed-in user)",
    returns: "json",
  },
];
