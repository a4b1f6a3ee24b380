/** The byte-order mark that tells spreadsheets the file is UTF-8 (accents read right). */
export const UTF8_BOM = "\uFEFF";

/** The columns every export carries on each row so that a file stands alone. */
export const EXPORT_CONTEXT_COLUMNS = ["filters", "generated_at", "time_zone"] as const;

/** One filter value as text (lists joined with `sep`). */
function valueText(value: unknown, sep: string): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v, sep)).join(sep);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return typeof value === "string" ? value : `${value as number | boolean}`;
}

/** The filters as one readable cell: `status=active; priority=urgent,high` (defaults included). */
export function describeFilters(filters: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (
      value === undefined ||
      value === null ||
      value === "" ||
      key === "cursor" ||
      key === "limit"
    )
      continue;
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(`${key}=${valueText(value, ",")}`);
  }
  return parts.length ? parts.join("; ") : "none";
}

/** The context cells (filters, generated time, time zone) of an export made at `now`. */
export function exportContext(
  filters: Record<string, unknown>,
  now: Date,
  timeZone = "UTC",
): string[] {
  return [describeFilters(filters), now.toISOString(), timeZone];
}

/** A file name that says what was exported: `worklist-status-active-priority-urgent-2026-11-26.csv`. */
export function exportFileName(
  name: string,
  filters: Record<string, unknown>,
  now: Date = new Date(),
): string {
  const parts = [name];
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    if (key === "cursor" || key === "limit") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const text = value === true ? "" : valueText(value, "+");
    parts.push(text ? `${key}-${text}` : key);
  }
  parts.push(now.toISOString().slice(0, 10));
  const base = parts
    .join("-")
    .replace(/[^A-Za-z0-9._+-]+/g, "_")
    .slice(0, 180);
  return `${base}.csv`;
}

/** A CSV export as a download, UTF-8 with a BOM, named as given, never cached. */
export function csvDownload(csv: string, filename: string): Response {
  return new Response(UTF8_BOM + csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
