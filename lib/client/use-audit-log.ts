import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditPage } from "@/lib/api/audit";
import { fetchJson } from "./fetch-json";

/** The first page of the audit log for a query string (the page's URL filters). */
export function useAuditLog(queryString: string, initialData?: AuditPage) {
  return useQuery({
    queryKey: ["audit", queryString],
    queryFn: ({ signal }) =>
      fetchJson<AuditPage>(`/api/v1/audit${queryString ? `?${queryString}` : ""}`, { signal }),
    initialData,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** The next page of the same query. */
export function fetchAuditPage(queryString: string, cursor: string): Promise<AuditPage> {
  const params = new URLSearchParams(queryString);
  params.set("cursor", cursor);
  return fetchJson<AuditPage>(`/api/v1/audit?${params.toString()}`);
}
