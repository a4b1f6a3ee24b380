import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AcceptedSelfReport,
  CreatedSelfReport,
  SelfReportInstrument,
  SelfReportList,
  SelfReportMode,
} from "@/lib/api/self-reports";
import { fetchJson } from "./fetch-json";

/** A patient's self-reports, newest first. */
export function useSelfReports(patientId: string, initialData?: SelfReportList) {
  return useQuery({
    queryKey: ["self-reports", patientId],
    queryFn: ({ signal }) =>
      fetchJson<SelfReportList>(`/api/v1/patients/${patientId}/self-reports`, { signal }),
    ...(initialData ? { initialData } : {}),
  });
}

/** Starts a self-report (tablet or link). */
export function useStartSelfReport(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      instruments: SelfReportInstrument[];
      mode: SelfReportMode;
      expiresInDays?: number;
    }) =>
      fetchJson<CreatedSelfReport>(`/api/v1/patients/${patientId}/self-reports`, {
        method: "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["self-reports", patientId] }),
  });
}

/** Accepts a submitted self-report into a visit (one action). */
export function useAcceptSelfReport(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (selfReportId: string) =>
      fetchJson<AcceptedSelfReport>(`/api/v1/self-reports/${selfReportId}/accept`, {
        method: "POST",
        body: {},
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["self-reports", patientId] }),
        client.invalidateQueries({ queryKey: ["observations", patientId] }),
      ]),
  });
}
