/** A CSV export as a download named `<name>-<today, UTC>.csv`, never cached. */
export function csvDownload(csv: string, name: string): Response {
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
}
