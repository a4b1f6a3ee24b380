/** The "Load more" button of a keyset-paginated list. */
export function LoadMoreButton({
  loadMore,
  loadingMore,
}: {
  loadMore: () => Promise<void>;
  loadingMore: boolean;
}) {
  return (
    <button type="button" className="btn" onClick={() => void loadMore()} disabled={loadingMore}>
      {loadingMore ? "Loading…" : "Load more"}
    </button>
  );
}
