// /api/auth/*: next-auth (password and single sign-on, session, sign-out).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { logFailure } from "@/lib/api/failure-log";
import { clientIp, userAgentOf } from "@/lib/auth/client-address";
import { authOptionsForRequest } from "@/lib/auth/options";
import { endSession } from "@/lib/auth/session";
import { auditSsoFailure, SSO_PROVIDER_ID, ssoConfig } from "@/lib/auth/sso";
import { env } from "@/lib/env";

type NextAuthRouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * The error code of a single sign-on callback that next-auth ended on its error page (a wrong
 * state, an id_token that failed verification, an error from the provider), or null. Refusals of
 * a verified identity carry our own `Sso…` codes and were audited when they were decided.
 */
function failedCallbackCode(req: NextRequest, response: Response): string | null {
  if (!req.nextUrl.pathname.endsWith(`/callback/${SSO_PROVIDER_ID}`)) return null;
  const location = response.headers.get("location");
  if (!location) return null;
  const code = new URL(location, req.nextUrl.origin).searchParams.get("error");
  return code && !code.startsWith("Sso") ? code : null;
}

async function handler(req: NextRequest, context: NextAuthRouteContext): Promise<Response> {
  // Signing out ends the session on the server first: next-auth alone only clears the cookie
  // (a copy of it would stay valid until it expires), and only with its CSRF token.
  if (req.method === "POST" && req.nextUrl.pathname.endsWith("/signout")) {
    await endSession(req).catch((error: unknown) => logFailure("POST /api/auth/signout", error));
  }
  const response = await (
    NextAuth(authOptionsForRequest(req.headers)) as (
      r: Request,
      c: NextAuthRouteContext,
    ) => Promise<Response>
  )(req, context);
  const failed = failedCallbackCode(req, response);
  const sso = ssoConfig(env());
  if (failed && sso) {
    await auditSsoFailure(
      await getDb(),
      { issuer: sso.issuer, ip: clientIp(req.headers), userAgent: userAgentOf(req.headers) },
      failed,
    ).catch((error: unknown) => logFailure("GET /api/auth/callback/oidc", error));
  }
  return response;
}

export { handler as GET, handler as POST };
