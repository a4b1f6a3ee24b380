/** Typed application errors: use-cases throw these; the HTTP layer maps them to problem+json. */
export type AppErrorKind =
  | "bad-request"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "gone"
  | "payload-too-large"
  | "unsupported-media-type"
  | "unprocessable"
  | "too-many-requests";

export interface FieldError {
  path: string;
  message: string;
}

/**
 * A lookup of a record outside the actor's sites, or of no record at all (the two look the same
 * to the caller): answered 404, and audited as denied with the id asked for by the route wrapper,
 * once any transaction it happened in has been rolled back.
 */
export interface DeniedLookup {
  entityType: "patient" | "flag" | "observation";
  entityId: string;
  /** The patient the record belongs to, when it exists (for the audit log's patient filter). */
  patientId: string | null;
}

export interface AppErrorDetails {
  errors?: FieldError[];
  retryAfterSeconds?: number;
  /** Extra members of the problem document (e.g. the current state on a 409). */
  extra?: Record<string, unknown>;
  deniedLookup?: DeniedLookup;
}

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const STATUS_OF: Record<AppErrorKind, number> = {
  "bad-request": 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  gone: 410,
  "payload-too-large": 413,
  "unsupported-media-type": 415,
  unprocessable: 422,
  "too-many-requests": 429,
};

export const TITLE_OF: Record<AppErrorKind, string> = {
  "bad-request": "Bad request",
  unauthenticated: "Sign-in required",
  forbidden: "Forbidden",
  "not-found": "Not found",
  conflict: "Conflict",
  gone: "Gone",
  "payload-too-large": "Request body too large",
  "unsupported-media-type": "Unsupported media type",
  unprocessable: "Invalid input",
  "too-many-requests": "Too many requests",
};

export const notFound = (what: string): AppError =>
  new AppError("not-found", `${what} was not found.`);
export const forbidden = (message = "You do not have permission to do this."): AppError =>
  new AppError("forbidden", message);
