/**
 * Who may sign in with a local password (LOCAL_SIGNIN). A hospital that signs its staff in through
 * its own identity provider wants passwords gone, so that leaving the hospital ends access in one
 * place; `breakglass` keeps one named administrator able to sign in when that provider is down.
 * Pure, so the policy is unit-tested apart from the database.
 */
export type LocalSignInMode = "on" | "breakglass" | "off";

export interface LocalSignInPolicy {
  mode: LocalSignInMode;
  /** Lower-case; required (validated in lib/env.ts) when mode is `breakglass`. */
  breakglassEmail?: string;
}

export const LOCAL_SIGNIN_ON: LocalSignInPolicy = { mode: "on" };

/** The policy the environment sets (LOCAL_SIGNIN, BREAKGLASS_EMAIL; validated in lib/env.ts). */
export function localSignInPolicy(env: {
  LOCAL_SIGNIN: LocalSignInMode;
  BREAKGLASS_EMAIL?: string;
}): LocalSignInPolicy {
  return { mode: env.LOCAL_SIGNIN, breakglassEmail: env.BREAKGLASS_EMAIL };
}

/**
 * How a session was opened: with a local password, through single sign-on, or by an EHR's SMART
 * launch (the EHR's authorization server signed the user in).
 */
export type SignInProvider = "local" | "oidc" | "smart";

export type LocalSignInRefusal = "local-signin-off" | "local-signin-breakglass-only";

/** Why a password sign-in of `email` (normalized) is refused before any check, or null. */
export function localSignInRefusal(
  policy: LocalSignInPolicy,
  email: string,
): LocalSignInRefusal | null {
  if (policy.mode === "on") return null;
  if (policy.mode === "off") return "local-signin-off";
  return policy.breakglassEmail !== undefined && email === policy.breakglassEmail
    ? null
    : "local-signin-breakglass-only";
}

/** The sentence a refused password sign-in shows (the same for any email: no account oracle). */
export function localSignInRefusalMessage(ssoName: string | undefined): string {
  const via = ssoName ? ` Use "${ssoName}".` : "";
  return `Password sign-in is switched off here.${via}`;
}
