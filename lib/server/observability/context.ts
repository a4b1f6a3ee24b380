import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What the server knows about the request being answered, for its access line and errors. */
export interface RequestContext {
  reqId: string;
  /** The signed-in user's id, once a route or page has resolved the session. */
  userId?: string;
}

/*
 * One store per process, under a registered symbol: the server wrapper runs outside the Next.js
 * bundle and the route handlers inside it (possibly in more than one copy of this module), and
 * all must see the same store. lib/api/problem.ts reads it under the same symbol.
 */
const STORE = Symbol.for("bone-brain-care.request-context");
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestContext>>;
holder[STORE] ??= new AsyncLocalStorage<RequestContext>();
const store = holder[STORE];

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * An incoming request id is kept when it is plain (1–128 characters of `A-Z a-z 0-9 . _ : -`), so a
 * proxy's or an EHR's own id, however short, follows the request into our logs; anything else
 * (spaces, control characters, non-ASCII, longer) could forge or break a log line and is replaced.
 */
export function requestIdFrom(incoming: string | string[] | undefined | null): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

/** Records who is signed in on the current request (its access line carries the user id). */
export function noteRequestUser(userId: string): void {
  const context = store.getStore();
  if (context) context.userId = userId;
}
