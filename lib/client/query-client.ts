import { QueryClient } from "@tanstack/react-query";

/** One React Query setup for the app: data is fresh for 30 s, failed reads retry once. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: true },
      mutations: { retry: 0 },
    },
  });
}
