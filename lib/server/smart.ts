import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ehrImports, patients, sites, users } from "@/db/schema";
import type { EhrImportItem, ImportCounts } from "@/lib/api/ehr-imports";
import { FhirError } from "@/lib/api/fhir";
import { createPatientSchema } from "@/lib/api/patients";
import {
  PREFETCH_TEMPLATES,
  V2_IDENTIFIER_TYPE,
  fillTemplate,
  patientFromFhir,
  type Bundle,
  type FhirPatient,
  type Resource,
} from "@/lib/fhir";
import type { SmartClient } from "@/lib/smart-clients";
import type { Ctx } from "./context";
import { importTransaction } from "./fhir/import";
import { createPatient } from "./patients";
import { findUserById, normalizeEmail, type UserWithSites } from "./users";

/**
 * The database side of a SMART launch: which local user the EHR's user is, which local patient the
 * EHR's patient is (or a new one), reading the patient's record from the EHR's FHIR server and
 * importing it through the FHIR import. The OAuth side is lib/auth/smart.ts.
 */

/** A launch refused for a reason the clinician is shown (and the audit records as `reason`). */
export class SmartRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly status = 403,
  ) {
    super(message);
    this.name = "SmartRefusal";
  }
}

/** The local user whose email is the value of the client's configured claim, or null. */
export async function findLaunchUser(db: Db, claimValue: string): Promise<UserWithSites | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, normalizeEmail(claimValue)))
    .limit(1);
  return row ? findUserById(db, row.id) : null;
}

/** The site the client maps to, or a refusal when the app has no such site. */
export async function launchSite(
  db: Db,
  client: SmartClient,
): Promise<{ id: string; code: string }> {
  const [site] = await db
    .select({ id: sites.id, code: sites.code })
    .from(sites)
    .where(eq(sites.code, client.site))
    .limit(1);
  if (!site)
    throw new SmartRefusal(
      "unmapped-site",
      `This EHR is mapped to site "${client.site}", which does not exist in Bone–Brain Care. Ask an administrator to correct SMART_CLIENTS.`,
    );
  return site;
}

interface Identifier {
  system?: string;
  value?: string;
  type?: { coding?: { system?: string; code?: string }[] };
}

/** The EHR patient's MRN: the identifier of the configured system, else the one typed MR. */
export function ehrMrn(patient: FhirPatient, client: SmartClient): string | null {
  const list = (Array.isArray(patient.identifier) ? patient.identifier : []) as Identifier[];
  const found = client.identifierSystem
    ? list.find((i) => i.system === client.identifierSystem)
    : list.find((i) =>
        i.type?.coding?.some((c) => c.system === V2_IDENTIFIER_TYPE && c.code === "MR"),
      );
  const value = typeof found?.value === "string" ? found.value.trim() : "";
  return value || null;
}

/**
 * The local patient for the EHR's Patient at the client's site (by MRN), registered from the EHR's
 * resource when there is none and the user may register patients; otherwise a refusal.
 */
export async function openEhrPatient(
  ctx: Ctx,
  client: SmartClient,
  ehrPatient: FhirPatient,
  canCreate: boolean,
  now: Date,
): Promise<{ patientId: string; created: boolean; mrn: string }> {
  const site = await launchSite(ctx.db, client);
  if (!ctx.actor.siteIds.includes(site.id))
    throw new SmartRefusal(
      "site-not-yours",
      `This EHR's patients belong to site "${site.code}", which is not one of your sites.`,
    );
  const mrn = ehrMrn(ehrPatient, client);
  if (!mrn)
    throw new SmartRefusal(
      "no-mrn",
      client.identifierSystem
        ? `The EHR's patient has no identifier of the system ${client.identifierSystem}, so it cannot be matched.`
        : "The EHR's patient has no medical record number (identifier typed MR), so it cannot be matched.",
      422,
    );
  const [found] = await ctx.db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.siteId, site.id), eq(patients.mrn, mrn)))
    .limit(1);
  if (found) return { patientId: found.id, created: false, mrn };
  if (!canCreate)
    throw new SmartRefusal(
      "patient-not-registered",
      `No patient with MRN ${mrn} is registered at site "${site.code}", and your role cannot register one. Ask a clinician to open the app from the EHR first.`,
    );
  const read = patientFromFhir(ehrPatient, "Patient").patient;
  const parsed = createPatientSchema.safeParse({
    siteId: site.id,
    mrn,
    givenName: read.givenName ?? "",
    familyName: read.familyName ?? "",
    birthDate: read.birthDate ?? "",
    sex: read.sex,
    postmenopausal: read.sex === "male" ? null : read.postmenopausal,
  });
  if (!parsed.success)
    throw new SmartRefusal(
      "patient-not-registrable",
      `The EHR's patient cannot be registered: ${parsed.error.issues.map((i) => `${String(i.path[0] ?? "")} ${i.message}`).join("; ")}.`,
      422,
    );
  const created = await createPatient(ctx, parsed.data, now);
  return { patientId: created.id, created: true, mrn };
}

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

const EHR_FETCH_TIMEOUT_MS = 10_000;
/** Search pages followed per query, and resources kept in all: a launch stays quick and bounded. */
const MAX_PAGES = 5;
const MAX_RESOURCES = 400;

export interface EhrRecord {
  readonly patient: FhirPatient;
  readonly resources: readonly { fullUrl: string; resource: Resource }[];
  /** Resources read per type (what the page shows as "read"). */
  readonly read: Readonly<Record<string, number>>;
}

/**
 * Reads the patient and their Observations, Conditions and MedicationRequests from the EHR's FHIR
 * server with the launch's access token. Only URLs under the client's iss are fetched (paging
 * links elsewhere are not followed); the token is sent nowhere else.
 */
export async function readEhrRecord(
  client: SmartClient,
  accessToken: string,
  ehrPatientId: string,
  fetchImpl: FetchLike = fetch,
): Promise<EhrRecord> {
  const base = client.iss;
  const headers = { accept: "application/fhir+json", authorization: `Bearer ${accessToken}` };
  const get = async (url: string): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers,
        signal: AbortSignal.timeout(EHR_FETCH_TIMEOUT_MS),
      });
    } catch {
      throw new SmartRefusal("ehr-unreachable", "The EHR's FHIR server could not be reached.", 502);
    }
    if (!response.ok)
      throw new SmartRefusal(
        "ehr-read-refused",
        `The EHR's FHIR server refused to read the patient's record (HTTP ${response.status}).`,
        502,
      );
    const body: unknown = await response.json().catch(() => null);
    if (!body || typeof body !== "object")
      throw new SmartRefusal(
        "ehr-read-refused",
        "The EHR's FHIR server did not answer with JSON.",
        502,
      );
    return body as Record<string, unknown>;
  };
  const patient = await get(`${base}/${fillTemplate(PREFETCH_TEMPLATES.patient, ehrPatientId)}`);
  if (patient.resourceType !== "Patient" || patient.id !== ehrPatientId)
    throw new SmartRefusal("ehr-read-refused", "The EHR did not return the launch's Patient.", 502);
  const resources: { fullUrl: string; resource: Resource }[] = [];
  const read: Record<string, number> = {};
  for (const key of ["observations", "conditions", "medications"] as const) {
    let url: string | null = `${base}/${fillTemplate(PREFETCH_TEMPLATES[key], ehrPatientId)}`;
    for (let page = 0; url && page < MAX_PAGES && resources.length < MAX_RESOURCES; page++) {
      const bundle = (await get(url)) as Bundle;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (!resource || typeof resource.resourceType !== "string") continue;
        if ((entry as { search?: { mode?: string } }).search?.mode === "include") continue;
        if (resources.length >= MAX_RESOURCES) break;
        read[resource.resourceType] = (read[resource.resourceType] ?? 0) + 1;
        resources.push({
          // The sender's own address: it makes a re-import from this EHR the same observation.
          fullUrl: `${base}/${resource.resourceType}/${String(resource.id ?? resources.length)}`,
          resource,
        });
      }
      const next = (bundle.link ?? []).find((l) => l.relation === "next")?.url;
      url = typeof next === "string" && next.startsWith(`${base}/`) ? next : null;
    }
  }
  return { patient: patient as FhirPatient, resources, read };
}

export interface ImportSummary extends ImportCounts {
  readonly source: string;
}

/** Where in the Bundle an issue points: the entry index of `Bundle.entry[3].resource…`. */
function entryIndexOf(expression: string | undefined): number | null {
  const m = /^Bundle\.entry\[(\d+)\]/.exec(expression ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * Imports the EHR's resources for our patient through the FHIR import (idempotent: a second launch
 * leaves what the first left), leaving out resources the import refuses, and records the import
 * (from which EHR, by whom, counts) for the patient page. Needs a role that records visits.
 */
export async function importEhrRecord(
  ctx: Ctx,
  client: SmartClient,
  patientId: string,
  record: EhrRecord,
  now: Date = new Date(),
): Promise<ImportSummary> {
  let entries = record.resources.map(({ fullUrl, resource }) => ({
    fullUrl,
    resource: { ...resource, subject: { reference: `Patient/${patientId}` } },
    request: { method: "PUT", url: `${resource.resourceType}/${String(resource.id ?? "")}` },
  }));
  const problems: string[] = [];
  let result: Awaited<ReturnType<typeof importTransaction>> | null = null;
  // A resource the import refuses is left out and the rest imported (at most two passes).
  for (let pass = 0; pass < 2 && entries.length > 0 && !result; pass++) {
    try {
      result = await importTransaction(
        ctx,
        { resourceType: "Bundle", type: "batch", entry: entries },
        {},
        now,
      );
    } catch (error) {
      if (!(error instanceof FhirError) || error.status === 412) throw error;
      const bad = new Set<number>();
      for (const issue of error.outcome.issue) {
        const index = entryIndexOf(issue.expression?.[0]);
        if (index !== null) bad.add(index);
        if (issue.diagnostics) problems.push(issue.diagnostics);
      }
      if (bad.size === 0) break;
      entries = entries.filter((_, i) => !bad.has(i));
    }
  }
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const e of result?.response.entry ?? []) {
    const status = e.response?.status ?? "";
    if (status.startsWith("201")) created++;
    else if (e.response?.location && e.response.etag) {
      if (e.response.lastModified === now.toISOString()) updated++;
      else unchanged++;
    }
  }
  const used = created + updated + unchanged;
  const summary: ImportSummary = {
    source: client.name ?? client.iss,
    read: record.read,
    created,
    updated,
    unchanged,
    notUsed: Math.max(0, record.resources.length - used),
    problems: problems.slice(0, 20),
  };
  await ctx.db.insert(ehrImports).values({
    patientId,
    source: client.iss,
    importedBy: ctx.actor.userId,
    importedAt: now,
    visitId: result?.visitId ?? null,
    summary,
  });
  return summary;
}

/** An import as the patient page lists it; its summary also names the source it came from. */
export type EhrImportView = EhrImportItem & { readonly summary: ImportSummary };

/** The patient's latest EHR imports, newest first (the caller has checked the patient's scope). */
export async function listEhrImports(
  db: Db,
  patientId: string,
  limit = 5,
): Promise<EhrImportView[]> {
  const rows = await db
    .select({
      id: ehrImports.id,
      source: ehrImports.source,
      importedAt: ehrImports.importedAt,
      importedBy: users.name,
      summary: ehrImports.summary,
    })
    .from(ehrImports)
    .leftJoin(users, eq(users.id, ehrImports.importedBy))
    .where(eq(ehrImports.patientId, patientId))
    .orderBy(desc(ehrImports.importedAt))
    .limit(limit);
  return rows.map((r) => {
    const summary = r.summary as ImportSummary;
    return {
      id: r.id,
      source: r.source,
      sourceName: summary.source,
      importedAt: r.importedAt.toISOString(),
      importedBy: r.importedBy,
      summary,
    };
  });
}
