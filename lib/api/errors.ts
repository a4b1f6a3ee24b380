/** Typed application errors: use-cases throw these; the HTTP layer maps them to problem+json. */
export type AppErrorKind =
  | "bad-request"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "payload-too-large"
  | "unsupported-media-type"
  | "unprocessable"
  | "too-many-requests";

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorDetails {
  errors?: FieldError[];
  retryAfterSeconds?: number;
  /** Extra members of the problem document (e.g. the current state on a 409). */
  extra?: Record<string, unknown>;
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
  "payload-too-large": "Request body too large",
  "unsupported-media-type": "Unsupported media type",
  unprocessable: "Invalid input",
  "too-many-requests": "Too many requests",
};

export const notFound = (what: string): AppError =>
  new AppError("not-found", `${what} was not found.`);
export const forbidden = (message = "You do not have permission to do this."): AppError =>
  new AppError("forbidden", message);
