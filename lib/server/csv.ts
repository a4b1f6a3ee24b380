/** A CSV cell's value: numbers are written as numbers, text is made spreadsheet-safe. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; text starting with
 * = + - @ (or a tab or carriage return) gets a leading apostrophe so spreadsheets never run it
 * as a formula (OWASP CSV injection).
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line end). */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",");
}

/** Rows to CSV text (CRLF line ends, header first). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map(csvLine).join("\r\n") + "\r\n";
}
