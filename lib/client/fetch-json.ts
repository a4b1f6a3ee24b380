/** A field error of a problem+json document (`path` like "observations.0.items.3"). */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An application/problem+json body (RFC 9457) as the API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemFieldError[];
}

/** A failed API call: the HTTP status and the problem document (or a stand-in for non-JSON replies). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** The reply as sent, for the members a problem adds (a 409's current state). */
    readonly body: unknown = null,
  ) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
  }

  /** Field errors of the problem, or an empty list. */
  get fieldErrors(): ProblemFieldError[] {
    return this.problem.errors ?? [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a problem document defensively: anything missing gets a plain-language default. */
export function toProblem(status: number, body: unknown): Problem {
  const record = isRecord(body) ? body : {};
  const errors = Array.isArray(record.errors)
    ? record.errors.filter(isRecord).map((e) => ({
        path: typeof e.path === "string" ? e.path : "",
        message: typeof e.message === "string" ? e.message : "is not valid",
      }))
    : undefined;
  return {
    type: typeof record.type === "string" ? record.type : "about:blank",
    title: typeof record.title === "string" ? record.title : `Request failed (${status})`,
    status,
    detail:
      typeof record.detail === "string"
        ? record.detail
        : status === 0
          ? "The server could not be reached. Check the connection and try again."
          : "Something went wrong on our side; try again.",
    ...(errors ? { errors } : {}),
  };
}

/**
 * fetch for our JSON API: sends and expects JSON, and throws an `ApiError` carrying the
 * problem+json body on any non-2xx answer (or a status-0 problem when the network fails).
 */
export async function fetchJson<T>(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: init.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, toProblem(0, null));
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, toProblem(response.status, body), body);
  return body as T;
}

/** Plain-language message of any error thrown by a hook. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "Your session has ended: sign in again.";
    if (error.status === 403) return "Your role does not allow this.";
    return error.problem.detail;
  }
  return "Something went wrong; try again.";
}
