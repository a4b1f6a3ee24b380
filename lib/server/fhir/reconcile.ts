import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { observations } from "@/db/schema";
import { FhirError } from "@/lib/api/fhir";
import { observationValueNum, type Observation } from "@/lib/clinical";
import {
  extrasFor,
  identifierKeysOfQuery,
  operationOutcome,
  pairWritten,
  sourceKeysOf,
  sourcesOf,
  type ObservationExtras,
  type PlannedEntry,
  type TransactionPlan,
} from "@/lib/fhir";
import { isUuid } from "../scope";
import { etagOf, metaOf } from "./records";

/**
 * Which stored observation an imported one is: a re-sent resource (same identifier, same sender id
 * or URL, or `PUT <Type>/<our id>`), else one with the same kind, date and content. Interface
 * engines retry; a retry must not add a copy.
 */
export interface PlannedObservation {
  readonly observation: Observation;
  readonly extras: ObservationExtras;
  readonly keys: string[];
  /** Our observation id named by `PUT <Type>/<id>`. */
  readonly ourId: string | null;
  readonly ifMatch: string | null;
  /** Per sent entry it came from: the id suffix of the resource written from it. */
  readonly entries: { entry: PlannedEntry; suffix: string }[];
}

export function plannedObservations(
  plan: TransactionPlan,
  validated: readonly Observation[],
): PlannedObservation[] {
  return plan.observations.map((mapped, index) => {
    const observation = validated[index]!;
    const sources = sourcesOf(plan, mapped);
    const items = sources.map((s) => s.item);
    const paired = pairWritten(observation, items);
    const keys = new Set<string>();
    let ourId: string | null = null;
    let ifMatch: string | null = null;
    for (const { item, entry } of sources) {
      for (const k of sourceKeysOf(item, entry.request.url)) keys.add(k);
      if (entry.request.ifNoneExist)
        for (const k of identifierKeysOfQuery(entry.request.ifNoneExist)) keys.add(k);
      const put = /^[A-Za-z]+\/([0-9a-f-]{36})(?:-[A-Za-z0-9-]+)?$/.exec(entry.request.url ?? "");
      if (entry.request.method === "PUT" && put && isUuid(put[1]!)) ourId = put[1]!;
      if (entry.request.ifMatch) ifMatch = entry.request.ifMatch;
    }
    return {
      observation,
      extras: extrasFor(observation, items),
      keys: [...keys],
      ourId,
      ifMatch,
      entries: sources.map(({ item, entry }) => ({
        entry,
        suffix: paired.find((p) => p.source === item)?.suffix ?? "",
      })),
    };
  });
}

/** JSON equality regardless of key order (jsonb does not keep it). */
export function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export type Decision =
  | { type: "create"; planned: PlannedObservation }
  | { type: "unchanged"; planned: PlannedObservation; id: string; changedAt: Date }
  | { type: "update"; planned: PlannedObservation; id: string; keys: string[] };

function preconditionFailed(message: string): FhirError {
  return new FhirError(412, operationOutcome([{ severity: "error", code: "conflict", message }]));
}

/** Decides, against the patient's current observations, what each planned one is. */
export async function decide(
  tx: Tx,
  patientId: string | null,
  planned: readonly PlannedObservation[],
): Promise<Decision[]> {
  const rows = patientId
    ? await tx
        .select({
          id: observations.id,
          kind: observations.kind,
          effective: observations.effective,
          payload: observations.payload,
          fhir: observations.fhir,
          sourceKeys: observations.sourceKeys,
          recordedAt: observations.recordedAt,
          updatedAt: observations.updatedAt,
        })
        .from(observations)
        .where(and(eq(observations.patientId, patientId), isNull(observations.enteredInErrorAt)))
    : [];
  const taken = new Set<string>();
  return planned.map((p): Decision => {
    const free = rows.filter((r) => !taken.has(r.id));
    const o = p.observation;
    // Same content counts only for a resource without an identifier: two results with their own
    // identifiers are two results, even when they agree.
    const identified = p.keys.some((k) => k.startsWith("identifier:"));
    const row =
      (p.ourId ? free.find((r) => r.id === p.ourId) : undefined) ??
      free.find((r) => r.sourceKeys.some((k) => p.keys.includes(k))) ??
      (identified
        ? undefined
        : free.find(
            (r) => r.kind === o.kind && r.effective === o.effective && sameJson(r.payload, o),
          ));
    if (p.ifMatch) {
      const current = row ? etagOf(metaOf(row.updatedAt ?? row.recordedAt)) : null;
      if (current !== p.ifMatch.trim())
        throw preconditionFailed(
          row
            ? `If-Match ${p.ifMatch} is not the current version (${current}): the resource changed since it was read.`
            : `If-Match ${p.ifMatch} names no stored resource.`,
        );
    }
    if (!row) {
      if (p.ourId) throw preconditionFailed(`Observation ${p.ourId} is not one of this patient's.`);
      return { type: "create", planned: p };
    }
    taken.add(row.id);
    const keys = new Set([...row.sourceKeys, ...p.keys]);
    const same =
      sameJson(row.payload, o) &&
      sameJson(row.fhir ?? {}, p.extras) &&
      keys.size === row.sourceKeys.length;
    return same
      ? { type: "unchanged", planned: p, id: row.id, changedAt: row.updatedAt ?? row.recordedAt }
      : { type: "update", planned: p, id: row.id, keys: [...keys] };
  });
}

/** The UPDATE of an observation that a re-sent resource changed. */
export function updateStatement(tx: Tx, d: Extract<Decision, { type: "update" }>, now: Date) {
  const o = d.planned.observation;
  return tx
    .update(observations)
    .set({
      kind: o.kind,
      effective: o.effective,
      payload: o,
      valueNum: observationValueNum(o),
      fhir: Object.keys(d.planned.extras).length ? d.planned.extras : null,
      sourceKeys: d.keys,
      updatedAt: now,
    })
    .where(eq(observations.id, d.id));
}

/** Stores extras and keys on the rows a visit just created (matched by content, in order). */
export async function tagCreated(
  tx: Tx,
  visitId: string,
  created: readonly PlannedObservation[],
): Promise<string[]> {
  const rows = await tx
    .select({ id: observations.id, payload: observations.payload })
    .from(observations)
    .where(eq(observations.visitId, visitId));
  const ids: string[] = [];
  const taken = new Set<string>();
  for (const p of created) {
    const row = rows.find((r) => !taken.has(r.id) && sameJson(r.payload, p.observation));
    if (!row) throw new Error("created observation not found");
    taken.add(row.id);
    ids.push(row.id);
    await tx
      .update(observations)
      .set({
        fhir: Object.keys(p.extras).length ? p.extras : null,
        sourceKeys: p.keys,
      })
      .where(eq(observations.id, row.id));
  }
  return ids;
}
