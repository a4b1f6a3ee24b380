import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FlagAction, FlagState, FlagWithTimeline, WorklistPage } from "@/lib/api/worklist";
import { fetchJson } from "./fetch-json";

/** The worklist for a query string (the page's URL filters). */
export function useWorklist(queryString: string, initialData?: WorklistPage) {
  return useQuery({
    queryKey: ["worklist", queryString],
    queryFn: ({ signal }) => fetchJson<WorklistPage>(`/api/v1/worklist?${queryString}`, { signal }),
    initialData,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** One more page of the same query. */
export function fetchWorklistPage(queryString: string, cursor: string): Promise<WorklistPage> {
  const params = new URLSearchParams(queryString);
  params.set("cursor", cursor);
  return fetchJson<WorklistPage>(`/api/v1/worklist?${params.toString()}`);
}

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
