import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  qualityFiltersToSearch,
  type QualityFilters,
  type QualityMetricsResponse,
} from "@/lib/api/quality";

/** An API refusal with the problem document's message (shown to the user as is). */
export class QualityMetricsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "QualityMetricsError";
  }
}

/** React Query key of the quality metrics for one set of filters. */
export function qualityMetricsKey(filters: QualityFilters) {
  return ["quality", filters] as const;
}

async function fetchQualityMetrics(
  filters: QualityFilters,
  signal: AbortSignal,
): Promise<QualityMetricsResponse> {
  const res = await fetch(`/api/v1/quality/metrics?${qualityFiltersToSearch(filters)}`, {
    signal,
    headers: { accept: "application/json" },
  });
  if (!res.ok) {
    let detail = "The metrics could not be loaded; try again.";
    try {
      const problem = (await res.json()) as { detail?: unknown };
      if (typeof problem.detail === "string") detail = problem.detail;
    } catch {
      // Not a problem document: keep the generic message.
    }
    throw new QualityMetricsError(res.status, detail);
  }
  return (await res.json()) as QualityMetricsResponse;
}

/** De-identified quality metrics for the filters; keeps the previous view while the next loads. */
export function useQualityMetrics(filters: QualityFilters) {
  return useQuery({
    queryKey: qualityMetricsKey(filters),
    queryFn: ({ signal }) => fetchQualityMetrics(filters, signal),
    placeholderData: keepPreviousData,
    retry: (count, error) =>
      !(error instanceof QualityMetricsError && error.status < 500) && count < 1,
  });
}
