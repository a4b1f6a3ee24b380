import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, fetchJson } from "./fetch-json";
import { useUrlFilters } from "./use-url-filters";

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

function pageUrl(endpoint: string, queryString: string, cursor?: string): string {
  const params = new URLSearchParams(queryString);
  if (cursor) params.set("cursor", cursor);
  const search = params.toString();
  return search ? `${endpoint}?${search}` : endpoint;
}

/**
 * A keyset-paginated list of our API, `/api/v1/<key>`, filtered by the page's URL (`normalize`
 * keeps its filters; see useUrlFilters): the first page through React Query (keyed
 * `[key, queryString]`, seeded by the server's render when it drew the same filters), then "Load
 * more". The pages loaded after the first belong to one query string and go when the filters
 * change.
 */
export function useUrlKeysetList<P extends Page, T = P["items"][number]>(
  key: string,
  normalize: (search: URLSearchParams) => URLSearchParams,
  /** The server's first page and the query string it was drawn for. */
  initial: { initialData: P; initialQuery: string },
  keyOf: (item: T) => string,
) {
  const endpoint = `/api/v1/${key}`;
  const { filters: params, navigate, submit } = useUrlFilters(normalize);
  const queryString = params.toString();
  const query = useQuery({
    queryKey: [key, queryString],
    queryFn: ({ signal }) => fetchJson<P>(pageUrl(endpoint, queryString), { signal }),
    initialData: queryString === initial.initialQuery ? initial.initialData : undefined,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

  const [extra, setExtra] = useState<{ key: string; items: T[]; cursor: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  // New filters: the pages loaded for the old ones go (adjusting state while rendering).
  if (extra !== null && extra.key !== queryString) setExtra(null);
  const extraItems = extra?.key === queryString ? extra.items : [];
  const firstPage = query.data;
  const firstItems = (firstPage?.items ?? []) as T[];
  const firstKeys = new Set(firstItems.map(keyOf));
  const items = firstPage
    ? [...firstItems, ...extraItems.filter((e) => !firstKeys.has(keyOf(e)))]
    : [];
  const nextCursor = extra?.key === queryString ? extra.cursor : (firstPage?.nextCursor ?? null);

  async function loadMore(): Promise<void> {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const more = await fetchJson<P>(pageUrl(endpoint, queryString, nextCursor));
      setExtra({
        key: queryString,
        items: [...extraItems, ...(more.items as T[])],
        cursor: more.nextCursor,
      });
    } catch (error) {
      setMoreError(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  }

  return {
    params,
    queryString,
    navigate,
    submit,
    query,
    page: firstPage,
    items,
    nextCursor,
    loadMore,
    loadingMore,
    moreError,
  };
}
