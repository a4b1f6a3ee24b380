import { useQuery } from "@tanstack/react-query";
import type { ObservationItem } from "@/lib/api/patients";
import { fetchJson } from "./fetch-json";

export type { ObservationItem } from "@/lib/api/patients";

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
