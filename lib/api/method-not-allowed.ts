import { problemResponse } from "./problem";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The Allow header of a route answering `allowed`: Next.js answers HEAD for a GET route and
 * OPTIONS for every route by itself, so both are named too.
 */
export function allowHeader(allowed: readonly Method[]): string {
  return [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}

/**
 * Handlers for every method a route does not answer, and for OPTIONS:
 * `export const { PUT, DELETE, OPTIONS } = otherMethods(["GET", "POST"])`. Next.js would otherwise
 * answer a bare 405 with no body and no Allow header (RFC 9110 requires one); this is a
 * problem+json 405 with the request's id, like every other API error. Next.js's own OPTIONS
 * answer lists every exported handler, the refusing ones too, so the route answers OPTIONS
 * itself with the methods it serves.
 */
export function otherMethods(
  allowed: readonly Method[],
): Record<Method | "OPTIONS", (req: Request) => Response> {
  const allow = allowHeader(allowed);
  const handler = (req: Request) =>
    problemResponse(
      405,
      "Method not allowed",
      `${req.method} is not answered on this path; it answers ${allow}.`,
      { headers: { allow } },
    );
  const options = () => new Response(null, { status: 204, headers: { allow } });
  return {
    GET: handler,
    POST: handler,
    PUT: handler,
    PATCH: handler,
    DELETE: handler,
    OPTIONS: options,
  };
}
