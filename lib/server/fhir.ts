import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { observations, patients, sites } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import { FhirError } from "@/lib/api/fhir";
import { createPatientSchema } from "@/lib/api/patients";
import type { Assessment, Observation } from "@/lib/clinical";
import { env } from "@/lib/env";
import {
  matchesTokens,
  operationOutcome,
  patientResources,
  patientToFhir,
  planTransaction,
  searchsetBundle,
  sortByDate,
  validatePlannedObservations,
  type Bundle,
  type BundleEntry,
  type MappingIssue,
  type PatientRecord,
  type Resource,
  type StoredObservation,
  type Token,
} from "@/lib/fhir";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { todayIso } from "./dates";
import { createPatient } from "./patients";
import { getPatientInScope, isUuid } from "./scope";
import { readOnTarget } from "./replica";
import { recordVisit } from "./visits";

/** The app's public base URL, without a trailing slash (PUBLIC_URL, else NEXTAUTH_URL, else localhost). */
export function publicBaseUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

/** The FHIR base of this server. */
export function fhirBaseUrl(): string {
  return `${publicBaseUrl()}/fhir/r4`;
}

function notFoundOutcome(what: string): FhirError {
  return new FhirError(
    404,
    operationOutcome([{ severity: "error", code: "not-found", message: `${what} was not found.` }]),
  );
}

async function patientRecord(db: Db, ctx: Ctx, id: string): Promise<PatientRecord> {
  let row;
  try {
    row = await getPatientInScope(db, ctx.actor, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === "not-found")
      throw notFoundOutcome(`Patient/${id}`);
    throw error;
  }
  const [site] = await db.select({ code: sites.code }).from(sites).where(eq(sites.id, row.siteId));
  const { id: rowId, mrn, givenName, familyName, birthDate, sex, postmenopausal } = row;
  const siteCode = site?.code ?? "";
  return { id: rowId, siteCode, mrn, givenName, familyName, birthDate, sex, postmenopausal };
}

async function storedObservations(
  db: Db,
  patientId: string,
  kinds?: readonly string[],
): Promise<StoredObservation[]> {
  const rows = await db
    .select({ id: observations.id, payload: observations.payload })
    .from(observations)
    .where(
      and(
        eq(observations.patientId, patientId),
        isNull(observations.enteredInErrorAt),
        kinds ? inArray(observations.kind, [...kinds]) : undefined,
      ),
    )
    .orderBy(desc(observations.effective), desc(observations.recordedAt));
  return rows.map((r) => ({ id: r.id, payload: r.payload as Observation }));
}

/** GET /fhir/r4/Patient/:id (audited). */
export async function readFhirPatient(ctx: Ctx, patientId: string): Promise<Resource> {
  const record = await patientRecord(ctx.db, ctx, patientId);
  await recordAudit(ctx.db, ctx.actor, {
    action: "patients.read",
    patientId: record.id,
    entityType: "patient",
    entityId: record.id,
    detail: { via: "fhir" },
  });
  return patientToFhir(record);
}

/** GET /fhir/r4/Patient/:id/$everything: the Patient and every current observation (audited). */
export async function exportPatientEverything(
  ctx: Ctx,
  patientId: string,
  selfUrl: string,
): Promise<Bundle> {
  const record = await patientRecord(ctx.db, ctx, patientId);
  const stored = await storedObservations(ctx.db, record.id);
  const resources = patientResources(record, stored);
  await recordAudit(ctx.db, ctx.actor, {
    action: "patients.export",
    patientId: record.id,
    entityType: "patient",
    entityId: record.id,
    detail: { via: "fhir", observations: stored.length, resources: resources.length },
  });
  return searchsetBundle(resources, fhirBaseUrl(), selfUrl);
}

export type FhirSearchType = "Observation" | "Condition" | "MedicationRequest";

const KINDS_OF: Record<FhirSearchType, readonly string[]> = {
  Observation: ["phq9", "phq2", "gds15", "bmd", "frax", "vitaminD", "falls"],
  Condition: ["fracture"],
  MedicationRequest: ["medication"],
};

/** Token search on one patient's resources: `code`, `status`, `_sort` by date, `_count` (audited). */
export async function searchFhir(
  ctx: Ctx,
  type: FhirSearchType,
  query: {
    patientId: string;
    tokens: readonly Token[];
    status?: readonly string[];
    sort: "date" | "-date";
    count: number;
  },
  selfUrl: string,
): Promise<Bundle> {
  const record = await patientRecord(ctx.db, ctx, query.patientId).catch((error: unknown) => {
    // A search for an unknown patient is an empty result, not an error (no existence leak either).
    if (error instanceof FhirError && error.status === 404) return null;
    throw error;
  });
  let matches: Resource[] = [];
  if (record) {
    // The search's rows from the read replica when it is fit (the scope check above: primary).
    const { result: stored } = await readOnTarget(ctx.db, (db) =>
      storedObservations(db, record.id, KINDS_OF[type]),
    );
    matches = patientResources(record, stored).filter(
      (r) =>
        r.resourceType === type &&
        matchesTokens(r, query.tokens) &&
        (!query.status?.length || query.status.includes(String(r.status))),
    );
    matches = sortByDate(matches, query.sort);
    await recordAudit(ctx.db, ctx.actor, {
      action: "observations.list",
      patientId: record.id,
      entityType: "patient",
      entityId: record.id,
      detail: { via: "fhir", resourceType: type, count: Math.min(matches.length, query.count) },
    });
  }
  return searchsetBundle(matches.slice(0, query.count), fhirBaseUrl(), selfUrl, matches.length);
}

export interface ImportResult {
  readonly patientId: string;
  readonly patientCreated: boolean;
  readonly visitId: string | null;
  readonly assessment: (Assessment & { id: string }) | null;
  /** The transaction-response Bundle. */
  readonly response: Bundle;
}

function unprocessable(issues: readonly MappingIssue[]): FhirError {
  const structural = issues.some(
    (i) => i.severity === "error" && (i.code === "structure" || i.expression === "Bundle.type"),
  );
  return new FhirError(
    structural ? 400 : 422,
    operationOutcome(issues.filter((i) => i.severity !== "information")),
  );
}

function issue(
  expression: string,
  message: string,
  code: MappingIssue["code"] = "business-rule",
): MappingIssue {
  return { severity: "error", code, expression, message };
}

/**
 * POST /fhir/r4 (transaction): matches or creates the patient and records every observation as one
 * visit (source "fhir") dated on the latest effective date. All or nothing: the Bundle is mapped and
 * validated before anything is written, and the writes share one database transaction.
 */
export async function importTransaction(
  ctx: Ctx,
  body: unknown,
  options: { siteCode?: string },
  now: Date = new Date(),
): Promise<ImportResult> {
  const plan = planTransaction(body);
  if (plan.issues.some((i) => i.severity === "error")) throw unprocessable(plan.issues);

  // Which patient: an existing one by reference, else match by site + MRN, else create.
  let existingId: string | null = null;
  let toCreate: ReturnType<typeof createPatientSchema.parse> | null = null;
  if (plan.existingPatientId) {
    if (!isUuid(plan.existingPatientId))
      throw unprocessable([
        issue("Bundle.entry", `Patient/${plan.existingPatientId} was not found.`, "not-found"),
      ]);
    existingId = (
      await patientRecord(ctx.db, ctx, plan.existingPatientId).catch(() => {
        throw unprocessable([
          issue("Bundle.entry", `Patient/${plan.existingPatientId} was not found.`, "not-found"),
        ]);
      })
    ).id;
  } else if (plan.patient) {
    const p = plan.patient;
    const siteCode = p.siteCode ?? options.siteCode ?? null;
    const mySites = ctx.actor.siteIds.length
      ? await ctx.db
          .select({ id: sites.id, code: sites.code })
          .from(sites)
          .where(inArray(sites.id, [...ctx.actor.siteIds]))
      : [];
    const site = siteCode
      ? mySites.find((s) => s.code === siteCode)
      : mySites.length === 1
        ? mySites[0]
        : undefined;
    if (!site) {
      throw unprocessable([
        issue(
          `${p.path}.identifier`,
          siteCode
            ? `Site "${siteCode}" is not one of yours.`
            : `Which site? You have ${mySites.length} sites: send our MRN identifier system (urn:bone-brain-care:site:<code>:mrn) or ?site=<code>.`,
        ),
      ]);
    }
    if (!p.mrn)
      throw unprocessable([
        issue(`${p.path}.identifier`, "The Patient needs an MRN identifier.", "required"),
      ]);
    const [match] = await ctx.db
      .select()
      .from(patients)
      .where(and(eq(patients.siteId, site.id), eq(patients.mrn, p.mrn)))
      .limit(1);
    if (match) {
      if (p.birthDate && p.birthDate !== match.birthDate) {
        throw unprocessable([
          issue(
            `${p.path}.birthDate`,
            `MRN ${p.mrn} at site ${site.code} belongs to a patient with another birth date: not merged.`,
            "conflict",
          ),
        ]);
      }
      existingId = match.id;
    } else {
      const parsed = createPatientSchema.safeParse({
        siteId: site.id,
        mrn: p.mrn,
        givenName: p.givenName ?? "",
        familyName: p.familyName ?? "",
        birthDate: p.birthDate ?? "",
        sex: p.sex,
        postmenopausal: p.sex === "male" ? null : p.postmenopausal,
      });
      if (!parsed.success) {
        throw unprocessable(
          parsed.error.issues.map((i) => {
            const field = String(i.path[0] ?? "");
            const fhirField =
              field === "mrn"
                ? "identifier"
                : field === "givenName" || field === "familyName"
                  ? "name"
                  : field === "sex"
                    ? "gender"
                    : field;
            return issue(`${p.path}${fhirField ? `.${fhirField}` : ""}`, i.message, "value");
          }),
        );
      }
      toCreate = parsed.data;
    }
  }

  const occurredOn = plan.occurredOn ?? todayIso(now);
  let validated: Observation[] = [];
  if (plan.observations.length) {
    const checked = validatePlannedObservations(plan.observations, occurredOn);
    if (checked.status === "invalid") throw unprocessable(checked.issues);
    validated = checked.observations;
  }

  const result = await ctx.db.transaction(async (tx) => {
    const txCtx: Ctx = { db: tx, actor: ctx.actor };
    let patientId = existingId;
    if (toCreate) patientId = (await createPatient(txCtx, toCreate, now)).id;
    if (!patientId) throw new Error("no patient");
    const visit = validated.length
      ? await recordVisit(txCtx, patientId, { occurredOn, observations: validated }, now, "fhir")
      : null;
    return { patientId, visit };
  });

  const used = new Set<number>();
  for (const o of plan.observations) {
    for (const s of o.sources) {
      const m = /^Bundle\.entry\[(\d+)\]/.exec(s);
      if (m) used.add(Number(m[1]));
    }
  }
  const entries: BundleEntry[] = plan.entries.map((e, index) => {
    if (e.resourceType === "Patient") {
      return {
        response: {
          status: toCreate ? "201 Created" : "200 OK",
          location: `Patient/${result.patientId}`,
        },
      };
    }
    if (used.has(index)) {
      return {
        response: {
          status: "201 Created",
          ...(result.visit ? { location: `Patient/${result.patientId}/$everything` } : {}),
        },
      };
    }
    return {
      response: {
        status: "200 OK",
        outcome: operationOutcome(
          plan.issues
            .filter((i) => i.expression.startsWith(`Bundle.entry[${index}]`))
            .map((i) => ({ ...i, severity: "information" as const })),
        ),
      },
    };
  });
  return {
    patientId: result.patientId,
    patientCreated: toCreate !== null,
    visitId: result.visit?.visit.id ?? null,
    assessment: result.visit?.assessment ?? null,
    response: { resourceType: "Bundle", type: "transaction-response", entry: entries },
  };
}
