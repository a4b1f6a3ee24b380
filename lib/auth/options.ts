import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import type { Role } from "@/db/schema";
import { clientIp, userAgentOf } from "./client-address";
import { authenticate } from "./credentials";
import { sameOriginPath } from "./redirect";
import { authSecret } from "./secret";
import { embeddedAuthCookies } from "./session-cookie";

/** Policy: a session lasts one clinic shift. */
export const SESSION_MAX_AGE_SECONDS = 10 * 60 * 60;

let cached: NextAuthOptions | undefined;

/** The next-auth configuration, built on first use (not at import: `next build` imports routes). */
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

function buildAuthOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
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
          );
          if (result.status === "ok") return result.user;
          // next-auth passes the message to the sign-in page as `error`.
          throw new Error(result.message);
        },
      }),
    ],
    callbacks: {
      // next-auth's default throws on a callbackUrl that is not a URL (a 500) and compares
      // origins as strings; this one resolves the target and keeps it only on our origin.
      redirect({ url, baseUrl }) {
        const path = sameOriginPath(url, baseUrl);
        return path === null ? baseUrl : `${new URL(baseUrl).origin}${path}`;
      },
      jwt({ token, user }) {
        if (user) {
          const u = user as unknown as {
            id: string;
            role: Role;
            siteIds: string[];
            name: string;
            sessionVersion: number;
          };
          token.sub = u.id;
          token.sv = u.sessionVersion;
          token.role = u.role;
          token.siteIds = u.siteIds;
          token.name = u.name;
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
        };
        return session;
      },
    },
  };
}
