/**
 * The one line a server failure leaves in the log: where (method and path, with record ids
 * replaced) and the error's class and code. Never the message: driver and library messages can
 * quote patient data, and a path's ids point at patients.
 */
export function logFailure(where: string, error: unknown): void {
  // The server's JSON logger, when it runs (lib/server/observability/log.ts installs it).
  const sink = (globalThis as unknown as Record<symbol, unknown>)[
    Symbol.for("bone-brain-care.failure-sink")
  ];
  if (typeof sink === "function") {
    (sink as (where: string, error: unknown) => void)(where, error);
    return;
  }
  const e = error as { name?: string; code?: string } | null | undefined;
  console.error(
    `[bone-brain] ${where} failed: ${e?.name ?? typeof error}${e?.code ? ` (${e.code})` : ""}`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `METHOD /path` with every segment that may identify a record (a UUID, or any segment with
 * three digits in a row: FHIR ids, MRNs) replaced by `:id`, so that a log line never leads to a
 * patient.
 */
export function requestLabel(method: string, pathname: string): string {
  const path = pathname
    .split("/")
    .map((segment) => (UUID.test(segment) || /\d{3}/.test(segment) ? ":id" : segment))
    .join("/");
  return `${method} ${path}`;
}
