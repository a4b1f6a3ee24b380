// /api/auth/*: next-auth (credentials sign-in, session, sign-out).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { logFailure } from "@/lib/api/failure-log";
import { getAuthOptions } from "@/lib/auth/options";
import { endSession } from "@/lib/auth/session";

type NextAuthRouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: NextAuthRouteContext): Promise<Response> {
  // Signing out ends the session on the server first: next-auth alone only clears the cookie
  // (a copy of it would stay valid until it expires), and only with its CSRF token.
  if (req.method === "POST" && req.nextUrl.pathname.endsWith("/signout")) {
    await endSession(req).catch((error: unknown) => logFailure("POST /api/auth/signout", error));
  }
  return (NextAuth(getAuthOptions()) as (r: Request, c: NextAuthRouteContext) => Promise<Response>)(
    req,
    context,
  );
}

export { handler as GET, handler as POST };
