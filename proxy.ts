import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal, isBearerPath, isCrossSiteWrite } from "@/lib/auth/same-origin";
import { env } from "@/lib/env";
import { contentSecurityPolicy, hstsHeader, staticSecurityHeaders } from "@/lib/security-headers";
import { frameAncestorOrigins, parseSmartClients } from "@/lib/smart-clients";

/**
 * Runs before every page and API request: a fresh CSP nonce (Next.js puts it on its own scripts,
 * so no inline script runs without it) and the security headers. Authentication is not done
 * here: every page and route checks the session itself (withAuth / requirePage).
 */
export function proxy(request: NextRequest): NextResponse | Response {
  const nonce = btoa(crypto.randomUUID());
  const e = env();
  const smart = e.SMART_EMBEDDED ? parseSmartClients(e.SMART_CLIENTS) : null;
  const csp = contentSecurityPolicy(nonce, {
    development: e.NODE_ENV === "development",
    frameAncestors: smart?.ok ? frameAncestorOrigins(smart.clients) : undefined,
  });
  let response: NextResponse | Response;
  const pathname = request.nextUrl.pathname;
  if (!isBearerPath(pathname) && isCrossSiteWrite(request)) {
    // Before any route runs (next-auth's and server actions included): see lib/auth/same-origin.ts.
    response = crossSiteRefusal();
  } else if (pathname.startsWith("/api/")) {
    // Route handlers render no scripts, so they need no nonce on the request: passing request
    // headers on makes Next.js copy and re-apply every header (measurable on the visit write).
    // (An unknown /api path is answered by app/api/[...path], as problem+json, not by a page.)
    response = NextResponse.next();
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
    // The page asked for, so a refusal can say which page it was (never trusted from the client).
    requestHeaders.set("x-page-path", pagePath(request.nextUrl));
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(staticSecurityHeaders(e.SMART_EMBEDDED)))
    response.headers.set(name, value);
  const hsts = hstsHeader(e.PUBLIC_URL ?? e.NEXTAUTH_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

/** The path and query of a page request, without the RSC cache-busting parameter. */
function pagePath(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}

export const config = {
  matcher: [
    // Everything but built assets (which carry their own caching headers).
    { source: "/((?!_next/static|_next/image|favicon.ico).*)" },
  ],
};
