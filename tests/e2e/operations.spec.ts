import { execSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";
import { startServer, stopServer, type ServerProcess } from "./support/server-process";

/**
 * Operations: request ids, JSON access lines without patient identifiers, metrics and the
 * OpenAPI document, on a server of its own (its output is read here). With E2E_REPLICA_URL (CI:
 * PostgreSQL behind PgBouncer and a streaming replica, .ci/run), quality reads go to the
 * replica; the test stops the replica (E2E_REPLICA_STOP) and sees the reads fall back. The server
 * exports its traces to a small OTLP/HTTP (JSON) receiver in this file; on PostgreSQL
 * (E2E_DATABASE_URL) they include node-postgres query spans.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 60;
const METRICS_TOKEN = "e2e-metrics-token-0123456789";
const replicaUrl = process.env.E2E_REPLICA_URL;

interface Patient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

test.describe.configure({ mode: "serial" });

let server: ServerProcess;

/** What the OTLP receiver was sent: each request body of POST /v1/traces, as text. */
const traceBodies: string[] = [];
const collector = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    if (req.method === "POST" && req.url === "/v1/traces") traceBodies.push(body);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

interface OtlpSpan {
  traceId: string;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
}

/** The spans received so far, attributes as plain values. */
function receivedSpans(): OtlpSpan[] {
  type Attr = { key: string; value: Record<string, unknown> };
  type Body = {
    resourceSpans?: {
      scopeSpans?: {
        scope?: { name?: string };
        spans?: { traceId: string; name: string; kind: number; attributes?: Attr[] }[];
      }[];
    }[];
  };
  return traceBodies.flatMap((text) =>
    ((JSON.parse(text) as Body).resourceSpans ?? []).flatMap((r) =>
      (r.scopeSpans ?? []).flatMap((s) =>
        (s.spans ?? []).map((span) => ({
          traceId: span.traceId,
          name: span.name,
          kind: span.kind,
          scope: s.scope?.name ?? "",
          attributes: Object.fromEntries(
            (span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
          ),
        })),
      ),
    ),
  );
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const collectorPort = (collector.address() as AddressInfo).port;
  server = await startServer(PORT, {
    METRICS_TOKEN,
    LOG_LEVEL: "info",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "200",
    ...(replicaUrl
      ? {
          E2E_DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
          DATABASE_REPLICA_URL: replicaUrl,
          REPLICA_MAX_LAG_SECONDS: "30",
          QUALITY_WARM_SECONDS: "0",
        }
      : { E2E_DATA_DIR: `.data/e2e-operations-${PORT}` }),
  });
});

test.afterAll(async () => {
  if (replicaUrl && process.env.E2E_REPLICA_START) execSync(process.env.E2E_REPLICA_START);
  if (server) await stopServer(server);
  collector.close();
});

async function signedIn(email: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: server.url });
  await credentialsSignIn(api, email);
  return api;
}

/** The server's output lines that are JSON log records. */
function logRecords(): Record<string, unknown>[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("request ids, problem+json, metrics, OpenAPI, and logs without patient identifiers", async () => {
  const clinician = await signedIn("clinician@example.org");
  const list = await clinician.get("/api/v1/patients?limit=100");
  expect(list.status()).toBe(200);
  const patients = ((await list.json()) as { items: Patient[] }).items;
  expect(patients.length).toBeGreaterThan(10);
  const someone = patients[0]!;

  // Requests that carry identifiers in the path and the query.
  await clinician.get(`/api/v1/patients/${someone.id}`);
  await clinician.get(`/api/v1/patients?q=${encodeURIComponent(someone.familyName)}`);
  await clinician.get(`/fhir/r4/Patient?identifier=${encodeURIComponent(someone.mrn)}`);
  await clinician.get(`/patients/${someone.id}`);

  // A valid incoming request id is kept, on the response and in the problem body.
  const missing = await clinician.get("/api/v1/flags/00000000-0000-4000-8000-000000000000", {
    headers: { "x-request-id": "e2e-operations-0001" },
  });
  expect(missing.status()).toBe(404);
  expect(missing.headers()["x-request-id"]).toBe("e2e-operations-0001");
  expect(((await missing.json()) as { requestId?: string }).requestId).toBe("e2e-operations-0001");
  // An unusable one is replaced.
  const replaced = await clinician.get("/api/health", { headers: { "x-request-id": "a b" } });
  expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  const openapi = await clinician.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(((await openapi.json()) as { openapi: string }).openapi).toBe("3.1.0");

  expect((await clinician.get("/api/metrics")).status()).toBe(403);
  const anonymous = await playwrightRequest.newContext({ baseURL: server.url });
  expect((await anonymous.get("/api/metrics")).status()).toBe(401);
  const scraped = await anonymous.get("/api/metrics", {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(scraped.status()).toBe(200);
  expect(await scraped.text()).toContain(
    'http_requests_total{method="GET",route="/api/v1/patients"',
  );
  const admin = await signedIn("admin@example.org");
  expect((await admin.get("/api/metrics")).status()).toBe(200);

  await expect.poll(() => logRecords().some((r) => r.reqId === "e2e-operations-0001")).toBe(true);
  const access = logRecords().filter((r) => r.msg === "request");
  expect(access.length).toBeGreaterThan(10);
  for (const line of access) {
    expect(Object.keys(line)).toEqual(
      expect.arrayContaining(["reqId", "method", "route", "status", "ms"]),
    );
  }
  expect(access.find((r) => r.reqId === "e2e-operations-0001")).toMatchObject({
    route: "/api/v1/flags/[flagId]",
    status: 404,
  });
  expect(access.some((r) => r.route === "/patients/[patientId]" && r.userId)).toBe(true);

  // No seeded patient's MRN, name or birth date anywhere in the output.
  const output = server.output();
  for (const p of patients) {
    for (const value of [p.mrn, p.givenName, p.familyName, p.birthDate])
      expect(output, `${value} in the server output`).not.toContain(value);
  }
  await Promise.all([clinician.dispose(), anonymous.dispose(), admin.dispose()]);
});

test("every kind of response names its request, every error body too, and each has an access line", async () => {
  const clinician = await signedIn("clinician@example.org");
  const anonymous = await playwrightRequest.newContext({ baseURL: server.url, maxRedirects: 0 });
  const signin = await anonymous.get("/signin");
  const asset = /\/_next\/static\/[^"]+\.js/.exec(await signin.text())![0];
  const json = { "content-type": "application/json" };
  // Each request sends its own plain id (short ones too); every response must give it back.
  const cases: [string, APIRequestContext, string, Parameters<APIRequestContext["fetch"]>[1]][] = [
    ["page", clinician, "/patients", {}],
    ["redirect", anonymous, "/patients", {}],
    ["asset", anonymous, asset, {}],
    ["not-found page", anonymous, "/no-such-page", {}],
    ["unknown api", clinician, "/api/v1/no-such-thing", {}],
    ["wrong method", clinician, "/api/v1/patients", { method: "DELETE" }],
    ["session", anonymous, "/api/auth/session", {}],
    ["csrf", anonymous, "/api/auth/csrf", {}],
    ["fhir", anonymous, "/fhir/r4/metadata", {}],
    ["fhir refused", anonymous, "/fhir/r4/Patient", {}],
    ["cds", anonymous, "/cds-services", {}],
    ["cds refused", anonymous, "/cds-services/bone-brain-axis", { method: "POST", data: {} }],
    ["bad json", clinician, "/api/v1/patients", { method: "POST", headers: json, data: "{bad" }],
    [
      "too large",
      clinician,
      "/api/v1/patients",
      { method: "POST", headers: json, data: `"${"a".repeat(1024 * 1024 + 10)}"` },
    ],
  ];
  const ids = new Map<string, number>();
  for (const [i, [name, api, url, options]] of cases.entries()) {
    const id = `ops-${i}`;
    const res = await api.fetch(url, {
      ...options,
      maxRedirects: 0,
      headers: { ...options?.headers, "x-request-id": id },
    });
    expect(res.headers()["x-request-id"], name).toBe(id);
    ids.set(id, res.status());
    if (res.status() >= 400 && url.startsWith("/api/v1")) {
      expect(res.headers()["content-type"], name).toBe("application/problem+json");
      expect(((await res.json()) as { requestId?: string }).requestId, name).toBe(id);
    }
    if (name === "wrong method") {
      expect(res.status()).toBe(405);
      expect(res.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
    }
    if (name === "unknown api") expect(res.status()).toBe(404);
  }
  expect(ids.get("ops-1")).toBe(307);

  // An id that is too long, or that holds spaces or non-ASCII letters, is replaced (it would
  // otherwise reach the log as written), on the response and in the access line.
  for (const hostile of ["x".repeat(200), "has spaces 123", "caf\u00e9-1234"]) {
    const status = await new Promise<string | undefined>((resolve, reject) =>
      http
        .get(`${server.url}/api/health`, { headers: { "x-request-id": hostile } }, (res) => {
          res.resume();
          resolve(res.headers["x-request-id"] as string | undefined);
        })
        .on("error", reject),
    );
    expect(status).toMatch(/^[0-9a-f-]{36}$/);
  }

  // A line break inside a header: Node's parser refuses the request before any handler runs.
  const unparsed = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(PORT, "127.0.0.1");
    let text = "";
    socket.on("connect", () =>
      socket.write("GET /api/health HTTP/1.1\r\nHost: x\r\nx-request-id: a\nInjected: 1\r\n\r\n"),
    );
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
  expect(unparsed).toMatch(/^HTTP\/1\.1 400 /);
  const unparsedId = /x-request-id: ([0-9a-f-]{36})\r\n/.exec(unparsed)?.[1];
  expect(unparsedId).toBeDefined();
  expect(JSON.parse(unparsed.split("\r\n\r\n")[1]!)).toMatchObject({ requestId: unparsedId });
  ids.set(unparsedId!, 400);

  await expect
    .poll(() => {
      const seen = new Set(logRecords().map((r) => r.reqId));
      return [...ids.keys()].filter((id) => !seen.has(id));
    })
    .toEqual([]);
  for (const line of logRecords().filter((r) => ids.has(String(r.reqId))))
    expect(line, String(line.reqId)).toMatchObject({
      msg: "request",
      status: ids.get(String(line.reqId)),
      method: expect.any(String),
      route: expect.any(String),
      ms: expect.any(Number),
    });
  expect(server.output()).not.toContain("caf\u00e9");
  await Promise.all([clinician.dispose(), anonymous.dispose()]);
});

test("traces: request spans without query strings, and query spans without values on PostgreSQL", async () => {
  const clinician = await signedIn("clinician@example.org");
  const patients = (
    (await (await clinician.get("/api/v1/patients?limit=100")).json()) as { items: Patient[] }
  ).items;
  const someone = patients[1]!;
  expect((await clinician.get(`/api/v1/patients/${someone.id}`)).status()).toBe(200);
  await clinician.get(`/api/v1/patients?q=${encodeURIComponent(someone.familyName)}`);
  await clinician.get(`/fhir/r4/Patient?identifier=${encodeURIComponent(someone.mrn)}`);

  const isRequest = (s: OtlpSpan) => s.kind === 2 && String(s.name).startsWith("GET ");
  await expect
    .poll(() => receivedSpans().some((s) => isRequest(s) && s.name.includes("/api/v1/patients")))
    .toBe(true);
  if (process.env.E2E_DATABASE_URL) {
    // A query span in the trace of a request: the statement's text, never its parameters.
    const isQuery = (s: OtlpSpan) =>
      s.scope === "@opentelemetry/instrumentation-pg" && s.name.startsWith("pg.query");
    await expect
      .poll(() => {
        const spans = receivedSpans();
        const requests = new Set(spans.filter(isRequest).map((s) => s.traceId));
        return spans.some((s) => isQuery(s) && requests.has(s.traceId));
      })
      .toBe(true);
    const queries = receivedSpans().filter(isQuery);
    expect(queries.some((s) => typeof s.attributes["db.query.text"] === "string")).toBe(true);
    for (const s of queries)
      expect(Object.keys(s.attributes).filter((k) => /values|parameter/.test(k))).toEqual([]);
  }
  // Nothing sent to the collector names a patient: no query strings, no parameter values.
  const sent = traceBodies.join("\n");
  for (const p of patients)
    for (const value of [p.mrn, p.givenName, p.familyName, p.birthDate])
      expect(sent, `${value} in the exported traces`).not.toContain(value);
  await clinician.dispose();
});

test("quality reads use the replica, and fall back to the primary when it stops", async ({
  browser,
}) => {
  test.skip(!replicaUrl || !process.env.E2E_REPLICA_STOP, "needs E2E_REPLICA_URL (.ci/run)");
  test.setTimeout(120_000);
  const quality = await signedIn("quality@example.org");
  const health = async () =>
    ((await (await quality.get("/api/health")).json()) as { replica: string }).replica;
  // A period nobody asked for yet: computed now, not served from the cache.
  const read = async (from: string) => {
    const res = await quality.get(`/api/v1/quality/metrics?from=${from}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { readFrom: { source: string; replica: string } }).readFrom;
  };
  await expect.poll(health, { timeout: 30_000 }).toBe("ok");
  expect(await read("2024-01-02")).toEqual(
    expect.objectContaining({ source: "replica", replica: "ok" }),
  );
  // The page says where its figures were read and how far behind the replica was.
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signInAs(page, "quality@example.org", /\/quality/);
  await page.goto("/quality?from=2024-01-04");
  await expect(
    page.getByText(/Read from the read replica, \d+ s behind the primary\./),
  ).toBeVisible();

  execSync(process.env.E2E_REPLICA_STOP!);
  await expect.poll(health, { timeout: 30_000 }).toBe("down");
  expect(await read("2024-01-03")).toEqual(
    expect.objectContaining({ source: "primary", replica: "down" }),
  );
  await page.goto("/quality?from=2024-01-05");
  await expect(
    page.getByText("The read replica was unavailable: read from the primary."),
  ).toBeVisible();
  await context.close();
  await expect
    .poll(() => logRecords().some((r) => r.level === "warn" && r.replica === "down"))
    .toBe(true);
  const metrics = await (
    await quality.get("/api/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  expect(metrics).toMatch(/replica_reads_total\{target="primary",reason="down"\} [1-9]/);
  await quality.dispose();
});
