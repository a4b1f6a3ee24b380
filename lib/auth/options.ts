import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { logFailure } from "@/lib/api/failure-log";
import { env } from "@/lib/env";
import { clientIp, userAgentOf } from "./client-address";
import { authenticate, type SessionUser } from "./credentials";
import { localSignInPolicy } from "./local-signin";
import { sameOriginPath } from "./redirect";
import { sessionClaims } from "./session-claims";
import { authSecret } from "./secret";
import { embeddedAuthCookies } from "./session-cookie";
import {
  SSO_ERROR_CODES,
  SSO_PROVIDER_ID,
  signInWithSso,
  ssoConfig,
  ssoFailureCategory,
  ssoProvider,
} from "./sso";

/** Policy: a session lasts one clinic shift. */
export const SESSION_MAX_AGE_SECONDS = 10 * 60 * 60;

let cached: NextAuthOptions | undefined;

/** The next-auth configuration, built on first use (not at import: `next build` imports routes). */
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

/**
 * The options for one request to /api/auth: the same configuration, with a sign-in callback that
 * knows the caller's address and browser for the audit event of a single sign-on.
 */
export function authOptionsForRequest(headers: Headers): NextAuthOptions {
  const base = getAuthOptions();
  const ip = clientIp(headers);
  const userAgent = userAgentOf(headers);
  return {
    ...base,
    callbacks: {
      ...base.callbacks,
      async signIn({ user, account, profile }) {
        // Password sign-ins were decided (and audited) in authorize().
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        const config = ssoConfig(env());
        if (!config) return false;
        const result = await signInWithSso(
          await getDb(),
          (profile ?? {}) as Record<string, unknown>,
          { issuer: config.issuer, ip, userAgent },
          new Date(),
        );
        if (result.status === "refused") {
          return `/signin?error=${SSO_ERROR_CODES[result.reason]}`;
        }
        // next-auth hands this same object to the jwt callback: from here on it is the local
        // account (id, role, sites, session version), not the provider's profile.
        Object.assign(user, result.user);
        return true;
      },
    },
  };
}

function buildAuthOptions(): NextAuthOptions {
  const settings = env();
  const sso = ssoConfig(settings);
  const policy = localSignInPolicy(settings);
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    // next-auth's own logger prints whole errors, and openid-client's quote the id_token (names,
    // emails): the log gets the code, the error's class and a category of the cause only.
    logger: {
      error(code, metadata) {
        const cause = (metadata as { error?: unknown } | undefined)?.error ?? metadata;
        const category = ssoFailureCategory(metadata);
        logFailure(`next-auth ${code}${category ? ` (${category})` : ""}`, cause);
      },
      warn: (code) => console.warn(`[next-auth][warn][${code}]`),
      debug: () => undefined,
    },
    // Only in embedded mode (SMART_EMBEDDED): SameSite=None cookies; next-auth's defaults otherwise.
    ...(embeddedAuthCookies() ? { cookies: embeddedAuthCookies() } : {}),
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const headers = req?.headers as Record<string, string | undefined> | undefined;
          const result = await authenticate(
            await getDb(),
            {
              email: String(credentials?.email ?? ""),
              password: String(credentials?.password ?? ""),
              ip: clientIp(headers),
              userAgent: userAgentOf(headers),
            },
            new Date(),
            policy,
            sso?.name,
          );
          if (result.status === "ok") return result.user;
          // next-auth passes the message to the sign-in page as `error`.
          throw new Error(result.message);
        },
      }),
      ...(sso ? [ssoProvider(sso)] : []),
    ],
    callbacks: {
      // next-auth's default throws on a callbackUrl that is not a URL (a 500) and compares
      // origins as strings; this one resolves the target and keeps it only on our origin.
      redirect({ url, baseUrl }) {
        const path = sameOriginPath(url, baseUrl);
        return path === null ? baseUrl : `${new URL(baseUrl).origin}${path}`;
      },
      jwt({ token, user, account }) {
        if (user) {
          const provider = account?.provider === SSO_PROVIDER_ID ? "oidc" : "local";
          return { ...token, ...sessionClaims(user as unknown as SessionUser, provider) };
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? "",
          role: token.role,
          siteIds: token.siteIds ?? [],
          sessionVersion: token.sv ?? 0,
          provider: token.provider ?? "local",
        };
        return session;
      },
    },
  };
}
