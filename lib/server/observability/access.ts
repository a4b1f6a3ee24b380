import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { problemDocument } from "@/lib/api/problem";
import { REQUEST_ID_HEADER, requestIdFrom, runInRequest, type RequestContext } from "./context";
import { installFailureSink, logger } from "./log";
import { metrics } from "./metrics";

/*
 * One access line per request, written when the response is finished: method, route template
 * (never the path itself, whose segments can be record ids), status, milliseconds, request id and
 * user id. Query strings are never read.
 */

interface ManifestRoute {
  page: string;
  regex: string;
}

/** Maps a path to the template of the page or route that serves it, from the build's manifest. */
export function routeTemplates(distDir: string): (pathname: string) => string {
  let statics = new Set<string>();
  let dynamics: { page: string; regex: RegExp }[] = [];
  try {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(distDir, "routes-manifest.json"), "utf8"),
    ) as { staticRoutes?: ManifestRoute[]; dynamicRoutes?: ManifestRoute[] };
    statics = new Set((manifest.staticRoutes ?? []).map((r) => r.page));
    dynamics = (manifest.dynamicRoutes ?? []).map((r) => ({
      page: r.page,
      regex: new RegExp(r.regex),
    }));
  } catch {
    // No build manifest (tests): every path is reported as unmatched.
  }
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next/*";
    const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
    if (statics.has(trimmed)) return trimmed;
    return dynamics.find((r) => r.regex.test(trimmed))?.page ?? "(unmatched)";
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps the server's request handler: keeps a valid incoming x-request-id or makes one, returns
 * it on the response, runs the handler inside the request context, and logs and counts the
 * request when it is answered.
 */
export function withAccessLog(handle: Handler, distDir: string): Handler {
  const templateOf = routeTemplates(distDir);
  const log = logger();
  const m = metrics();
  installFailureSink();
  return (req, res) => {
    const started = process.hrtime.bigint();
    const context: RequestContext = { reqId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
    res.setHeader(REQUEST_ID_HEADER, context.reqId);
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = req.method ?? "GET";
      const route = templateOf(new URL(req.url ?? "/", "http://x").pathname);
      const status = res.statusCode;
      m.requests.inc({ method, route, status: String(status) });
      m.duration.observe({ method, route }, seconds);
      log.info(
        {
          reqId: context.reqId,
          method,
          route,
          status,
          ms: Math.round(seconds * 10_000) / 10,
          ...(context.userId ? { userId: context.userId } : {}),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        "request",
      );
    });
    return runInRequest(context, () => handle(req, res));
  };
}

/** Node's status for a request its parser refused, as its own default handler would answer. */
function clientErrorStatus(code: string | undefined): { status: number; title: string } {
  if (code === "HPE_HEADER_OVERFLOW")
    return { status: 431, title: "Request header fields too large" };
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return { status: 408, title: "Request timeout" };
  return { status: 400, title: "Bad request" };
}

/**
 * The server's `clientError` handler: a request that Node's parser refuses (a line break or NUL
 * inside a header, an obsolete folded header, headers too large) never reaches the handler
 * wrapped above, and Node would answer a bare 400 with no request id and no access line. This
 * answers it as problem+json with a fresh id, and logs and counts it (method and route unknown:
 * the request was not read).
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A client that went away, or a socket something already wrote to, gets nothing more.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const reqId = randomUUID();
  const { status, title } = clientErrorStatus(error.code);
  const body = JSON.stringify(
    problemDocument(status, title, "The request could not be parsed as HTTP.", {}, reqId),
  );
  socket.end(
    [
      `HTTP/1.1 ${status} ${title}`,
      `${REQUEST_ID_HEADER}: ${reqId}`,
      "content-type: application/problem+json",
      "cache-control: no-store",
      `content-length: ${Buffer.byteLength(body)}`,
      "connection: close",
      "",
      body,
    ].join("\r\n"),
  );
  const labels = { method: "(unparsed)", route: "(unparsed)" };
  metrics().requests.inc({ ...labels, status: String(status) });
  logger().info({ reqId, ...labels, status, ms: 0, cause: error.code ?? error.name }, "request");
}
