import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { observations, patients, sites } from "@/db/schema";
import { AppError, type DeniedLookup } from "@/lib/api/errors";
import { FhirError } from "@/lib/api/fhir";
import type { Observation } from "@/lib/clinical";
import {
  operationOutcome,
  patientResources,
  patientToFhir,
  searchsetBundle,
  type Bundle,
  type ObservationExtras,
  type PatientExtras,
  type PatientRecord,
  type Resource,
  type StoredMeta,
  type StoredObservation,
} from "@/lib/fhir";
import { env } from "@/lib/env";
import { recordAudit } from "../audit";
import type { Ctx } from "../context";
import { getPatientInScope, isUuid } from "../scope";

/** The app's public base URL, without a trailing slash (PUBLIC_URL, else NEXTAUTH_URL, else localhost). */
export function publicBaseUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

/** The FHIR base of this server. */
export function fhirBaseUrl(): string {
  return `${publicBaseUrl()}/fhir/r4`;
}

export function notFoundOutcome(what: string, deniedLookup?: DeniedLookup): FhirError {
  return new FhirError(
    404,
    operationOutcome([{ severity: "error", code: "not-found", message: `${what} was not found.` }]),
    deniedLookup,
  );
}

/** meta of a stored row: the version is the time of its last change (opaque to clients). */
export function metaOf(changedAt: Date): StoredMeta {
  return { versionId: String(changedAt.getTime()), lastUpdated: changedAt.toISOString() };
}

/** The weak ETag of a version, as FHIR servers send it. */
export function etagOf(meta: Pick<StoredMeta, "versionId">): string {
  return `W/"${meta.versionId}"`;
}

export async function patientRecord(db: Db | Tx, ctx: Ctx, id: string): Promise<PatientRecord> {
  let row;
  try {
    row = await getPatientInScope(db, ctx.actor, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === "not-found")
      throw notFoundOutcome(`Patient/${id}`, error.details.deniedLookup);
    throw error;
  }
  const [more] = await db
    .select({ code: sites.code, fhir: patients.fhir })
    .from(patients)
    .innerJoin(sites, eq(sites.id, patients.siteId))
    .where(eq(patients.id, row.id));
  const { id: rowId, mrn, givenName, familyName, birthDate, sex, postmenopausal } = row;
  return {
    id: rowId,
    siteCode: more?.code ?? "",
    mrn,
    givenName,
    familyName,
    birthDate,
    sex,
    postmenopausal,
    extras: (more?.fhir as PatientExtras | null) ?? null,
    meta: metaOf(row.updatedAt),
  };
}

export async function storedObservations(
  db: Db | Tx,
  patientId: string,
  kinds?: readonly string[],
): Promise<StoredObservation[]> {
  const rows = await db
    .select({
      id: observations.id,
      payload: observations.payload,
      fhir: observations.fhir,
      recordedAt: observations.recordedAt,
      updatedAt: observations.updatedAt,
    })
    .from(observations)
    .where(
      and(
        eq(observations.patientId, patientId),
        isNull(observations.enteredInErrorAt),
        kinds ? inArray(observations.kind, [...kinds]) : undefined,
      ),
    )
    .orderBy(desc(observations.effective), desc(observations.recordedAt));
  return rows.map((r) => ({
    id: r.id,
    payload: r.payload as Observation,
    extras: r.fhir as ObservationExtras | null,
    meta: metaOf(r.updatedAt ?? r.recordedAt),
  }));
}

/** GET /fhir/r4/Patient/:id (audited); meta.versionId gives the ETag. */
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

export type FhirClinicalType = "Observation" | "Condition" | "MedicationRequest";

/**
 * GET /fhir/r4/{Observation|Condition|MedicationRequest}/:id: the resource written from a stored
 * observation (`<observation id>` or `<observation id>-<part>`), in the caller's sites (audited).
 */
export async function readFhirResource(
  ctx: Ctx,
  type: FhirClinicalType,
  id: string,
): Promise<Resource> {
  const rowId = id.slice(0, 36);
  if (!isUuid(rowId) || (id.length > 36 && id[36] !== "-")) throw notFoundOutcome(`${type}/${id}`);
  const [row] = await ctx.db
    .select({ patientId: observations.patientId })
    .from(observations)
    .where(and(eq(observations.id, rowId), isNull(observations.enteredInErrorAt)));
  if (!row) throw notFoundOutcome(`${type}/${id}`);
  const record = await patientRecord(ctx.db, ctx, row.patientId).catch((error: unknown) => {
    if (error instanceof FhirError) throw notFoundOutcome(`${type}/${id}`, error.deniedLookup);
    throw error;
  });
  const stored = (await storedObservations(ctx.db, record.id)).filter((o) => o.id === rowId);
  const resource = patientResources(record, stored).find(
    (r) => r.resourceType === type && r.id === id,
  );
  if (!resource) throw notFoundOutcome(`${type}/${id}`);
  await recordAudit(ctx.db, ctx.actor, {
    action: "observations.list",
    patientId: record.id,
    entityType: "observation",
    entityId: rowId,
    detail: { via: "fhir", resourceType: type },
  });
  return resource;
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
