import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Assessment } from "@/lib/clinical/types";
import { fetchJson } from "./fetch-json";
import { patientChangeKeys, type FlagSummaryDto } from "./use-record-visit";

/** Answer of POST /api/v1/observations/:id/retract. */
export interface RetractResult {
  observationId: string;
  assessment: Assessment & { id: string };
  flags: FlagSummaryDto[];
}

/** Marks an observation of `patientId` entered in error (flags are re-assessed by the server). */
export function useRetractObservation(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { observationId: string; reason: string }) =>
      fetchJson<RetractResult>(
        `/api/v1/observations/${encodeURIComponent(input.observationId)}/retract`,
        { method: "POST", body: { reason: input.reason } },
      ),
    onSuccess: async () => {
      await Promise.all(
        patientChangeKeys(patientId).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
    },
  });
}
