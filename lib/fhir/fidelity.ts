import type { Observation } from "@/lib/clinical";
import { BMD_CODES, LOINC } from "./codes";
import type { LocatedResource } from "./read";
import type { CodeableConcept, Coding, Identifier, Reference, Resource } from "./types";
import { codings, isRecord } from "./values";
import { observationToFhir } from "./write";

/**
 * What a sender sent that the assess-contract payload does not hold, kept per FHIR resource we write
 * from a stored observation, and given back on every read: the sender's codings (laterality, RxNorm,
 * local codes) before ours, its identifiers, the prescriber. Keyed by the suffix of the written
 * resource's id ("" for `<id>`, "t" for `<id>-t`, "item-3" for `<id>-item-3`).
 */
export interface ResourceExtras {
  coding?: Coding[];
  identifier?: Identifier[];
  requester?: Reference;
}

export type ObservationExtras = Record<string, ResourceExtras>;

/** meta.versionId and meta.lastUpdated of a stored resource. */
export interface StoredMeta {
  readonly versionId: string;
  readonly lastUpdated: string;
}

function conceptField(resource: Resource): "code" | "medicationCodeableConcept" {
  return resource.resourceType === "MedicationRequest" ? "medicationCodeableConcept" : "code";
}

function conceptOf(resource: Resource): CodeableConcept | undefined {
  const concept = resource[conceptField(resource)];
  return isRecord(concept) ? concept : undefined;
}

const codingKey = (c: Coding) => `${c.system ?? ""}|${c.code ?? ""}`;

/** Only the members FHIR defines, non-empty, so what comes back validates. */
function cleanCoding(c: Coding): Coding {
  const out: Coding = {};
  for (const k of ["system", "version", "code", "display"] as const) {
    const v = c[k];
    if (typeof v === "string" && v.trim() !== "") out[k] = v;
  }
  return out;
}

function cleanIdentifiers(value: unknown): Identifier[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((i): i is Identifier => isRecord(i) && typeof i.value === "string" && i.value !== "")
    .map((i) => {
      const out: Identifier = { value: i.value! };
      if (typeof i.system === "string" && i.system) out.system = i.system;
      if (typeof i.use === "string" && i.use) out.use = i.use;
      if (isRecord(i.type) && codings(i.type).length)
        out.type = { coding: codings(i.type).map(cleanCoding) };
      return out;
    });
}

/** The dedup keys of a sent resource: its identifiers, and its id as the sender named it. */
export function sourceKeysOf(item: LocatedResource, requestUrl?: string): string[] {
  const keys = cleanIdentifiers(item.resource.identifier).map(
    (i) => `identifier:${i.system ?? ""}|${i.value}`,
  );
  const type = item.resource.resourceType;
  if (item.fullUrl && !item.fullUrl.startsWith("urn:")) keys.push(`url:${item.fullUrl}`);
  if (typeof item.resource.id === "string") keys.push(`id:${type}/${item.resource.id}`);
  const put = requestUrl ? /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(requestUrl) : null;
  if (put) keys.push(`id:${put[1]}/${put[2]}`);
  const conditional = requestUrl ? /^[A-Za-z]+\?(.*)$/.exec(requestUrl)?.[1] : undefined;
  if (conditional) keys.push(...identifierKeysOfQuery(conditional));
  return [...new Set(keys)];
}

/** `identifier=system|value` of a conditional create or update query, as dedup keys. */
export function identifierKeysOfQuery(query: string): string[] {
  const params = new URLSearchParams(query);
  return params
    .getAll("identifier")
    .map((v) => {
      const bar = v.indexOf("|");
      return bar < 0 ? null : `identifier:${v.slice(0, bar)}|${v.slice(bar + 1)}`;
    })
    .filter((k): k is string => k !== null);
}

/** The score (t or z) a BMD LOINC code carries, so a sided code finds our side-less one. */
function bmdScore(concept: CodeableConcept | undefined): string | null {
  for (const c of codings(concept)) {
    if (c.system === LOINC && BMD_CODES[c.code!]) return BMD_CODES[c.code!]!.score;
  }
  return null;
}

/**
 * Pairs each resource we would write for `observation` with the sent resource it came from: the
 * id suffix of the written one ("" for the main resource) and the sent one.
 */
export function pairWritten(
  observation: Observation,
  sources: readonly LocatedResource[],
): { suffix: string; written: Resource; source: LocatedResource }[] {
  const written = observationToFhir(observation, { id: "x", patientReference: "Patient/x" });
  const unmatched = new Set(sources);
  const pairs: [Resource, LocatedResource][] = [];
  for (const w of written) {
    const ours = new Set(codings(conceptOf(w)).map(codingKey));
    const score = bmdScore(conceptOf(w));
    const sameType = [...unmatched].filter((s) => s.resource.resourceType === w.resourceType);
    const match =
      sameType.find((s) => codings(conceptOf(s.resource)).some((c) => ours.has(codingKey(c)))) ??
      sameType.find((s) => score !== null && bmdScore(conceptOf(s.resource)) === score);
    if (match) {
      unmatched.delete(match);
      pairs.push([w, match]);
    }
  }
  // A single remaining pair of the same type is the same resource (e.g. a medication by name).
  const leftWritten = written.filter((w) => !pairs.some(([p]) => p === w));
  const [left] = [...unmatched];
  if (leftWritten.length === 1 && unmatched.size === 1) {
    if (left!.resource.resourceType === leftWritten[0]!.resourceType)
      pairs.push([leftWritten[0]!, left!]);
  }
  return pairs.map(([w, source]) => ({
    suffix: w.id === "x" ? "" : w.id!.slice(2),
    written: w,
    source,
  }));
}

/** What the sent resources say beyond the resources we write for `observation`. */
export function extrasFor(
  observation: Observation,
  sources: readonly LocatedResource[],
): ObservationExtras {
  const extras: ObservationExtras = {};
  for (const { suffix, source } of pairWritten(observation, sources)) {
    const e: ResourceExtras = {};
    const sent = codings(conceptOf(source.resource)).map(cleanCoding);
    if (sent.length) e.coding = sent;
    const identifier = cleanIdentifiers(source.resource.identifier);
    if (identifier.length) e.identifier = identifier;
    const requester = source.resource.requester;
    if (
      isRecord(requester) &&
      (typeof requester.reference === "string" || typeof requester.display === "string")
    ) {
      e.requester = {
        ...(typeof requester.reference === "string" ? { reference: requester.reference } : {}),
        ...(typeof requester.display === "string" ? { display: requester.display } : {}),
      };
    }
    if (Object.keys(e).length) extras[suffix] = e;
  }
  return extras;
}

/** Gives back what was sent (codings first, ours after, no repeats) and sets meta. */
export function applyExtras(
  resources: readonly Resource[],
  baseId: string,
  extras: ObservationExtras | null | undefined,
  meta: StoredMeta | undefined,
): Resource[] {
  return resources.map((r) => {
    const suffix = r.id === baseId ? "" : (r.id ?? "").slice(baseId.length + 1);
    const e = extras?.[suffix];
    const out: Resource = { ...r };
    if (meta) out.meta = { ...r.meta, versionId: meta.versionId, lastUpdated: meta.lastUpdated };
    if (!e) return out;
    if (e.coding?.length) {
      const field = conceptField(r);
      const concept = conceptOf(r) ?? {};
      const seen = new Set<string>();
      const coding = [...e.coding, ...codings(concept)].filter((c) => {
        const k = codingKey(c);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      out[field] = { ...concept, coding };
    }
    if (e.identifier?.length) out.identifier = e.identifier;
    if (e.requester && r.resourceType === "MedicationRequest") out.requester = e.requester;
    return out;
  });
}
