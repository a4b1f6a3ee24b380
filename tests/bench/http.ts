import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { childPids, waitForHealth } from "../support/proc";
import path from "node:path";
import zlib from "node:zlib";
import autocannon, { type Result } from "autocannon";
import { quantile } from "./stats";

export interface BenchServer {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts tests/bench/server.ts with `env` and waits (at most 3 minutes) for /api/health. */
export async function startBenchServer(
  port: number,
  env: Record<string, string | undefined>,
): Promise<BenchServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/server.ts"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = `http://127.0.0.1:${port}`;
  const output = await waitForHealth(child, url, 180_000, "bench server", "in 3 minutes");
  return { url, child, output };
}

/** SIGTERM, then SIGKILL after 20 s; resolves when the process is gone. */
export async function stopBenchServer(server: BenchServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Resident memory (VmRSS, and the peak VmHWM; MiB) of a process and its descendants (a
 * cluster's server processes), summed, from /proc.
 */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | null {
  const one = (id: number): { rss: number; peak: number; children: number[] } => {
    const status = fs.readFileSync(`/proc/${id}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS"), peak: kb("VmHWM"), children: childPids(id) };
  };
  try {
    let rss = 0;
    let peak = 0;
    const queue = [pid];
    while (queue.length > 0) {
      const m = one(queue.shift()!);
      rss += m.rss;
      peak += m.peak;
      queue.push(...m.children);
    }
    return { rssMiB: rss / 1024, peakMiB: peak / 1024 };
  } catch {
    return null;
  }
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Signs in through next-auth's credentials flow; returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfRes);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  const session = cookiesOf(res).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in of ${email} failed (HTTP ${res.status})`);
  return [...jar, session].join("; ");
}

export interface HttpFigures {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Load at `connections` for `seconds` (autocannon); each request may pick its own path. Latency
 * quantiles are exact, from every response's time.
 */
export async function load(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  cookie?: string;
  body?: string;
  paths: () => string;
  /** Requests per second over all connections (an open load); unset: each as fast as it can. */
  rate?: number;
}): Promise<HttpFigures> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body) headers["content-type"] = "application/json";
  const times: number[] = [];
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 60,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: options.method ?? "GET",
            headers,
            ...(options.body ? { body: options.body } : {}),
            setupRequest: (req) => ({ ...req, path: options.paths() }),
          },
        ],
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  });
  const completed = result["2xx"] + result.non2xx;
  return {
    requests: completed,
    reqPerSec: completed / Math.max(result.duration, 0.001),
    p50Ms: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    p99Ms: quantile(times, 0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * `count` requests one after another (one client), each timed: latency without queueing, with
 * exact p50/p95. Stops early when `budgetMs` is spent (at least 2 requests).
 */
export async function sequential(options: {
  url: string;
  count: number;
  budgetMs: number;
  cookie?: string;
  paths: () => string;
  /** Sees each successful response's body (to count how they were answered). */
  onBody?: (text: string) => void;
}): Promise<{ times: number[]; failures: number; bytes: number }> {
  const times: number[] = [];
  let failures = 0;
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < options.count; i++) {
    if (i >= 2 && performance.now() - started > options.budgetMs) break;
    const t0 = performance.now();
    const res = await fetch(`${options.url}${options.paths()}`, {
      headers: options.cookie ? { cookie: options.cookie } : {},
      redirect: "manual",
    });
    const text = await res.text();
    times.push(performance.now() - t0);
    bytes = text.length;
    if (!res.ok) failures++;
    else options.onBody?.(text);
  }
  return { times, failures, bytes };
}

/**
 * First-load JavaScript of a page: the scripts its server-rendered HTML references (what the
 * browser loads before the page is interactive), read from the build and gzipped (zlib default
 * level), summed. Charts and other lazily loaded chunks are not referenced, so not counted.
 */
export async function firstLoadJs(
  url: string,
  pagePath: string,
  cookie: string,
  distDir: string,
): Promise<{ scripts: number; rawKiB: number; gzipKiB: number } | null> {
  const res = await fetch(`${url}${pagePath}`, { headers: { cookie }, redirect: "manual" });
  if (!res.ok) return null;
  const html = await res.text();
  const sources = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)[^"]*"/g)) sources.add(m[1]!);
  let raw = 0;
  let gzip = 0;
  for (const src of sources) {
    const rel = src.replace(/^https?:\/\/[^/]+/, "").replace(/^\/_next\//, "");
    const file = path.join(distDir, rel);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes).length;
  }
  return { scripts: sources.size, rawKiB: raw / 1024, gzipKiB: gzip / 1024 };
}
