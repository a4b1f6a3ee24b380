import { createRequire } from "node:module";
import { NextRequest } from "next/server";
import * as nextAuthRoute from "@/app/api/auth/[...nextauth]/route";

/*
 * Calls route handlers the way Next.js does, without a server: a NextRequest in, a Response out,
 * with a cookie jar across calls. next-auth's route handler reads the request through
 * `next/headers`, which only works inside Next's request scope; here its two functions answer from
 * the request being handled.
 */

let current: NextRequest | null = null;
const nextHeaders = createRequire(import.meta.url)("next/headers") as {
  headers: () => Promise<Headers>;
  cookies: () => Promise<{ getAll: () => { name: string; value: string }[] }>;
};
nextHeaders.headers = () => Promise.resolve(new Headers(current?.headers));
nextHeaders.cookies = () => Promise.resolve({ getAll: () => current?.cookies.getAll() ?? [] });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route declares its own params
type Handler = (req: NextRequest, route: { params: Promise<any> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string (sent as it is). */
  body?: unknown;
  params?: Record<string, string | string[]>;
}

/** A browser's cookie jar. */
export class Jar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a),
      );
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  value(suffix: string): string | undefined {
    return [...this.cookies].find(([name]) => name.endsWith(suffix))?.[1];
  }
}

/** Calls `handler` with a request to `url`, sending and keeping the jar's cookies. */
export async function callRoute(
  handler: Handler,
  url: string,
  options: CallOptions = {},
  jar?: Jar,
): Promise<Response> {
  const headers = new Headers(options.headers);
  if (jar && jar.cookies.size) headers.set("cookie", jar.header());
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new NextRequest(url, { method: options.method ?? "GET", headers, body });
  current = req;
  try {
    const response = await handler(req, { params: Promise.resolve(options.params ?? {}) });
    jar?.take(response);
    return response;
  } finally {
    current = null;
  }
}

/** A call to next-auth's route (`/api/auth/<path>`). */
export function authCall(
  base: string,
  path: string[],
  init: CallOptions = {},
  jar?: Jar,
): Promise<Response> {
  const handler = init.method === "POST" ? nextAuthRoute.POST : nextAuthRoute.GET;
  return callRoute(
    handler,
    `${base}/api/auth/${path.join("/")}`,
    { ...init, params: { nextauth: path } },
    jar,
  );
}

/** A form POST to next-auth with its CSRF token, as its browser client sends it. */
export async function authForm(
  base: string,
  path: string[],
  fields: Record<string, string>,
  jar: Jar,
): Promise<Response> {
  const csrf = await authCall(base, ["csrf"], {}, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return authCall(
    base,
    path,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true", ...fields }).toString(),
    },
    jar,
  );
}

/** next-auth's credentials sign-in; the answer's JSON `url` is where the browser would go. */
export function signIn(
  base: string,
  jar: Jar,
  email: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return authForm(base, ["callback", "credentials"], { email, password, ...extra }, jar);
}

/** A jar signed in as `email` (fails the test otherwise). */
export async function signedInJar(base: string, email: string, password: string): Promise<Jar> {
  const jar = new Jar();
  const res = await signIn(base, jar, email, password);
  if (res.status !== 200 || !jar.value("session-token"))
    throw new Error(`sign-in of ${email} failed (${res.status})`);
  return jar;
}
