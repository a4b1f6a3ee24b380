import { useQuery } from "@tanstack/react-query";
import type { Observation } from "@/lib/clinical";
import { fetchJson } from "./fetch-json";

/** One row of GET /api/v1/patients/:id/observations. */
export interface ObservationItem {
  id: string;
  /** An ObservationKind (the database column is text). */
  kind: string;
  effective: string;
  /** The observation as entered (the assess contract). */
  payload: Observation;
  valueNum: number | null;
  visitId: string | null;
  recordedAt: string;
  recordedBy: string | null;
  enteredInError: { at: string; reason: string | null } | null;
}

export function patientObservationsKey(patientId: string, includeRetracted: boolean) {
  return ["patient", patientId, "observations", { includeRetracted }] as const;
}

/** A patient's observations, newest first; `initialData` from the server page avoids a first fetch. */
export function usePatientObservations(
  patientId: string,
  options: { includeRetracted?: boolean; initialData?: ObservationItem[] } = {},
) {
  const includeRetracted = options.includeRetracted ?? false;
  return useQuery({
    queryKey: patientObservationsKey(patientId, includeRetracted),
    queryFn: async ({ signal }) => {
      const body = await fetchJson<{ items: ObservationItem[] }>(
        `/api/v1/patients/${encodeURIComponent(patientId)}/observations?includeRetracted=${String(includeRetracted)}`,
        { signal },
      );
      return body.items;
    },
    ...(options.initialData ? { initialData: options.initialData } : {}),
  });
}
