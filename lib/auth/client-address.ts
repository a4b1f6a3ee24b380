import type { IncomingHttpHeaders } from "node:http";

/*
 * The client address written into audit events and used for sign-in throttling. Route handlers
 * never see the socket, so the app's own HTTP server (scripts/lib/server.ts) resolves the address
 * and passes it in CLIENT_ADDRESS_HEADER, after removing any copy the client sent. Headers a client
 * can write (X-Real-IP, X-Forwarded-For) are never read here. Served any other way (`next dev`),
 * nothing vouches for the header, and the address is unknown (null).
 */

export const CLIENT_ADDRESS_HEADER = "x-bbc-client-address";

const VOUCHED = Symbol.for("bone-brain-care.client-address-vouched");
type Vouching = { [VOUCHED]?: boolean };

/** Called once by the app's own server: from then on CLIENT_ADDRESS_HEADER is its word. */
export function vouchForClientAddressHeader(): void {
  (globalThis as Vouching)[VOUCHED] = true;
}

function normalize(address: string | undefined): string | null {
  const value = address?.trim();
  if (!value) return null;
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
  return (value.startsWith("::ffff:") && value.includes(".") ? value.slice(7) : value).slice(0, 64);
}

/**
 * The address of the party that sent the request: the socket's peer; with `trustProxy` (the app
 * sits behind exactly one reverse proxy that appends the address it saw to X-Forwarded-For), the
 * right-most X-Forwarded-For entry, which the client cannot choose.
 */
export function resolveClientAddress(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string | null {
  if (trustProxy) {
    const raw = headers["x-forwarded-for"];
    const forwarded = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",");
    const last = normalize(forwarded.at(-1));
    if (last) return last;
  }
  return normalize(socketAddress);
}

/** For the app's own server: replaces whatever the client sent with the resolved address. */
export function stampClientAddress(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trustProxy: boolean,
): void {
  const address = resolveClientAddress(headers, socketAddress, trustProxy);
  delete headers[CLIENT_ADDRESS_HEADER];
  if (address) headers[CLIENT_ADDRESS_HEADER] = address;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The client address of a request, as the app's own server resolved it; null when unknown. */
export function clientIp(headers: HeaderBag): string | null {
  if ((globalThis as Vouching)[VOUCHED] !== true) return null;
  return normalize(header(headers, CLIENT_ADDRESS_HEADER) ?? undefined);
}

export function userAgentOf(headers: HeaderBag): string | null {
  return header(headers, "user-agent")?.slice(0, 300) ?? null;
}
