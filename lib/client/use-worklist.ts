import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FlagAction, FlagState, FlagWithTimeline } from "@/lib/api/worklist";
import { fetchJson } from "./fetch-json";

/** A flag with its timeline. */
export function useFlag(flagId: string | null) {
  return useQuery({
    queryKey: ["flag", flagId],
    queryFn: ({ signal }) => fetchJson<FlagWithTimeline>(`/api/v1/flags/${flagId}`, { signal }),
    enabled: Boolean(flagId),
  });
}

/** Care-team members of a site (for assignment). */
export function useCareTeam(siteId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ["care-team", siteId],
    queryFn: ({ signal }) =>
      fetchJson<{ items: { id: string; name: string }[] }>(`/api/v1/sites/${siteId}/care-team`, {
        signal,
      }),
    enabled: Boolean(siteId) && enabled,
    staleTime: 5 * 60_000,
  });
}

/** One step of a batch: the action for one flag, with that flag's own version. */
export interface FlagStep {
  flagId: string;
  action: FlagAction;
}

/** What a batch did: the flags saved, and the first refusal (the steps after it are not sent). */
export interface FlagBatchResult {
  saved: FlagState[];
  failed: { flagId: string; error: unknown } | null;
}

/**
 * Applies one action to several flags of a patient, one request per flag (each carries its own
 * version, so a conflict names the one flag someone else changed); stops at the first refusal.
 */
export function useFlagBatch(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (steps: FlagStep[]): Promise<FlagBatchResult> => {
      const saved: FlagState[] = [];
      for (const step of steps) {
        try {
          saved.push(
            await fetchJson<FlagState>(`/api/v1/flags/${step.flagId}`, {
              method: "PATCH",
              body: step.action,
            }),
          );
        } catch (error) {
          return { saved, failed: { flagId: step.flagId, error } };
        }
      }
      return { saved, failed: null };
    },
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ["worklist"] }),
        client.invalidateQueries({ queryKey: ["flag"] }),
        client.invalidateQueries({ queryKey: ["patient", patientId] }),
        client.invalidateQueries({ queryKey: ["quality"] }),
      ]);
    },
  });
}
