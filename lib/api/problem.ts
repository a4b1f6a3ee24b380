import type { z } from "zod";
import { findBadText, TEXT_RULE_MESSAGE } from "@/lib/clinical/text";
import { AppError, STATUS_OF, TITLE_OF, type FieldError } from "./errors";

/** Largest JSON body any route accepts. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

/**
 * The id of the request being answered, when the server's request wrapper runs
 * (lib/server/observability/context.ts keeps it under this symbol; lib/api may not import it).
 */
function currentRequestId(): string | undefined {
  const store = (globalThis as unknown as Record<symbol, unknown>)[
    Symbol.for("bone-brain-care.request-context")
  ] as { getStore(): { reqId?: string } | undefined } | undefined;
  return store?.getStore()?.reqId;
}

/** A problem document (RFC 9457); `requestId` names the request in the logs. */
export function problemDocument(
  status: number,
  title: string,
  detail: string,
  members: Record<string, unknown>,
  requestId: string | undefined,
): ProblemDocument {
  return {
    type: "about:blank",
    title,
    status,
    detail,
    ...members,
    ...(requestId ? { requestId } : {}),
  };
}

/** An application/problem+json response (RFC 9457); `requestId` names the request in the logs. */
export function problemResponse(
  status: number,
  title: string,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } & Record<string, unknown> = {},
): Response {
  const { headers, ...members } = extra;
  const body = problemDocument(status, title, detail, members, currentRequestId());
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/**
 * API answers carry patient data unless they say otherwise, so no cache (browser, proxy) may keep
 * them: `Cache-Control: no-store` when the handler set no policy of its own.
 */
export function noStoreByDefault(response: Response): Response {
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
  return response;
}

/** Maps any thrown value to a problem response; unknown errors become a bare 500, never a trace. */
export function errorToProblem(error: unknown): Response {
  if (error instanceof AppError) {
    const status = STATUS_OF[error.kind];
    const headers: Record<string, string> = {};
    if (error.details.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(error.details.retryAfterSeconds)));
    }
    return problemResponse(status, TITLE_OF[error.kind], error.message, {
      ...(error.details.errors ? { errors: error.details.errors } : {}),
      ...error.details.extra,
      headers,
    });
  }
  return problemResponse(
    500,
    "Internal error",
    "Something went wrong on our side. The error was logged without patient data; try again.",
  );
}

/** zod issues as field paths and plain messages. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

/**
 * The text rule (lib/clinical/text.ts) over a whole parsed body or query, before its schema: a 422
 * naming the first field that holds U+0000 or an unpaired surrogate, whatever its schema says.
 */
function refuseBadText(value: unknown, root: string): void {
  const path = findBadText(value);
  if (!path) return;
  const field = path.map(String).join(".") || root;
  throw new AppError("unprocessable", `${field} ${TEXT_RULE_MESSAGE}.`, {
    errors: [{ path: field, message: TEXT_RULE_MESSAGE }],
  });
}

/**
 * The decoded input checked by the text rule (422) and then by `schema`: a failure throws
 * `kind` with `message` and the field paths.
 */
function validated<T extends z.ZodType>(
  schema: T,
  input: unknown,
  root: string,
  kind: "bad-request" | "unprocessable",
  message: string,
): z.infer<T> {
  refuseBadText(input, root);
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(kind, message, { errors: zodFieldErrors(result.error) });
  }
  return result.data;
}

/**
 * Parses a query string against a schema, or throws a 400 with the field paths (422 for text the
 * text rule refuses).
 */
export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.infer<T> {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length > 1 ? all : (all[0] ?? "");
  }
  return validated(schema, raw, "(query)", "bad-request", "The query parameters are not valid.");
}

/** Reads and validates a JSON body: 415 for another media type, 413 over 1 MiB, 400 for bad JSON, 422 for invalid fields. */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError("unsupported-media-type", "Send the body as application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) {
    throw new AppError(
      "payload-too-large",
      `The body is larger than ${MAX_JSON_BODY_BYTES} bytes.`,
    );
  }
  const text = await readLimited(request, MAX_JSON_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad-request", "The body is not valid JSON.");
  }
  return validated(schema, json, "(body)", "unprocessable", "Some fields are not valid.");
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("payload-too-large", `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const merged = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    merged.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(merged);
  } catch {
    throw new AppError("bad-request", "The body is not valid UTF-8.");
  }
}
