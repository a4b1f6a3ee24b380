import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  createPatientSchema,
  type CreatePatientInput,
  type PatientHeader,
  type PatientListPage,
} from "@/lib/api/patients";

export type { PatientListItem, PatientListPage } from "@/lib/api/patients";
/** The header of one patient (POST /api/v1/patients answer; `patient` of the detail). */
export type PatientHeaderDto = PatientHeader;
import { fetchJson } from "./fetch-json";

/** Rows per page of the patient search. */
export const PATIENT_PAGE_SIZE = 25;

export interface PatientSearchParams {
  q: string;
  siteId?: string;
}

function listUrl(params: PatientSearchParams, cursor: string | null): string {
  const search = new URLSearchParams({ limit: String(PATIENT_PAGE_SIZE) });
  const q = params.q.trim();
  if (q) search.set("q", q);
  if (params.siteId) search.set("siteId", params.siteId);
  if (cursor) search.set("cursor", cursor);
  return `/api/v1/patients?${search.toString()}`;
}

/** Patients of the user's sites matching `q`, keyset-paginated ("Load more"). */
export function usePatients(params: PatientSearchParams) {
  const key = { q: params.q.trim(), ...(params.siteId ? { siteId: params.siteId } : {}) };
  return useInfiniteQuery({
    queryKey: ["patients", key],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<PatientListPage>(listUrl(params, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
}

/** The registration schema shared with the API (one schema for form, handler and types). */
export { createPatientSchema };
export type { CreatePatientInput };

/** Registers a patient (POST /api/v1/patients); the patient lists are refreshed. */
export function useCreatePatient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreatePatientInput) =>
      fetchJson<PatientHeaderDto>("/api/v1/patients", { method: "POST", body: input }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["patients"] });
    },
  });
}
