import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Db } from "@/db/client";
import type { Env } from "@/lib/env";
import { recordAudit } from "@/lib/server/audit";
import { findUserByEmail, normalizeEmail } from "@/lib/server/users";
import { completeSignIn, type SessionUser } from "./credentials";

/*
 * Hospital single sign-on: one OpenID Connect provider (Keycloak, Entra ID, Okta …) configured by
 * OIDC_*. The provider proves who someone is; what they may do stays here: a signed-in identity
 * is matched to an existing local account by a verified email, never creates one, and brings
 * no role or site with it (an administrator grants those in the app).
 */

/** next-auth's provider id: the callback is `<PUBLIC_URL>/api/auth/callback/oidc`. */
export const SSO_PROVIDER_ID = "oidc";

export interface SsoConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

/** The single sign-on configuration, or null when OIDC_* are unset (lib/env.ts: all or none). */
export function ssoConfig(env: Env): SsoConfig | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET || !OIDC_NAME) return null;
  return {
    issuer: OIDC_ISSUER,
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: OIDC_NAME,
  };
}

type Claims = Record<string, unknown>;

/**
 * The claims of a sign-in: the id_token's (verified by openid-client: signature from the
 * issuer's JWKS, `iss`, `aud`, `exp`, `nonce`) completed by the userinfo endpoint, which many
 * providers use for `email` and `email_verified` (OpenID Connect puts scope claims there when an
 * access token is issued). Userinfo must be about the same subject; where both name an email and
 * they differ, only the id_token's verification status counts.
 */
async function signInClaims(
  tokens: { claims: () => Claims },
  client: { issuer: { metadata: Claims }; userinfo: (t: unknown) => Promise<Claims> },
): Promise<Claims> {
  const idClaims = tokens.claims();
  if (!client.issuer.metadata.userinfo_endpoint) return idClaims;
  const info = await client.userinfo(tokens);
  if (info.sub !== idClaims.sub) throw new Error("userinfo is about another subject");
  const merged: Claims = { ...info, ...idClaims };
  if (idClaims.email !== undefined && info.email !== idClaims.email) {
    merged.email_verified = idClaims.email_verified;
  }
  return merged;
}

/** The next-auth provider for `config`: authorization code with PKCE (S256), state and nonce. */
export function ssoProvider(config: SsoConfig): OAuthConfig<Claims> {
  return {
    id: SSO_PROVIDER_ID,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      request: ({ tokens, client }) =>
        signInClaims(
          tokens as unknown as { claims: () => Claims },
          client as unknown as Parameters<typeof signInClaims>[1],
        ),
    },
    profile(claims) {
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
      };
    },
  };
}

/**
 * Whether the provider vouches for the email. `email_verified` is the OpenID Connect claim;
 * Entra ID does not send it, and its optional claim `xms_edov` (the email's domain is verified
 * by the tenant) stands in for it.
 */
export function isVerifiedEmail(claims: Claims): boolean {
  return claims.email_verified === true || claims.xms_edov === true;
}

export type SsoRefusal =
  "issuer-mismatch" | "email-missing" | "email-unverified" | "no-account" | "disabled";

export type SsoResult =
  { status: "ok"; user: SessionUser } | { status: "refused"; reason: SsoRefusal };

/**
 * The local account of a verified sign-in, or why there is none. Audits the outcome with the
 * provider and issuer (and the subject, the provider's own id of the person).
 */
export async function signInWithSso(
  db: Db,
  claims: Claims,
  context: { issuer: string; ip: string | null; userAgent: string | null },
  now: Date,
): Promise<SsoResult> {
  const email =
    typeof claims.email === "string" ? normalizeEmail(claims.email).slice(0, 320) : null;
  const detail = {
    provider: SSO_PROVIDER_ID,
    issuer: context.issuer,
    subject: typeof claims.sub === "string" ? claims.sub.slice(0, 255) : null,
  };
  const refuse = async (reason: SsoRefusal): Promise<SsoResult> => {
    await recordAudit(db, null, {
      actorEmail: email,
      ip: context.ip,
      userAgent: context.userAgent,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { ...detail, reason },
    });
    return { status: "refused", reason };
  };
  // openid-client checked `iss` against the discovery document fetched from OIDC_ISSUER; this
  // ties it to the configured value itself, exactly.
  if (claims.iss !== context.issuer) return refuse("issuer-mismatch");
  if (!email) return refuse("email-missing");
  if (!isVerifiedEmail(claims)) return refuse("email-unverified");
  const user = await findUserByEmail(db, email);
  if (!user) return refuse("no-account");
  if (user.disabledAt) return refuse("disabled");
  // A success clears the password throttle's account lanes, as a password sign-in does.
  return { status: "ok", user: await completeSignIn(db, user, { ...context, email }, detail, now) };
}

/** The sign-in page's `error` code for each refusal (its words are in the sign-in form). */
export const SSO_ERROR_CODES: Record<SsoRefusal, string> = {
  "issuer-mismatch": "SsoIssuer",
  "email-missing": "SsoNoEmail",
  "email-unverified": "SsoUnverifiedEmail",
  "no-account": "SsoNoAccount",
  disabled: "SsoDisabled",
};

/** Audits a single sign-on that failed before an identity was known (state, token, IdP error). */
export async function auditSsoFailure(
  db: Db,
  context: { issuer: string; ip: string | null; userAgent: string | null },
  code: string,
): Promise<void> {
  await recordAudit(db, null, {
    ip: context.ip,
    userAgent: context.userAgent,
    action: "auth.sign-in",
    outcome: "failure",
    detail: { provider: SSO_PROVIDER_ID, issuer: context.issuer, reason: code.slice(0, 64) },
  });
}

const FAILURE_CATEGORIES: [RegExp, string][] = [
  [/\baud\b|audience/i, "audience"],
  [/\biss\b|issuer/i, "issuer"],
  [/expired|\bexp\b|\biat\b|\bnbf\b/i, "token-time"],
  [/\bstate\b/i, "state"],
  [/nonce/i, "nonce"],
  [/code_verifier|pkce/i, "pkce"],
  [/signature|\bkid\b|jwks/i, "signature"],
  [/invalid_grant/i, "invalid-grant"],
  [/invalid_client|unauthorized_client/i, "client-credentials"],
  [/access_denied/i, "access-denied"],
  [/fetch failed|ECONNREFUSED|ENOTFOUND|timed? ?out/i, "unreachable"],
];

/**
 * Why a single sign-on failed, as a word for the log line (which never carries the message:
 * openid-client's errors quote the id_token's claims).
 */
export function ssoFailureCategory(error: unknown): string | null {
  const e = error as { message?: unknown; error?: unknown } | null | undefined;
  const text = [e?.message, (e?.error as { message?: unknown } | undefined)?.message, e?.error]
    .filter((part): part is string => typeof part === "string")
    .join(" ");
  return FAILURE_CATEGORIES.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
