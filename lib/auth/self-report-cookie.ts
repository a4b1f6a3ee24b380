import "server-only";
import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/api/errors";
import { clientIp, userAgentOf } from "./client-address";
import { authSecret } from "./secret";
import { withoutAuth } from "./with-auth";

/*
 * The patient's self-report session lives in a signed cookie, not in the URL and not in process
 * memory: opening /r/<token> sets it (and takes the token out of the address bar), the birth date
 * marks it confirmed. Signed with a key derived from AUTH_SECRET, valid until the link expires.
 */

export const SELF_REPORT_COOKIE = "bbc-self-report";

/** next-auth's session cookies: a tablet handed to a patient has them removed. */
export const STAFF_SESSION_COOKIES = [
  "next-auth.session-token",
  "__Secure-next-auth.session-token",
] as const;

export interface SelfReportClaims {
  /** The self-report's id. */
  sid: string;
  /** The birth date was confirmed in this browser (or, on a tablet, staff handed it over). */
  verified: boolean;
}

function key(): Uint8Array {
  // A key of its own: a self-report cookie can never pass for a session token, nor the reverse.
  return createHash("sha256").update(`self-report-cookie:${authSecret()}`).digest();
}

export async function signSelfReportCookie(
  claims: SelfReportClaims,
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({ sid: claims.sid, verified: claims.verified })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
}

/** The claims of a cookie value, or null when absent, forged or expired. */
export async function readSelfReportCookie(
  value: string | undefined,
): Promise<(SelfReportClaims & { exp: number }) | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtVerify(value, key(), { algorithms: ["HS256"] });
    if (typeof payload.sid !== "string" || typeof payload.verified !== "boolean") return null;
    if (typeof payload.exp !== "number") return null;
    return { sid: payload.sid, verified: payload.verified, exp: payload.exp };
  } catch {
    return null;
  }
}

/** The Set-Cookie header value of the session cookie (HttpOnly, same-site lax, path /). */
export function selfReportCookieHeader(value: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SELF_REPORT_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** Set-Cookie values that remove the staff's session from this browser. */
export function clearStaffSessionHeaders(secure: boolean): string[] {
  return STAFF_SESSION_COOKIES.map(
    (name) =>
      `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${
        secure || name.startsWith("__Secure-") ? "; Secure" : ""
      }`,
  );
}

/**
 * The self-report session of a request to the patient's API: its claims, else 401 (the page
 * tells the patient to open their link again).
 */
export async function requireSelfReportSession(
  req: NextRequest,
): Promise<SelfReportClaims & { exp: number }> {
  const claims = await readSelfReportCookie(req.cookies.get(SELF_REPORT_COOKIE)?.value);
  if (!claims) {
    throw new AppError("unauthenticated", "Please open your questionnaire link again.");
  }
  return claims;
}

/** Where a patient's request came from, for the audit log and the throttle. */
export function linkRequestOf(req: NextRequest): { ip: string | null; userAgent: string | null } {
  return { ip: clientIp(req.headers), userAgent: userAgentOf(req.headers) };
}

/** The session, once the birth date was confirmed (or staff handed the tablet over); else 403. */
export function requireConfirmed<T extends SelfReportClaims>(session: T): T {
  if (!session.verified) {
    throw new AppError("forbidden", "Please confirm your date of birth first.");
  }
  return session;
}

/**
 * A route of the patient's API that takes a confirmed self-report only (no staff session): the
 * handler gets the self-report's id and where the request came from.
 */
export function withConfirmedSelfReport(
  handler: (
    req: NextRequest,
    selfReportId: string,
    from: ReturnType<typeof linkRequestOf>,
  ) => Promise<Response>,
): ReturnType<typeof withoutAuth> {
  return withoutAuth(async (req) => {
    const session = requireConfirmed(await requireSelfReportSession(req));
    return handler(req, session.sid, linkRequestOf(req));
  });
}
