import "server-only";
import type { NextAuthOptions } from "next-auth";
import { env } from "@/lib/env";

export interface CookieSpec {
  readonly name: string;
  readonly options: {
    httpOnly: true;
    sameSite: "lax" | "none";
    path: "/";
    secure: boolean;
    /**
     * Embedded only: partitioned by the EHR's site (CHIPS). Browsers that block third-party
     * cookies (Chromium's private windows, Safari, soon Chromium's default) still keep a
     * partitioned cookie for the frame that set it.
     */
    partitioned: boolean;
  };
}

/** As next-auth decides it: Secure cookies (and `__Secure-` names) when NEXTAUTH_URL is https. */
function publicIsHttps(): boolean {
  return (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
}

/**
 * The session cookie as next-auth writes it: its default name and options (Secure and the
 * `__Secure-` prefix when the app is served over https), except in embedded mode (SMART_EMBEDDED),
 * where the EHR's frame is another site and a SameSite=Lax cookie would never be sent: there it is
 * SameSite=None, Secure and Partitioned. A SMART launch mints the same cookie (lib/auth/smart.ts).
 */
export function sessionCookie(): CookieSpec {
  const embedded = env().SMART_EMBEDDED;
  const https = publicIsHttps();
  return {
    name: `${https ? "__Secure-" : ""}next-auth.session-token`,
    options: {
      httpOnly: true,
      sameSite: embedded ? "none" : "lax",
      path: "/",
      secure: embedded || https,
      partitioned: embedded,
    },
  };
}

/**
 * next-auth's cookies in embedded mode (undefined otherwise: its defaults stay). The CSRF and
 * callback cookies of the password sign-in change with the session cookie, so a sign-in inside the
 * frame works too.
 */
export function embeddedAuthCookies(): NextAuthOptions["cookies"] | undefined {
  if (!env().SMART_EMBEDDED) return undefined;
  const session = sessionCookie();
  const prefix = session.name.startsWith("__Secure-") ? "__Secure-" : "";
  const options = session.options;
  return {
    sessionToken: { name: session.name, options },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options },
    csrfToken: {
      name: `${prefix ? "__Host-" : ""}next-auth.csrf-token`,
      options,
    },
  };
}
