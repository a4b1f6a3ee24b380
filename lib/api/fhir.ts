import { z } from "zod";
import { text } from "@/lib/clinical/text";
import { operationOutcome, simpleOutcome, type IssueType, type OperationOutcome } from "@/lib/fhir";
import { AppError, STATUS_OF, type AppErrorKind, type DeniedLookup } from "./errors";

/** FHIR R4 JSON responses and OperationOutcome errors for /fhir/r4. */

export const FHIR_JSON = "application/fhir+json; charset=utf-8";

/** A failure that already carries its OperationOutcome and HTTP status. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    /** A refused lookup for the wrapper to audit (see AppErrorDetails). */
    readonly deniedLookup?: DeniedLookup,
  ) {
    super(outcome.issue[0]?.diagnostics ?? "FHIR error");
    this.name = "FhirError";
  }
}

export function fhirResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": FHIR_JSON, "cache-control": "no-store", ...headers },
  });
}

const ISSUE_OF: Record<AppErrorKind, IssueType> = {
  "bad-request": "invalid",
  unauthenticated: "login",
  forbidden: "forbidden",
  "not-found": "not-found",
  conflict: "conflict",
  gone: "not-found",
  "payload-too-large": "too-costly",
  "unsupported-media-type": "not-supported",
  unprocessable: "invalid",
  "too-many-requests": "too-costly",
};

/** Any thrown value as an OperationOutcome response; unknown errors are a bare 500. */
export function fhirErrorResponse(error: unknown): Response {
  if (error instanceof FhirError) return fhirResponse(error.outcome, error.status);
  if (error instanceof AppError) {
    const status = STATUS_OF[error.kind];
    const code = ISSUE_OF[error.kind];
    const issues = error.details.errors?.length
      ? error.details.errors.map((e) => ({
          severity: "error" as const,
          code,
          message: `${error.message} ${e.message}`.trim(),
          expression: e.path,
        }))
      : [{ severity: "error" as const, code, message: error.message }];
    const headers: Record<string, string> = {};
    if (error.kind === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="fhir"';
    return fhirResponse(operationOutcome(issues), status, headers);
  }
  return fhirResponse(
    simpleOutcome(
      "error",
      "exception",
      "Something went wrong on our side. The error was logged without patient data; try again.",
    ),
    500,
  );
}

/** POST /fhir/r4 query: the site for a new patient when the Patient carries none of our MRN systems. */
export const fhirTransactionQuerySchema = z.strictObject({
  site: text()
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, "site must be a site code")
    .optional(),
});
