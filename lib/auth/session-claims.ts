import type { JWT } from "next-auth/jwt";
import type { SessionUser } from "./credentials";
import type { SignInProvider } from "./local-signin";

type Claims = Pick<JWT, "sub" | "email" | "name" | "role" | "siteIds" | "sv" | "provider">;

/**
 * The claims a session token carries, whichever way it was opened (a password, hospital single
 * sign-on, an EHR launch). One builder, so that the ways cannot drift apart: the session check
 * (lib/auth/session.ts) reads exactly these, and a missing `provider` reads as a local password.
 */
export function sessionClaims(
  user: Omit<SessionUser, "provider">,
  provider: SignInProvider,
): Claims {
  return {
    sub: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: user.siteIds,
    sv: user.sessionVersion,
    provider,
  };
}
