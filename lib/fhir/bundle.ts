import { validateObservations, type Observation } from "@/lib/clinical";
import type { MappingIssue } from "./issues";
import {
  identifierTokensOf,
  patientExtrasOf,
  patientFromFhir,
  patientToFhir,
  type PatientExtras,
  type PatientFromFhir,
  type PatientRecord,
} from "./patient";
import { readClinicalResources, type LocatedResource, type MappedObservation } from "./read";
import { applyExtras, type ObservationExtras, type StoredMeta } from "./fidelity";
import type { Bundle, BundleEntry, FhirPatient, OperationOutcome, Resource } from "./types";
import { dateOf, isRecord } from "./values";
import { observationToFhir } from "./write";

/** Most entries one transaction may carry. */
export const MAX_TRANSACTION_ENTRIES = 1000;

export interface TransactionPlan {
  /** The Patient in the Bundle, if any. */
  readonly patient: PlannedPatient | null;
  /** When the Bundle has no Patient: the one `Patient/<id>` every resource refers to. */
  readonly existingPatientId: string | null;
  readonly observations: readonly MappedObservation[];
  readonly issues: readonly MappingIssue[];
  /** The visit date: the latest effective date among the observations, or null when none has one. */
  readonly occurredOn: string | null;
  /** Per Bundle entry: the resource, its request and where it is (for the response). */
  readonly entries: readonly PlannedEntry[];
  /** transaction (all or nothing) or batch. */
  readonly type: "transaction" | "batch";
}

export interface PlannedPatient extends PatientFromFhir {
  readonly path: string;
  /** Everything else the sender said (kept and returned as sent). */
  readonly extras: PatientExtras;
  /** The sender's identifiers as `system|value` (conditional update by identifier). */
  readonly identifierTokens: string[];
}

export interface PlannedEntry {
  readonly resourceType: string;
  readonly path: string;
  readonly item: LocatedResource | null;
  readonly request: { method?: string; url?: string; ifNoneExist?: string; ifMatch?: string };
}

/** The sent resources a mapped observation was read from (its `sources` are their paths). */
export function sourcesOf(
  plan: TransactionPlan,
  observation: MappedObservation,
): { item: LocatedResource; entry: PlannedEntry }[] {
  return plan.entries
    .filter((e) => e.item && observation.sources.some((s) => s.startsWith(e.path)))
    .map((e) => ({ item: e.item!, entry: e }));
}

function fail(
  issues: MappingIssue[],
  expression: string,
  message: string,
  code: MappingIssue["code"] = "structure",
): void {
  issues.push({ severity: "error", code, expression, message });
}

/**
 * Reads a transaction Bundle into a plan: the patient, the observations in the assess contract, and
 * every problem with its FHIRPath. Nothing is written; the plan is all or nothing.
 */
export function planTransaction(body: unknown): TransactionPlan {
  const issues: MappingIssue[] = [];
  const empty = {
    patient: null,
    existingPatientId: null,
    observations: [],
    issues,
    occurredOn: null,
    entries: [],
    type: "transaction" as const,
  };
  if (!isRecord(body) || body.resourceType !== "Bundle") {
    fail(issues, "Bundle", "The body must be a FHIR Bundle.");
    return empty;
  }
  if (body.type !== "transaction" && body.type !== "batch") {
    fail(
      issues,
      "Bundle.type",
      `Bundle.type must be "transaction" or "batch" (got ${JSON.stringify(body.type ?? null)}).`,
      "value",
    );
    return empty;
  }
  const type = body.type;
  const rawEntries = Array.isArray(body.entry) ? (body.entry as unknown[]) : [];
  if (rawEntries.length === 0) {
    fail(issues, "Bundle.entry", "The transaction has no entries.", "required");
    return empty;
  }
  if (rawEntries.length > MAX_TRANSACTION_ENTRIES) {
    fail(
      issues,
      "Bundle.entry",
      `At most ${MAX_TRANSACTION_ENTRIES} entries per transaction.`,
      "too-costly",
    );
    return empty;
  }
  const located: LocatedResource[] = [];
  const entries: PlannedEntry[] = [];
  let patientItem: LocatedResource | null = null;
  rawEntries.forEach((raw, index) => {
    const path = `Bundle.entry[${index}]`;
    const entry = isRecord(raw) ? (raw as BundleEntry) : undefined;
    const resource = entry?.resource;
    if (!isRecord(resource) || typeof resource.resourceType !== "string") {
      fail(
        issues,
        `${path}.resource`,
        "Each entry needs a resource with a resourceType.",
        "required",
      );
      entries.push({ resourceType: "(none)", path, item: null, request: {} });
      return;
    }
    const rawRequest = isRecord(entry?.request) ? entry.request : {};
    const request: PlannedEntry["request"] = {};
    for (const k of ["method", "url", "ifNoneExist", "ifMatch"] as const) {
      const v = rawRequest[k];
      if (typeof v === "string") request[k] = v;
    }
    const method = rawRequest.method;
    if (method !== undefined && method !== "POST" && method !== "PUT") {
      fail(
        issues,
        `${path}.request.method`,
        `Only POST and PUT entries are imported (got ${String(method)}).`,
        "not-supported",
      );
    }
    const item: LocatedResource = {
      resource: resource,
      path: `${path}.resource`,
      ...(typeof entry?.fullUrl === "string" ? { fullUrl: entry.fullUrl } : {}),
    };
    entries.push({ resourceType: resource.resourceType, path, item, request });
    if (resource.resourceType === "Patient") {
      if (patientItem) {
        fail(
          issues,
          `${path}.resource`,
          "A transaction may hold one Patient only.",
          "business-rule",
        );
        return;
      }
      patientItem = item;
      return;
    }
    located.push(item);
  });

  // Every clinical resource must be about the one patient.
  const patientRefs = new Set<string>();
  const found = patientItem as LocatedResource | null;
  if (found) {
    if (found.fullUrl) patientRefs.add(found.fullUrl);
    if (typeof found.resource.id === "string") patientRefs.add(`Patient/${found.resource.id}`);
  }
  let existingPatientId: string | null = null;
  for (const item of located) {
    const subject = (item.resource as { subject?: unknown }).subject;
    if (
      !["Observation", "Condition", "MedicationRequest", "MedicationStatement"].includes(
        item.resource.resourceType,
      )
    )
      continue;
    const ref =
      isRecord(subject) && typeof subject.reference === "string" ? subject.reference : null;
    if (!ref) {
      fail(issues, `${item.path}.subject`, "subject.reference is required.", "required");
      continue;
    }
    if (found) {
      if (!patientRefs.has(ref)) {
        fail(
          issues,
          `${item.path}.subject.reference`,
          `"${ref}" is not the Patient of this transaction.`,
          "business-rule",
        );
      }
      continue;
    }
    // Relative, or absolute on any base (the server checks the patient exists and is in scope).
    const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
    if (!match) {
      fail(
        issues,
        `${item.path}.subject.reference`,
        `"${ref}" must be Patient/<id> when the transaction holds no Patient.`,
        "business-rule",
      );
      continue;
    }
    if (existingPatientId && existingPatientId !== match[1]) {
      fail(
        issues,
        `${item.path}.subject.reference`,
        "All resources must be about one patient.",
        "business-rule",
      );
      continue;
    }
    existingPatientId = match[1]!;
  }

  let patient: PlannedPatient | null = null;
  if (found) {
    const sent = found.resource as FhirPatient;
    const read = patientFromFhir(sent, found.path);
    issues.push(...read.issues);
    patient = {
      ...read.patient,
      path: found.path,
      extras: patientExtrasOf(sent),
      identifierTokens: identifierTokensOf(sent),
    };
  } else if (!existingPatientId) {
    fail(
      issues,
      "Bundle.entry",
      "The transaction needs a Patient, or resources that refer to an existing Patient/<id>.",
      "required",
    );
  }

  const read = readClinicalResources(located, { mode: "import" });
  issues.push(...read.issues);
  const dates = read.observations
    .map((o) => dateOf(o.observation.effective))
    .filter((d): d is string => d !== null)
    .sort();
  return {
    patient,
    existingPatientId: found ? null : existingPatientId,
    observations: read.observations,
    issues,
    occurredOn: dates.length ? dates[dates.length - 1]! : null,
    entries,
    type,
  };
}

/**
 * Checks the mapped observations against the assess contract for the visit date; each error points
 * at the FHIR resource it came from.
 */
export function validatePlannedObservations(
  observations: readonly MappedObservation[],
  occurredOn: string,
):
  { status: "valid"; observations: Observation[] } | { status: "invalid"; issues: MappingIssue[] } {
  const withDates = observations.map((o) =>
    o.observation.effective === undefined
      ? { ...o.observation, effective: occurredOn }
      : o.observation,
  );
  const result = validateObservations(withDates, occurredOn);
  if (result.status === "valid") return { status: "valid", observations: result.input };
  return {
    status: "invalid",
    issues: result.errors.map((e) => {
      const [index, ...rest] = e.path.split(".");
      const source = observations[Number(index)]?.sources[0] ?? "Bundle";
      const rawKind = observations[Number(index)]?.observation.kind;
      const kind = typeof rawKind === "string" ? rawKind : "observation";
      return {
        severity: "error" as const,
        code: "value" as const,
        expression: source,
        message: `${kind}${rest.length ? ` ${rest.join(".")}` : ""}: ${e.message}`,
      };
    }),
  };
}

export interface StoredObservation {
  readonly id: string;
  readonly payload: Observation;
  readonly extras?: ObservationExtras | null;
  readonly meta?: StoredMeta;
}

/** The resources of one patient: Patient first, then each observation's resources. */
export function patientResources(
  patient: PatientRecord,
  observations: readonly StoredObservation[],
): Resource[] {
  const resources: Resource[] = [patientToFhir(patient)];
  for (const o of observations) {
    const written = observationToFhir(o.payload, {
      id: o.id,
      patientReference: `Patient/${patient.id}`,
    });
    resources.push(...applyExtras(written, o.id, o.extras, o.meta));
  }
  return resources;
}

export interface SearchsetOptions {
  /** Matches in all pages (default: the resources given). */
  readonly total?: number;
  /** The next page's absolute URL, when there is one. */
  readonly next?: string;
  readonly previous?: string;
  /** Warnings about the search itself (e.g. parameters ignored), as an outcome entry. */
  readonly outcome?: OperationOutcome;
}

/**
 * A searchset Bundle of `resources` (absolute fullUrls on `baseUrl`, e.g. https://x/fhir/r4), with
 * paging links; no `entry` at all when there is nothing to list (FHIR JSON has no empty arrays).
 */
export function searchsetBundle(
  resources: readonly Resource[],
  baseUrl: string,
  selfUrl: string,
  options: SearchsetOptions = {},
): Bundle {
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ""}`,
    resource,
    search: { mode: "match" as const },
  }));
  if (options.outcome) entry.push({ resource: options.outcome, search: { mode: "outcome" } });
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: options.total ?? resources.length,
    link: [
      { relation: "self", url: selfUrl },
      ...(options.next ? [{ relation: "next", url: options.next }] : []),
      ...(options.previous ? [{ relation: "previous", url: options.previous }] : []),
    ],
    ...(entry.length ? { entry } : {}),
  };
}

/**
 * Turns exported resources into a transaction Bundle (a client's view of "send these to another
 * server"): POST each, keep references by fullUrl.
 */
export function toTransaction(resources: readonly Resource[], baseUrl: string): Bundle {
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ""}`,
      resource,
      request: { method: "POST", url: resource.resourceType },
    })),
  };
}
