import "server-only";
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";
import { env } from "@/lib/env";
import { authSecret } from "./secret";

/**
 * The launch's state between /smart/launch and /smart/callback, kept in the browser as an
 * encrypted, authenticated cookie (JWE, A256GCM, key derived from AUTH_SECRET): any app instance
 * can read it, nobody else can read or change it, and it ends after ten minutes. One cookie per
 * launch (named by its state), so two launches in two tabs do not overwrite each other.
 */

export const LAUNCH_TTL_SECONDS = 600;
const COOKIE_PREFIX = "bbc-smart-";
export const CALLBACK_PATH = "/smart/callback";

export const launchStateSchema = z.strictObject({
  state: z.string().min(16).max(200),
  verifier: z.string().min(43).max(128),
  nonce: z.string().min(16).max(200),
  iss: z.string().url(),
  /** EHR launch (a `launch` was sent) or standalone. */
  mode: z.enum(["ehr", "standalone"]),
  /** The authorization server's endpoints, as discovered at launch. */
  server: z.strictObject({
    issuer: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    jwks_uri: z.string().url(),
  }),
});
export type LaunchState = z.infer<typeof launchStateSchema>;

function key(): Uint8Array {
  return new Uint8Array(
    hkdfSync("sha256", authSecret(), "", "Bone-Brain Care SMART launch state", 32),
  );
}

/** The cookie's name for a state (its first characters: states are random). */
export function launchCookieName(state: string): string {
  return `${COOKIE_PREFIX}${state.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16)}`;
}

/** Set-Cookie attributes: SameSite=None; Secure in embedded mode (the launch runs in a frame). */
export function launchCookieAttributes(maxAge: number): string {
  const embedded = env().SMART_EMBEDDED;
  return [
    `Path=${CALLBACK_PATH}`,
    "HttpOnly",
    `Max-Age=${maxAge}`,
    // In a frame the launch is third-party: partitioned by the EHR's site (see session-cookie.ts).
    ...(embedded ? ["SameSite=None", "Partitioned"] : ["SameSite=Lax"]),
    ...(embedded || (env().PUBLIC_URL ?? "").startsWith("https://") ? ["Secure"] : []),
  ].join("; ");
}

export async function sealLaunchState(state: LaunchState, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ ...state })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + LAUNCH_TTL_SECONDS)
    .encrypt(key());
}

/** The launch state in the cookie, or null when it is missing, forged, altered or expired. */
export async function openLaunchState(
  sealed: string | undefined,
  now: Date,
): Promise<(LaunchState & { exp: number }) | null> {
  if (!sealed) return null;
  try {
    const { payload } = await jwtDecrypt(sealed, key(), { currentDate: now });
    const { iat: _iat, exp, ...rest } = payload;
    const parsed = launchStateSchema.safeParse(rest);
    return parsed.success && typeof exp === "number" ? { ...parsed.data, exp } : null;
  } catch {
    return null;
  }
}
