import { expect } from "vitest";

/**
 * Checks a care registry's CSV export of exactly one patient: the header ends with the context
 * columns and holds each of `header`, the patient's row holds each of `row`.
 */
export function expectOneRowExport(
  { csv, rows }: { csv: string; rows: number },
  expected: { header: string[]; row: string[] },
): void {
  expect(rows).toBe(1);
  const [header, row] = csv.trim().split("\r\n");
  for (const part of expected.header) expect(header).toContain(part);
  expect(header).toMatch(/filters,generated_at,time_zone$/);
  for (const part of expected.row) expect(row).toContain(part);
}
