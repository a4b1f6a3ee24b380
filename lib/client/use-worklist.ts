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

/** Applies one action to a flag; refreshes the worklist, the flag, the patient and quality views. */
export function useFlagAction(flagId: string, patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: FlagAction) =>
      fetchJson<FlagState>(`/api/v1/flags/${flagId}`, { method: "PATCH", body: action }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ["worklist"] }),
        client.invalidateQueries({ queryKey: ["flag", flagId] }),
        client.invalidateQueries({ queryKey: ["patient", patientId] }),
        client.invalidateQueries({ queryKey: ["quality"] }),
      ]);
    },
  });
}
