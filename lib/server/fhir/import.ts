import { and, eq, inArray, or, sql } from "drizzle-orm";
import { patients, sites } from "@/db/schema";
import { FhirError } from "@/lib/api/fhir";
import { createPatientSchema } from "@/lib/api/patients";
import type { Assessment, Observation, ObservationKind } from "@/lib/clinical";
import {
  operationOutcome,
  planTransaction,
  validatePlannedObservations,
  type Bundle,
  type BundleEntry,
  type MappingIssue,
  type PatientExtras,
  type TransactionPlan,
} from "@/lib/fhir";
import { reassessPatient } from "../assessments";
import type { Ctx } from "../context";
import { todayIso } from "../dates";
import { siteToday } from "../sites";
import { createPatient } from "../patients";
import { getPatientInScope, isUuid } from "../scope";
import { recordVisit } from "../visits";
import { etagOf, metaOf, patientRecord } from "./records";
import {
  decide,
  plannedObservations,
  sameJson,
  tagCreated,
  updateStatement,
  type Decision,
} from "./reconcile";

export interface ImportResult {
  readonly patientId: string;
  readonly patientCreated: boolean;
  readonly visitId: string | null;
  readonly assessment: (Assessment & { id: string }) | null;
  /** The transaction-response (or batch-response) Bundle. */
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

type PatientToCreate = ReturnType<typeof createPatientSchema.parse>;

/**
 * Which patient: an existing one by reference; else one of the caller's sites that holds one of the
 * sender's identifiers (conditional update by identifier); else by site + MRN; else a new one.
 */
async function resolvePatient(
  ctx: Ctx,
  plan: TransactionPlan,
  options: { siteCode?: string },
): Promise<{ existingId: string | null; toCreate: PatientToCreate | null }> {
  let existingId: string | null = null;
  let toCreate: PatientToCreate | null = null;
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
    const byIdentifier = p.identifierTokens.map((token) => {
      const bar = token.indexOf("|");
      const identifier =
        bar > 0 ? { system: token.slice(0, bar), value: token.slice(bar + 1) } : null;
      return identifier
        ? sql`${patients.fhir} @> ${JSON.stringify({ identifier: [identifier] })}::jsonb`
        : undefined;
    });
    const [match] = await ctx.db
      .select()
      .from(patients)
      .where(
        and(
          eq(patients.siteId, site.id),
          or(eq(patients.mrn, p.mrn), ...byIdentifier.filter((c) => c !== undefined)),
        ),
      )
      .orderBy(sql`${patients.mrn} = ${p.mrn} desc`)
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

  return { existingId, toCreate };
}

/** The response entry of each Bundle entry, from what was decided for its observation. */
function responseEntries(
  plan: TransactionPlan,
  decisions: readonly Decision[],
  ids: ReadonlyMap<Decision, string>,
  patient: { id: string; created: boolean; meta: { versionId: string; lastUpdated: string } },
  now: Date,
): BundleEntry[] {
  return plan.entries.map((e) => {
    if (e.resourceType === "Patient") {
      return {
        response: {
          status: patient.created ? "201 Created" : "200 OK",
          location: `Patient/${patient.id}`,
          etag: `W/"${patient.meta.versionId}"`,
          lastModified: patient.meta.lastUpdated,
        },
      };
    }
    const d = decisions.find((x) => x.planned.entries.some((s) => s.entry === e));
    if (d) {
      const suffix = d.planned.entries.find((s) => s.entry === e)!.suffix;
      const id = ids.get(d)!;
      const meta = metaOf(d.type === "unchanged" ? d.changedAt : now);
      const type = e.resourceType === "MedicationStatement" ? "MedicationRequest" : e.resourceType;
      return {
        response: {
          status: d.type === "create" ? "201 Created" : "200 OK",
          location: `${type}/${id}${suffix ? `-${suffix}` : ""}/_history/${meta.versionId}`,
          etag: `W/"${meta.versionId}"`,
          lastModified: meta.lastUpdated,
        },
      };
    }
    const notes = plan.issues
      .filter((i) => i.expression.startsWith(e.path))
      .map((i) => ({ ...i, severity: "information" as const }));
    return {
      response: { status: "200 OK", ...(notes.length ? { outcome: operationOutcome(notes) } : {}) },
    };
  });
}

/**
 * POST /fhir/r4 (transaction or batch): matches or creates the patient, then each observation is
 * matched to what is stored (see reconcile.ts): a new one is recorded in one visit (source "fhir")
 * dated on the latest effective date, a changed one is updated, an unchanged one is left alone, so
 * the same Bundle sent twice leaves exactly what the first left. All or nothing: the Bundle is
 * mapped and validated before anything is written, and the writes share one database transaction
 * (a batch is applied the same way).
 */
export async function importTransaction(
  ctx: Ctx,
  body: unknown,
  options: { siteCode?: string },
  now: Date = new Date(),
): Promise<ImportResult> {
  const plan = planTransaction(body);
  if (plan.issues.some((i) => i.severity === "error")) throw unprocessable(plan.issues);
  const { existingId, toCreate } = await resolvePatient(ctx, plan, options);
  // An undated result is today's at the patient's site, on its calendar (not the UTC date).
  const siteId =
    toCreate?.siteId ??
    (existingId ? (await getPatientInScope(ctx.db, ctx.actor, existingId)).siteId : null);
  const today = siteId ? await siteToday(ctx.db, siteId, now) : todayIso(now);

  let validated: Observation[] = [];
  if (plan.observations.length) {
    const checked = validatePlannedObservations(plan.observations, plan.occurredOn ?? today);
    if (checked.status === "invalid") throw unprocessable(checked.issues);
    validated = checked.observations;
  }
  const planned = plannedObservations(plan, validated);
  const extras: PatientExtras | null =
    plan.patient && Object.keys(plan.patient.extras).length ? plan.patient.extras : null;

  const result = await ctx.db.transaction(async (tx) => {
    const txCtx: Ctx = { db: tx, actor: ctx.actor };
    let patientId = existingId;
    // The sending system's identifiers decide who a patient is, not a match of name and birth
    // date: its record is registered as sent.
    if (toCreate) {
      patientId = (await createPatient(txCtx, { ...toCreate, confirmDuplicate: true }, now)).id;
    }
    if (!patientId) throw new Error("no patient");
    const patient = await getPatientInScope(tx, ctx.actor, patientId, true);
    const ifMatch = plan.entries.find((e) => e.resourceType === "Patient")?.request.ifMatch;
    if (ifMatch && !toCreate && ifMatch.trim() !== etagOf(metaOf(patient.updatedAt))) {
      throw new FhirError(
        412,
        operationOutcome([
          {
            severity: "error",
            code: "conflict",
            message: `If-Match ${ifMatch} is not the Patient's current version: it changed since it was read.`,
          },
        ]),
      );
    }
    const [stored] = await tx
      .select({ fhir: patients.fhir })
      .from(patients)
      .where(eq(patients.id, patientId));
    if (extras && !sameJson(stored?.fhir ?? null, extras)) {
      await tx
        .update(patients)
        .set({ fhir: extras, updatedAt: now })
        .where(eq(patients.id, patientId));
    }
    const decisions = await decide(tx, toCreate ? null : patientId, planned);
    const ids = new Map<Decision, string>();
    const updates = decisions.filter((d) => d.type === "update");
    for (const d of decisions) if (d.type !== "create") ids.set(d, d.id);
    const created = decisions.filter((d) => d.type === "create");
    let visit: Awaited<ReturnType<typeof recordVisit>> | null = null;
    if (created.length) {
      for (const d of updates) await updateStatement(tx, d, now);
      const dates = created.map((d) => d.planned.observation.effective).sort();
      visit = await recordVisit(
        txCtx,
        patientId,
        {
          occurredOn: dates[dates.length - 1]!,
          observations: created.map((d) => d.planned.observation),
        },
        now,
        "fhir",
      );
      const createdIds = await tagCreated(
        tx,
        visit.visit.id,
        created.map((d) => d.planned),
      );
      created.forEach((d, i) => ids.set(d, createdIds[i]!));
    } else if (updates.length) {
      const latest = updates
        .map((d) => d.planned.observation.effective)
        .sort()
        .pop()!;
      await reassessPatient(tx, ctx.actor, patient, {
        asOf: latest > today ? latest : today,
        changedKinds: [
          ...new Set(updates.map((d) => d.planned.observation.kind)),
        ] as ObservationKind[],
        now,
        writesBefore: updates.map((d) => updateStatement(tx, d, now)),
        audit: () => ({
          action: "observations.update",
          patientId: patient.id,
          entityType: "patient",
          entityId: patient.id,
          detail: { via: "fhir", observations: updates.length },
        }),
      });
    }
    return { patientId, visit, decisions, ids };
  });

  const record = await patientRecord(ctx.db, ctx, result.patientId);
  const entries = responseEntries(
    plan,
    result.decisions,
    result.ids,
    { id: result.patientId, created: toCreate !== null, meta: record.meta! },
    now,
  );
  return {
    patientId: result.patientId,
    patientCreated: toCreate !== null,
    visitId: result.visit?.visit.id ?? null,
    assessment: result.visit?.assessment ?? null,
    response: {
      resourceType: "Bundle",
      type: plan.type === "batch" ? "batch-response" : "transaction-response",
      ...(entries.length ? { entry: entries } : {}),
    },
  };
}
