import { problemResponse } from "@/lib/api/problem";
import { env } from "@/lib/env";

/*
 * Cross-origin writes. A browser attaches the session cookie to requests another site makes it
 * send; SameSite=Lax keeps the cookie off most of them, and this check refuses the rest: a request
 * that may change something (any method but GET, HEAD, OPTIONS) is refused with 403 when the
 * browser says it comes from another site (Sec-Fetch-Site: cross-site) or names a foreign Origin.
 * Requests without either header (curl, servers, older browsers on same-origin requests) pass.
 *
 * Exempt: /fhir/ and /cds-services, whose callers are other systems authenticating with a bearer
 * token (cross-origin calls are their purpose, and a token is not sent by a browser on its own).
 * A /fhir/ request that falls back to the session cookie gets the check from withFhirAuth.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const BEARER_PATHS = [/^\/fhir\//, /^\/cds-services(\/|$)/];

export function isBearerPath(pathname: string): boolean {
  return BEARER_PATHS.some((p) => p.test(pathname));
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origins the app answers on: the request's own host and the configured public URLs. */
function ownOrigins(url: string, headers: Headers): Set<string> {
  const e = env();
  const own = new Set<string>();
  for (const o of [originOf(url), originOf(e.PUBLIC_URL), originOf(e.NEXTAUTH_URL)]) {
    if (o) own.add(o);
  }
  const host = headers.get("host")?.toLowerCase();
  if (host) {
    own.add(`http://${host}`);
    own.add(`https://${host}`);
  }
  return own;
}

/** True when a request that may change state comes from another site. */
export function isCrossSiteWrite(request: {
  method: string;
  url: string;
  headers: Headers;
}): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.headers.get("sec-fetch-site")?.toLowerCase() === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  return !ownOrigins(request.url, request.headers).has(origin.toLowerCase());
}

/** The 403 answer to a cross-site write (problem+json). */
export function crossSiteRefusal(): Response {
  return problemResponse(
    403,
    "Forbidden",
    "This request came from another site: changes are accepted only from the application's own pages.",
  );
}
