import { formatDate } from "@/lib/clinical/dates";

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/;

/**
 * An instant as people read it, in the dates' one format: "6 Dec 2026 14:03 UTC" (with seconds,
 * "6 Dec 2026 14:03:12 UTC"). The API sends UTC instants, and the screens say so rather than
 * guessing the reader's zone.
 */
export function formatDateTime(iso: string, options: { seconds?: boolean } = {}): string {
  const m = ISO_INSTANT.exec(iso);
  if (!m) return iso;
  return `${formatDate(m[1]!)} ${m[2]!}${options.seconds ? (m[3] ?? ":00") : ""} UTC`;
}
