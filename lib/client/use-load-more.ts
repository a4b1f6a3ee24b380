import { useCallback, useState } from "react";
import { errorMessage } from "./fetch-json";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * "Load more" over a keyset-paginated list whose first page comes from React Query: the pages
 * loaded after it belong to one query string and are dropped when the filters change.
 */
export function useLoadMore<T>(
  queryString: string,
  firstPage: Page<T> | undefined,
  keyOf: (item: T) => string,
  fetchPage: (queryString: string, cursor: string) => Promise<Page<T>>,
) {
  const [extra, setExtra] = useState<{ key: string; items: T[]; cursor: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const extraItems = extra && extra.key === queryString ? extra.items : [];
  const firstKeys = new Set((firstPage?.items ?? []).map(keyOf));
  const items = firstPage
    ? [...firstPage.items, ...extraItems.filter((e) => !firstKeys.has(keyOf(e)))]
    : [];
  const nextCursor =
    extra && extra.key === queryString ? extra.cursor : (firstPage?.nextCursor ?? null);

  async function loadMore(): Promise<void> {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const more = await fetchPage(queryString, nextCursor);
      setExtra({
        key: queryString,
        items: [...extraItems, ...more.items],
        cursor: more.nextCursor,
      });
    } catch (error) {
      setMoreError(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  }

  const reset = useCallback(() => setExtra(null), []);
  return { items, nextCursor, loadMore, loadingMore, moreError, reset };
}
