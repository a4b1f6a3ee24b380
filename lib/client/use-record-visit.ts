import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Observation } from "@/lib/clinical/schemas";
import type { FlagSummary, RecordVisitResult } from "@/lib/api/visits";
import { fetchJson } from "./fetch-json";

export type { RecordVisitResult } from "@/lib/api/visits";
/** A flag as the visit and retract answers list it. */
export type FlagSummaryDto = FlagSummary;

/**
 * Observations as the form sends them: the assess contract, except that `effective` may be left
 * out (the server uses the visit date) and values the user mistyped are sent as they are, so that
 * the server's field errors point at them.
 */
export type VisitObservationInput = Observation | Record<string, unknown>;

export interface RecordVisitInput {
  occurredOn: string;
  observations: VisitObservationInput[];
}

/** Keys whose data a change to one patient's record makes stale. */
export function patientChangeKeys(patientId: string): readonly (readonly unknown[])[] {
  return [["patient", patientId], ["patients"], ["worklist"], ["quality"]];
}

/** Records a visit; on success the patient, the lists, the worklist and quality data refresh. */
export function useRecordVisit(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RecordVisitInput) =>
      fetchJson<RecordVisitResult>(`/api/v1/patients/${encodeURIComponent(patientId)}/visits`, {
        method: "POST",
        body: input,
      }),
    onSuccess: async () => {
      await Promise.all(
        patientChangeKeys(patientId).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
    },
  });
}
