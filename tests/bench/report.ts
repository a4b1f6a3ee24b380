// The benchmark's figures: the targets, what one run measures, and the table and verdicts
// printed from them.
import type { AssessFigures } from "./assess-bench";
import type { HttpFigures } from "./http";
import { quantile } from "./stats";

/** The issue's targets (PostgreSQL, 100 000 patients, this 2-core machine). */
export const TARGETS = {
  assessMedianUs: 50,
  visitP95Ms: 100,
  worklistP95Ms: 50,
  qualityP95Ms: 500,
  qualityLandingP95Ms: 100,
  worklistOverhead: 1.5,
  patientPageJsGzipKiB: 250,
} as const;

export interface Latency {
  count: number;
  p50Ms: number;
  p95Ms: number;
}

export interface RunFigures {
  backend: "pglite" | "postgres";
  patients: number;
  /** Server processes (WEB_CONCURRENCY; PGlite: always 1). */
  serverProcesses: number;
  seedSeconds: number;
  rows: Record<string, number>;
  visitWrite: HttpFigures;
  trivial: HttpFigures;
  visitToTrivialThroughput: number;
  worklist: { http: Latency; direct: Latency; overhead: number };
  /**
   * Quality metrics computed (the result cache cannot answer: a new period per request through
   * HTTP, the cache emptied before each direct call), and repeated on unchanged data (cached).
   */
  quality: { http: Latency; direct: Latency; overhead: number; cachedHttp: Latency };
  /**
   * The landing quality view (default filters), asked one request after another while the visit
   * writes run: answered from the cache that the background warm-up keeps current.
   */
  qualityLandingUnderWrites?: Latency;
  /** How many of those landing requests the cache answered (readFrom.source "cache"). */
  qualityLandingFromCache?: { cached: number; answered: number };
  /**
   * The same, while visit writes arrive at `rate` per second (half the throughput the
   * saturating run reached) for `seconds`: the figure the landing target is set for.
   */
  qualityLandingHalfLoad?: {
    rate: number;
    seconds: number;
    landing: Latency;
    fromCache: { cached: number; answered: number };
    writes: HttpFigures;
  };
  patientPage: Latency & { htmlKiB: number };
  serverMemory: { rssMiB: number; peakMiB: number } | null;
  failures: string[];
}

export interface Results {
  startedAt: string;
  machine: { cpus: number; model: string; loadAverage: number[]; memoryGiB: number; node: string };
  command: string;
  seconds: number;
  assess: { typical: AssessFigures; heavy: AssessFigures };
  firstLoadJs: Record<string, { scripts: number; rawKiB: number; gzipKiB: number } | null>;
  runs: RunFigures[];
  notes: string[];
}

export function latency(times: number[]): Latency {
  return { count: times.length, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");

export function renderTable(results: Results): string {
  const runs = results.runs;
  const header = ["", ...runs.map((r) => `${r.backend} ${r.patients}`), "target"];
  const rows: string[][] = [
    ["seed (s)", ...runs.map((r) => f1(r.seedSeconds)), "< 180 (100k)"],
    ["server processes", ...runs.map((r) => String(r.serverProcesses ?? 1)), ""],
    [
      "visits / observations (k)",
      ...runs.map(
        (r) => `${f0((r.rows.visits ?? 0) / 1000)} / ${f0((r.rows.observations ?? 0) / 1000)}`,
      ),
      "",
    ],
    ["visit write req/s (16 clients)", ...runs.map((r) => f0(r.visitWrite.reqPerSec)), ""],
    [
      "visit write p50 / p95 (ms)",
      ...runs.map((r) => `${f1(r.visitWrite.p50Ms)} / ${f1(r.visitWrite.p95Ms)}`),
      `p95 < ${TARGETS.visitP95Ms}`,
    ],
    ["trivial route req/s (16 clients)", ...runs.map((r) => f0(r.trivial.reqPerSec)), ""],
    [
      "trivial route p50 / p95 (ms)",
      ...runs.map((r) => `${f1(r.trivial.p50Ms)} / ${f1(r.trivial.p95Ms)}`),
      "",
    ],
    ["visit ÷ trivial throughput", ...runs.map((r) => f2(r.visitToTrivialThroughput)), ""],
    [
      "worklist HTTP p50 / p95 (ms)",
      ...runs.map((r) => `${f1(r.worklist.http.p50Ms)} / ${f1(r.worklist.http.p95Ms)}`),
      `p95 < ${TARGETS.worklistP95Ms}`,
    ],
    [
      "worklist direct p50 / p95 (ms)",
      ...runs.map((r) => `${f1(r.worklist.direct.p50Ms)} / ${f1(r.worklist.direct.p95Ms)}`),
      "",
    ],
    [
      "worklist HTTP ÷ direct (p50)",
      ...runs.map((r) => f2(r.worklist.overhead)),
      `≤ ${TARGETS.worklistOverhead}`,
    ],
    [
      "quality HTTP p50 / p95 (ms)",
      ...runs.map((r) => `${f0(r.quality.http.p50Ms)} / ${f0(r.quality.http.p95Ms)}`),
      `p95 < ${TARGETS.qualityP95Ms}`,
    ],
    [
      "quality HTTP, data unchanged (ms)",
      ...runs.map((r) =>
        r.quality.cachedHttp
          ? `${f0(r.quality.cachedHttp.p50Ms)} / ${f0(r.quality.cachedHttp.p95Ms)}`
          : "–",
      ),
      `p95 < ${TARGETS.qualityP95Ms}`,
    ],
    [
      "quality landing, visit writes at full load (ms)",
      ...runs.map((r) =>
        r.qualityLandingUnderWrites
          ? `${f0(r.qualityLandingUnderWrites.p50Ms)} / ${f0(r.qualityLandingUnderWrites.p95Ms)}`
          : "–",
      ),
      "",
    ],
    [
      "  answered from the cache",
      ...runs.map((r) =>
        r.qualityLandingFromCache
          ? `${r.qualityLandingFromCache.cached} / ${r.qualityLandingFromCache.answered}`
          : "–",
      ),
      "",
    ],
    [
      "visit writes at half load: req/s, p50 / p95 (ms)",
      ...runs.map((r) => {
        const h = r.qualityLandingHalfLoad;
        return h ? `${f0(h.writes.reqPerSec)}, ${f0(h.writes.p50Ms)} / ${f0(h.writes.p95Ms)}` : "–";
      }),
      "",
    ],
    [
      "quality landing, visit writes at half load (ms)",
      ...runs.map((r) => {
        const h = r.qualityLandingHalfLoad;
        return h ? `${f0(h.landing.p50Ms)} / ${f0(h.landing.p95Ms)}` : "–";
      }),
      `p95 < ${TARGETS.qualityLandingP95Ms}`,
    ],
    [
      "  answered from the cache",
      ...runs.map((r) => {
        const h = r.qualityLandingHalfLoad;
        return h ? `${h.fromCache.cached} / ${h.fromCache.answered}` : "–";
      }),
      "",
    ],
    [
      "quality direct p50 / p95 (ms)",
      ...runs.map((r) => `${f0(r.quality.direct.p50Ms)} / ${f0(r.quality.direct.p95Ms)}`),
      "",
    ],
    ["quality HTTP ÷ direct (p50)", ...runs.map((r) => f2(r.quality.overhead)), ""],
    [
      "patient page render p50 / p95 (ms)",
      ...runs.map((r) => `${f1(r.patientPage.p50Ms)} / ${f1(r.patientPage.p95Ms)}`),
      "",
    ],
    [
      "server RSS / peak (MiB)",
      ...runs.map((r) =>
        r.serverMemory ? `${f0(r.serverMemory.rssMiB)} / ${f0(r.serverMemory.peakMiB)}` : "–",
      ),
      "",
    ],
  ];
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)),
  );
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const out = [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ];
  const a = results.assess;
  out.push(
    "",
    `assess (in process): typical (${a.typical.observations} observations) median ${f1(a.typical.medianUs)} µs, p99 ${f1(a.typical.p99Us)} µs; ` +
      `${a.heavy.observations} observations median ${f1(a.heavy.medianUs)} µs, p99 ${f1(a.heavy.p99Us)} µs (target: typical median < ${TARGETS.assessMedianUs} µs)`,
    "",
    "first-load JavaScript (gzip, scripts referenced by the page's HTML):",
  );
  for (const [page, js] of Object.entries(results.firstLoadJs)) {
    out.push(
      `  ${page.padEnd(24)} ${js ? `${f1(js.gzipKiB)} KiB gzip (${f1(js.rawKiB)} KiB raw, ${js.scripts} scripts)` : "–"}`,
    );
  }
  out.push(`  target: patient page < ${TARGETS.patientPageJsGzipKiB} KiB gzip`);
  return out.join("\n");
}

/** Where each backend meets the targets, and the first size at which it stops. */
export function verdicts(results: Results): string[] {
  const lines: string[] = [];
  for (const backend of ["postgres", "pglite"] as const) {
    const runs = results.runs
      .filter((r) => r.backend === backend)
      .sort((x, y) => x.patients - y.patients);
    for (const r of runs) {
      const misses: string[] = [];
      if (r.visitWrite.p95Ms >= TARGETS.visitP95Ms)
        misses.push(`visit write p95 ${f0(r.visitWrite.p95Ms)} ms`);
      if (r.worklist.http.p95Ms >= TARGETS.worklistP95Ms)
        misses.push(`worklist p95 ${f0(r.worklist.http.p95Ms)} ms`);
      if (r.quality.http.p95Ms >= TARGETS.qualityP95Ms)
        misses.push(`quality p95 ${f0(r.quality.http.p95Ms)} ms (computed)`);
      const half = r.qualityLandingHalfLoad;
      if (half && half.landing.p95Ms >= TARGETS.qualityLandingP95Ms)
        misses.push(
          `quality landing p95 ${f0(half.landing.p95Ms)} ms during visit writes at ${half.rate}/s`,
        );
      if (r.quality.cachedHttp && r.quality.cachedHttp.p95Ms >= TARGETS.qualityP95Ms)
        misses.push(`quality p95 ${f0(r.quality.cachedHttp.p95Ms)} ms (data unchanged)`);
      if (r.worklist.overhead > TARGETS.worklistOverhead)
        misses.push(`worklist HTTP ÷ direct ${f2(r.worklist.overhead)}`);
      lines.push(
        `${backend} ${r.patients}: ${misses.length ? `misses ${misses.join(", ")}` : "meets the HTTP targets"}`,
      );
    }
  }
  return lines;
}
