import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import type { Role } from "@/db/schema";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/server/audit";
import { authenticate } from "./credentials";
import { authSecret } from "./secret";

/** Policy (issue #2): a session lasts one clinic shift. */
export const SESSION_MAX_AGE_SECONDS = 10 * 60 * 60;

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The client address for audit events; X-Forwarded-For only when TRUST_PROXY is set. */
export function clientIp(headers: HeaderBag): string | null {
  if (env().TRUST_PROXY) {
    const forwarded = header(headers, "x-forwarded-for");
    if (forwarded) return forwarded.split(",")[0]?.trim().slice(0, 64) ?? null;
  }
  return header(headers, "x-real-ip")?.slice(0, 64) ?? null;
}

export function userAgentOf(headers: HeaderBag): string | null {
  return header(headers, "user-agent")?.slice(0, 300) ?? null;
}

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
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const headers = req?.headers as HeaderBag;
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
    events: {
      async signOut({ token }) {
        if (!token?.sub) return;
        await recordAudit(
          await getDb(),
          {
            userId: token.sub,
            email: token.email ?? "",
            role: token.role,
            ip: null,
            userAgent: null,
          },
          { action: "auth.sign-out", entityType: "user", entityId: token.sub },
        );
      },
    },
  };
}
