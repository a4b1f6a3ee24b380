import "server-only";
import { getServerSession } from "next-auth";
import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import { actorFor, type Actor } from "@/lib/server/context";
import { recordAudit } from "@/lib/server/audit";
import { endSessions, findSessionUser } from "@/lib/server/users";
import { env } from "@/lib/env";
import { clientIp, userAgentOf } from "./client-address";
import { localSignInPolicy, localSignInRefusal, type SignInProvider } from "./local-signin";
import { getAuthOptions } from "./options";
import { authSecret } from "./secret";

/**
 * The actor behind a session, re-checked against the database on every request: a disabled user,
 * or one whose role or sites changed, is refused or sees the change at once.
 */
async function actorForUserId(
  userId: string | undefined,
  sessionVersion: number | undefined,
  headers: Headers,
  provider: SignInProvider | undefined,
): Promise<Actor | null> {
  if (!userId) return null;
  const user = await findSessionUser(await getDb(), userId);
  if (!user || user.disabled) return null;
  // A session issued before the user was disabled or had the password reset is over.
  if (sessionVersion !== user.sessionVersion) return null;
  // A password session ends once passwords are switched off for its user (LOCAL_SIGNIN), as a
  // new password sign-in would be refused.
  // SSO and SMART sessions are not password sessions, whatever LOCAL_SIGNIN says.
  const byPassword = provider === undefined || provider === "local";
  if (byPassword && localSignInRefusal(localSignInPolicy(env()), user.email)) return null;
  return actorFor(user, { ip: clientIp(headers), userAgent: userAgentOf(headers) });
}

/** Leeway next-auth's decode gives `exp` and `nbf` (seconds). */
const CLOCK_TOLERANCE_S = 15;
const DECODED_MAX = 1000;
const decoded = new Map<string, { secret: JWTDecodeParams["secret"]; payload: JWT }>();

/**
 * next-auth's decode, remembered per token: a session cookie is sent unchanged with every request,
 * and decoding derives the key (HKDF) and decrypts each time. A remembered token is one that
 * decoded with the same secret, so only its time claims are checked again, as jose checks them
 * (the user behind it is still re-read from the database on every request).
 */
async function decodeRemembered(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret } = params;
  if (!token) return null;
  const hit = decoded.get(token);
  if (hit && hit.secret === secret) {
    const now = Math.floor(Date.now() / 1000);
    const { exp, nbf } = hit.payload as { exp?: number; nbf?: number };
    if (exp !== undefined && exp <= now - CLOCK_TOLERANCE_S) {
      decoded.delete(token);
      return null;
    }
    if (nbf === undefined || nbf <= now + CLOCK_TOLERANCE_S) return hit.payload;
  }
  const payload = await decode(params);
  if (payload) {
    if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
    decoded.set(token, { secret, payload: Object.freeze(payload) });
  }
  return payload;
}

/** The actor of an API request, or a 401 AppError. */
export async function actorFromRequest(req: NextRequest): Promise<Actor> {
  const secureCookie = req.nextUrl.protocol === "https:";
  const token = await getToken({
    req,
    secret: authSecret(),
    secureCookie,
    decode: decodeRemembered,
  });
  const actor = await actorForUserId(token?.sub, token?.sv, req.headers, token?.provider);
  if (!actor) {
    throw new AppError(
      "unauthenticated",
      token ? "Your session has ended. Sign in again." : "Sign in to use this API.",
    );
  }
  return actor;
}

/**
 * Sign-out on the server (POST /api/auth/signout, before next-auth clears the cookie): the
 * session's version moves on, so this cookie and any copy of it are refused from the next request
 * on, whatever the browser does with it. Like disabling, it ends every session the user had
 * under that version (their other browsers too). Audited; a cookie already over changes nothing.
 */
export async function endSession(req: NextRequest): Promise<void> {
  const token = await getToken({
    req,
    secret: authSecret(),
    secureCookie: req.nextUrl.protocol === "https:",
  });
  if (!token?.sub || typeof token.sv !== "number") return;
  const db = await getDb();
  if (!(await endSessions(db, token.sub, token.sv))) return;
  await recordAudit(
    db,
    {
      userId: token.sub,
      email: token.email ?? "",
      role: token.role,
      ip: clientIp(req.headers),
      userAgent: userAgentOf(req.headers),
    },
    { action: "auth.sign-out", entityType: "user", entityId: token.sub },
  );
}

/** The actor of a server component or server action, or null when signed out. */
export async function actorFromSession(headers: Headers): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  return actorForUserId(
    session?.user.id,
    session?.user.sessionVersion,
    headers,
    session?.user.provider,
  );
}
