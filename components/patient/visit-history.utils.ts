import { OBSERVATION_KINDS } from "@/lib/clinical/constants";
import type { Observation } from "@/lib/clinical/schemas";

/** A stored observation as the history needs it. */
export interface HistoryObservation {
  id: string;
  kind: string;
  effective: string;
  payload: Observation;
  visitId: string | null;
  recordedAt: string;
  recordedBy: string | null;
  enteredInError: { at: string; reason: string | null } | null;
  /** "patient-reported" for the patient's own answers. */
  method?: string;
}

export interface HistoryVisit {
  key: string;
  visitId: string | null;
  /** The visit date: the latest `effective` of its observations (a visit's results default to it). */
  date: string;
  recordedAt: string;
  recordedBy: string | null;
  observations: HistoryObservation[];
}

/** Paper order: the order of the observation kinds. */
const KIND_ORDER: readonly string[] = OBSERVATION_KINDS;

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

/**
 * Groups observations into visits, newest visit first; inside a visit in paper order. Observations
 * recorded outside a visit are grouped by their date.
 */
export function groupByVisit(observations: readonly HistoryObservation[]): HistoryVisit[] {
  const groups = new Map<string, HistoryVisit>();
  for (const o of observations) {
    const key = o.visitId ?? `date:${o.effective}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        visitId: o.visitId,
        date: o.effective,
        recordedAt: o.recordedAt,
        recordedBy: o.recordedBy,
        observations: [],
      };
      groups.set(key, group);
    }
    if (o.effective > group.date) group.date = o.effective;
    if (o.recordedAt < group.recordedAt) group.recordedAt = o.recordedAt;
    group.observations.push(o);
  }
  const visits = [...groups.values()];
  for (const visit of visits) {
    visit.observations.sort(
      (a, b) =>
        kindRank(a.kind) - kindRank(b.kind) ||
        (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0),
    );
  }
  return visits.sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.recordedAt < b.recordedAt ? 1 : -1,
  );
}
