import "server-only";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/server/context";
import { findUserById } from "@/lib/server/users";
import { clientIp, getAuthOptions, userAgentOf } from "./options";
import { authSecret } from "./secret";

/**
 * The actor behind a session, re-checked against the database on every request: a disabled user,
 * or one whose role or sites changed, is refused or sees the change at once.
 */
async function actorForUserId(
  userId: string | undefined,
  sessionVersion: number | undefined,
  headers: Headers,
): Promise<Actor | null> {
  if (!userId) return null;
  const user = await findUserById(await getDb(), userId);
  if (!user || user.disabledAt) return null;
  // A session issued before the user was disabled or had the password reset is over.
  if (sessionVersion !== user.sessionVersion) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: user.siteIds,
    ip: clientIp(headers),
    userAgent: userAgentOf(headers),
  };
}

/** The actor of an API request, or a 401 AppError. */
export async function actorFromRequest(req: NextRequest): Promise<Actor> {
  const secureCookie = req.nextUrl.protocol === "https:";
  const token = await getToken({ req, secret: authSecret(), secureCookie });
  const actor = await actorForUserId(token?.sub, token?.sv, req.headers);
  if (!actor) {
    throw new AppError(
      "unauthenticated",
      token ? "Your session has ended. Sign in again." : "Sign in to use this API.",
    );
  }
  return actor;
}

/** The actor of a server component or server action, or null when signed out. */
export async function actorFromSession(headers: Headers): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  return actorForUserId(session?.user.id, session?.user.sessionVersion, headers);
}
