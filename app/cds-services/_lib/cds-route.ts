import type { NextRequest } from "next/server";
import { CDS_CORS_HEADERS } from "@/lib/api/cds";
import { AppError } from "@/lib/api/errors";
import { logFailure, requestLabel } from "@/lib/api/failure-log";
import { errorToProblem } from "@/lib/api/problem";
import { verifyCdsJwt, type VerifiedCdsClient } from "@/lib/auth/cds-jwt";
import { publicBaseUrl } from "@/lib/server/fhir";

/** Adds the CORS headers browser-based CDS clients (the public sandbox) need. */
export function withCors(response: Response): Response {
  for (const [name, value] of Object.entries(CDS_CORS_HEADERS)) response.headers.set(name, value);
  return response;
}

/** OPTIONS preflight for every CDS endpoint. */
export function preflight(): Response {
  return withCors(new Response(null, { status: 204 }));
}

/** The audience a client JWT must carry for this endpoint: its URL on our public base URL. */
export function audienceFor(pathname: string): string {
  return `${publicBaseUrl()}${pathname.replace(/\/+$/, "")}`;
}

/**
 * Runs a CDS endpoint: verifies the client JWT (unless `optionalAuth` and no Authorization header),
 * then the handler; errors become problem+json (401 for any authentication failure), with CORS.
 */
export function cdsRoute<P extends Record<string, string>>(
  handler: (
    req: NextRequest,
    args: { client: VerifiedCdsClient | null; params: P },
  ) => Promise<Response>,
  options: { optionalAuth?: boolean } = {},
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    try {
      const authorization = req.headers.get("authorization");
      const client =
        options.optionalAuth && !authorization
          ? null
          : await verifyCdsJwt(authorization, audienceFor(req.nextUrl.pathname));
      return withCors(await handler(req, { client, params: await route.params }));
    } catch (error) {
      if (!(error instanceof AppError))
        logFailure(requestLabel(req.method, req.nextUrl.pathname), error);
      const response = errorToProblem(error);
      if (response.status === 401)
        response.headers.set("www-authenticate", 'Bearer realm="cds-hooks"');
      return withCors(response);
    }
  };
}
