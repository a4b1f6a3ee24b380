// npm run bench [-- --sizes 10000,100000] [-- --skip-build] [-- --pglite-only] [-- --seconds 10]
//                [-- --proposed-indexes] [-- --postgres-only] [-- --web-concurrency N]
//
// Builds the production app into .next-bench, then for each backend (PGlite in a fresh temporary
// directory; PostgreSQL when BENCH_DATABASE_URL is set: a fresh database created and dropped on
// that server, which must be local) and each size: bulk-seeds, times the worklist and quality
// use-cases directly on the database, starts the production server in a child process, signs in
// and measures through HTTP (autocannon for load, one client for latency). Prints a table and
// writes bench-results.json. Every loop has a fixed count or duration; traffic goes to localhost.
//
// PGlite is one process per data directory: the direct (in-process) measurements run before the
// server starts, and the bench closes the database before the server opens it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, type Database, type DatabaseConfig } from "@/db/client";
import { seedDemo } from "@/lib/seed/demo";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { actorFor, type Actor } from "@/lib/server/context";
import { getQualityMetrics } from "@/lib/server/quality";
import { findUserByEmail } from "@/lib/server/users";
import { listWorklist } from "@/lib/server/worklist";
import { argValue, hasFlag } from "../../scripts/lib/args";
import { benchAssess, heavyInput, typicalInput } from "./assess-bench";
import {
  firstLoadJs,
  load,
  processMemory,
  sequential,
  signIn,
  startBenchServer,
  stopBenchServer,
  type HttpFigures,
} from "./http";
import { latency, renderTable, verdicts, type Results, type RunFigures } from "./report";
import { timeCalls } from "./stats";
import { createPostgresDatabase } from "../support/pg-database";

const DIST_DIR = ".next-bench";
const PASSWORD = "bonebrain-demo";
const WARMUP_SECONDS = 3;
const VISIT_PATIENTS = 20_000;
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const LOCAL_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]"];

/**
 * Indexes proposed for db/schema.ts that are not migrated yet: `--proposed-indexes`
 * creates them by hand after the seed, to measure their effect. Remove an entry once its
 * migration is committed.
 */
export const PROPOSED_INDEXES = [
  // The worklist's order within a site: lets the first page stop after `limit` rows.
  // (none pending: patient_state_worklist_idx now has this order, migration 0004)
] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);

function serverEnv(database: DatabaseConfig, processes = 1): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: DIST_DIR,
    PORT: String(PORT),
    HOSTNAME: "127.0.0.1",
    AUTH_SECRET: "bench-only-secret-not-for-production-use",
    NEXTAUTH_URL: `http://127.0.0.1:${PORT}`,
    DEMO_PASSWORD: PASSWORD,
    DEMO_MODE: "false",
    WEB_CONCURRENCY: String(processes),
    // The default quality views kept warm after writes (on PGlite too, where it is off by default).
    QUALITY_WARM_SECONDS: "2",
  };
  if (database.kind === "postgres") {
    env.DATABASE_URL = database.url;
    delete env.PGLITE_DIR;
  } else {
    env.PGLITE_DIR = database.dataDir;
    delete env.DATABASE_URL;
  }
  return env;
}

function build(): void {
  log(`Building the production app into ${DIST_DIR}…`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-bench-build-"));
  // `next build` with another distDir adds it to tsconfig.json's include: put the file back as
  // it was (its exclude already covers .next-*).
  const tsconfig = fs.readFileSync("tsconfig.json", "utf8");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: serverEnv({ kind: "pglite", dataDir: path.join(tmp, "pglite") }) as NodeJS.ProcessEnv,
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (fs.readFileSync("tsconfig.json", "utf8") !== tsconfig)
    fs.writeFileSync("tsconfig.json", tsconfig);
  if (result.status !== 0) throw new Error("next build failed");
  settleDisk();
}

async function actorOf(database: Database, email: string): Promise<Actor> {
  const user = await findUserByEmail(database.db, email);
  if (!user) throw new Error(`${email} is missing after the seed`);
  return actorFor(user, { ip: "127.0.0.1", userAgent: "bench" });
}

/** A fresh database of `kind`, and how to remove it. */
async function freshDatabase(
  kind: "pglite" | "postgres",
  patients: number,
): Promise<{ config: DatabaseConfig; remove: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-bench-"));
    return {
      config: { kind: "pglite", dataDir: path.join(dir, "pglite") },
      remove: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    };
  }
  const base = process.env.BENCH_DATABASE_URL!;
  const name = `bbc_bench_${patients}_${process.pid}_${Date.now().toString(36)}`;
  const database = await createPostgresDatabase(base, name);
  return {
    config: { kind: "postgres", url: database.url, poolMax: 10 },
    remove: database.drop,
  };
}

/**
 * A load run after WARMUP_SECONDS of the same load whose figures are dropped: the first seconds
 * of a route under load measure V8 compiling it and the pool opening its connections (at
 * 100 000 patients on PostgreSQL, visit write p95 about 100–120 ms in a first 3–10 s against
 * 65–95 ms after them), not the steady state of a server that has been up for a while.
 */
async function loadWarm(options: Parameters<typeof load>[0]): Promise<HttpFigures> {
  await load({ ...options, seconds: WARMUP_SECONDS });
  return load(options);
}

/**
 * Writes the OS's dirty pages out (sync) before a measurement, so that the build's or the seed's
 * writes still in the page cache do not slow this measurement's commits (each waits for its WAL
 * flush).
 */
function settleDisk(): void {
  spawnSync("sync", { stdio: "ignore" });
}

/**
 * The landing quality view (default filters), one request after another for `seconds`, while
 * `writes` run; how many answers came from the cache.
 */
async function landingDuring(
  url: string,
  cookie: string,
  seconds: number,
  writes: () => Promise<HttpFigures>,
) {
  const fromCache = { cached: 0, answered: 0 };
  const landing = sequential({
    url,
    count: 1_000_000,
    budgetMs: seconds * 1000,
    cookie,
    paths: () => "/api/v1/quality/metrics",
    onBody: (text) => {
      fromCache.answered += 1;
      const body = JSON.parse(text) as { readFrom?: { source?: string } };
      if (body.readFrom?.source === "cache") fromCache.cached += 1;
    },
  });
  const written = await writes();
  return { writes: written, landing: await landing, fromCache };
}

/** Round-robin over a list. */
function cycle<T>(list: readonly T[]): () => T {
  let i = 0;
  return () => list[i++ % list.length]!;
}

async function benchOne(
  kind: "pglite" | "postgres",
  patients: number,
  seconds: number,
  measureJs: boolean,
  results: Results,
  proposedIndexes: boolean,
  webConcurrency: number,
): Promise<RunFigures> {
  const processes = kind === "postgres" ? webConcurrency : 1;
  const failures: string[] = [];
  const { config, remove } = await freshDatabase(kind, patients);
  const today = new Date().toISOString().slice(0, 10);
  try {
    // 1. Seed, and the direct (in-process) measurements, before the server opens the database.
    const database = await openDatabase(config, { migrate: "apply" });
    log(`\n[${kind} ${patients}] seeding…`);
    const t0 = performance.now();
    let lastLine = 0;
    await seedDemo(database.db, {
      patients,
      bulk: true,
      password: PASSWORD,
      today,
      log: (line) => {
        if (performance.now() - lastLine > 5000) {
          lastLine = performance.now();
          log(`  ${line}`);
        }
      },
    });
    const seedSeconds = (performance.now() - t0) / 1000;
    log(`  seeded in ${seedSeconds.toFixed(1)} s`);
    settleDisk();
    if (proposedIndexes) {
      for (const statement of PROPOSED_INDEXES) await database.db.execute(sql.raw(statement));
      await database.db.execute(sql`analyze patient_state`);
    }
    const rowCounts = (await database.db.execute(
      sql`select (select count(*) from patients)::int as patients, (select count(*) from visits)::int as visits,
                 (select count(*) from observations)::int as observations, (select count(*) from assessments)::int as assessments,
                 (select count(*) from flags)::int as flags, (select count(*) from flag_events)::int as flag_events`,
    )) as { rows: Record<string, number>[] };
    const rows = rowCounts.rows[0] ?? {};
    const ids = (
      (await database.db.execute(
        // Visit writes go to as many different patients as a run writes visits (about 3 000
        // at 300/s for 10 s), as in a clinic, not again and again to a few warm ones.
        sql`select patient_id::text as id from patient_state order by patient_id limit ${VISIT_PATIENTS}`,
      )) as { rows: { id: string }[] }
    ).rows.map((r) => r.id);
    const care = await actorOf(database, "care@example.org");
    const quality = await actorOf(database, "quality@example.org");
    const worklistQuery = worklistQuerySchema.parse({});
    const worklistCall = () => listWorklist({ db: database.db, actor: care }, worklistQuery);
    const qualityCall = async () => {
      // Timed without the cache: every call computes.
      await database.db.execute(sql`delete from quality_cache`);
      const t0 = performance.now();
      await getQualityMetrics({ db: database.db, actor: quality }, {});
      return performance.now() - t0;
    };
    log(`  direct: worklist…`);
    await timeCalls(3, worklistCall);
    const worklistDirect = await timeCalls(40, worklistCall);
    log(`  direct: quality metrics…`);
    // Quality can take seconds at scale: as many calls as fit in ~20 s (1 to 20 directly, at
    // least 2 through HTTP); the first call also warms the caches.
    const firstQuality = await qualityCall();
    const qualityCount = Math.max(1, Math.min(20, Math.floor(20_000 / firstQuality)));
    const qualityDirect: number[] = [];
    for (let i = 0; i < qualityCount; i++) qualityDirect.push(await qualityCall());
    await database.close();

    // 2. The production server in its own process.
    log(`  starting the server…`);
    const server = await startBenchServer(PORT, serverEnv(config, processes));
    try {
      const url = server.url;
      const clinician = await signIn(url, "clinician@example.org", PASSWORD);
      const careCookie = await signIn(url, "care@example.org", PASSWORD);
      const qualityCookie = await signIn(url, "quality@example.org", PASSWORD);
      if (measureJs) {
        const pages = {
          "/patients": clinician,
          "/patients/[patientId]": clinician,
          "/worklist": careCookie,
          "/quality": qualityCookie,
        };
        for (const [page, cookie] of Object.entries(pages)) {
          const pathname = page.replace("[patientId]", ids[0] ?? "none");
          results.firstLoadJs[page] = await firstLoadJs(url, pathname, cookie, DIST_DIR);
        }
      }
      // Warm-up: every route once or twice (first requests compile and load route modules).
      for (const [p, cookie] of [
        ["/api/health", ""],
        ["/api/v1/worklist", careCookie],
        [`/patients/${ids[0]}`, clinician],
      ] as const) {
        await sequential({ url, count: 3, budgetMs: 60_000, cookie, paths: () => p });
      }
      // One request of the default quality period (computed the first time, then cached).
      const qualityOnce = () =>
        sequential({
          url,
          count: 1,
          budgetMs: 1,
          cookie: qualityCookie,
          paths: () => "/api/v1/quality/metrics",
        });
      if (qualityCount > 1) await qualityOnce();

      log(`  HTTP: trivial route (${WARMUP_SECONDS} s warm-up, then ${seconds} s, 16 clients)…`);
      const trivial = await loadWarm({
        url,
        connections: 16,
        seconds,
        paths: () => "/api/health",
      });
      log(`  HTTP: worklist…`);
      // Three calls first, as for the direct figures.
      await sequential({
        url,
        count: 3,
        budgetMs: 10_000,
        cookie: careCookie,
        paths: () => "/api/v1/worklist",
      });
      const worklistHttp = await sequential({
        url,
        count: 40,
        budgetMs: 30_000,
        cookie: careCookie,
        paths: () => "/api/v1/worklist",
      });
      log(`  HTTP: quality metrics, computed…`);
      // Each request asks for a period ending on another day (the default length, 12 months):
      // a question the result cache has not seen, so the server computes it.
      let qualityDay = 0;
      const qualityHttp = await sequential({
        url,
        count: Math.max(2, qualityCount),
        budgetMs: 25_000,
        cookie: qualityCookie,
        paths: () => {
          qualityDay += 1;
          const to = new Date(Date.now() - qualityDay * 86_400_000).toISOString().slice(0, 10);
          return `/api/v1/quality/metrics?to=${to}`;
        },
      });
      log(`  HTTP: quality metrics, unchanged data…`);
      // The first request of the default period computes it (or finds the warm-up's result).
      await qualityOnce();
      const qualityCachedHttp = await sequential({
        url,
        count: 20,
        budgetMs: 20_000,
        cookie: qualityCookie,
        paths: () => "/api/v1/quality/metrics",
      });
      log(`  HTTP: patient page…`);
      const pagePaths = cycle(ids.slice(0, 20).map((id) => `/patients/${id}`));
      const page = await sequential({
        url,
        count: 30,
        budgetMs: 20_000,
        cookie: clinician,
        paths: pagePaths,
      });
      log(`  HTTP: visit write (${WARMUP_SECONDS} s warm-up, then ${seconds} s, 16 clients)…`);
      const visitPaths = cycle(ids.map((id) => `/api/v1/patients/${id}/visits`));
      const visitBody = JSON.stringify({
        occurredOn: today,
        observations: [
          { kind: "phq9", items: [1, 1, 0, 1, 0, 1, 0, 0, 0] },
          {
            kind: "falls",
            countPast12Months: 0,
            injurious: false,
            unsteady: false,
            worriedAboutFalling: false,
          },
        ],
      });
      const writes = {
        url,
        connections: 16,
        method: "POST" as const,
        cookie: clinician,
        body: visitBody,
      };
      // Meanwhile, the landing quality view, one request at a time, for as long as the writes run.
      const saturated = await landingDuring(url, qualityCookie, WARMUP_SECONDS + seconds, () =>
        loadWarm({ ...writes, seconds, paths: visitPaths }),
      );
      const visitWrite = saturated.writes;
      // Then the same writes at half the throughput they just reached, for longer: at saturation
      // every request waits in the run queue (the trivial route's p95 too), which is not a busy
      // clinic; half the capacity is a usual operating point, and a longer run holds several
      // rounds of the warm-up's recomputation and rest.
      const halfRate = Math.max(1, Math.round(visitWrite.reqPerSec / 2));
      const halfSeconds = 3 * seconds;
      log(`  HTTP: visit write at ${halfRate}/s for ${halfSeconds} s, landing quality meanwhile…`);
      const half = await landingDuring(url, qualityCookie, halfSeconds, () =>
        load({ ...writes, seconds: halfSeconds, paths: visitPaths, rate: halfRate }),
      );
      const serverMemory = server.child.pid ? processMemory(server.child.pid) : null;
      for (const [name, f] of [
        ["trivial", trivial],
        ["visit write", visitWrite],
        ["visit write at half load", half.writes],
      ] as const) {
        if (f.errors || f.non2xx) failures.push(`${name}: ${f.errors} errors, ${f.non2xx} non-2xx`);
      }
      for (const [name, s] of [
        ["worklist", worklistHttp],
        ["quality", qualityHttp],
        ["quality (cached)", qualityCachedHttp],
        ["quality landing during writes", saturated.landing],
        ["quality landing at half load", half.landing],
        ["patient page", page],
      ] as const) {
        if (s.failures) failures.push(`${name}: ${s.failures} failed responses`);
      }
      const worklist = {
        http: latency(worklistHttp.times),
        direct: latency(worklistDirect),
        overhead: 0,
      };
      worklist.overhead = worklist.http.p50Ms / worklist.direct.p50Ms;
      const qualityFig = {
        http: latency(qualityHttp.times),
        direct: latency(qualityDirect),
        overhead: 0,
        cachedHttp: latency(qualityCachedHttp.times),
      };
      qualityFig.overhead = qualityFig.http.p50Ms / qualityFig.direct.p50Ms;
      return {
        backend: kind,
        serverProcesses: processes,
        patients,
        seedSeconds,
        rows,
        visitWrite,
        trivial,
        visitToTrivialThroughput: visitWrite.reqPerSec / trivial.reqPerSec,
        worklist,
        quality: qualityFig,
        qualityLandingUnderWrites: latency(saturated.landing.times),
        qualityLandingFromCache: saturated.fromCache,
        qualityLandingHalfLoad: {
          rate: halfRate,
          seconds: halfSeconds,
          landing: latency(half.landing.times),
          fromCache: half.fromCache,
          writes: half.writes,
        },
        patientPage: { ...latency(page.times), htmlKiB: page.bytes / 1024 },
        serverMemory,
        failures,
      };
    } finally {
      await stopBenchServer(server);
    }
  } finally {
    await remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = (argValue(argv, "sizes") ?? "10000,100000")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  if (sizes.length === 0) throw new Error("--sizes wants a comma-separated list of patient counts");
  const seconds = Number(argValue(argv, "seconds") ?? 10);
  if (!(seconds >= 1 && seconds <= 60)) throw new Error("--seconds must be between 1 and 60");
  // Server processes on PostgreSQL (WEB_CONCURRENCY): one per core unless told.
  const webConcurrency = Number(argValue(argv, "web-concurrency") ?? os.availableParallelism());
  if (!(Number.isInteger(webConcurrency) && webConcurrency >= 1 && webConcurrency <= 64))
    throw new Error("--web-concurrency must be an integer from 1 to 64");
  // PostgreSQL (the scale path) first, when given; then the embedded database.
  const backends: ("pglite" | "postgres")[] = [];
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl && !hasFlag(argv, "pglite-only")) {
    const host = new URL(pgUrl).hostname;
    if (!LOCAL_HOSTS.includes(host)) {
      throw new Error(`The bench refuses a non-local PostgreSQL (${host}): it creates databases.`);
    }
    backends.push("postgres");
  }
  if (!hasFlag(argv, "postgres-only") || backends.length === 0) backends.push("pglite");
  const proposedIndexes = hasFlag(argv, "proposed-indexes");
  if (!hasFlag(argv, "skip-build")) build();
  if (!fs.existsSync(path.join(DIST_DIR, "BUILD_ID"))) {
    throw new Error(`No build in ${DIST_DIR}: run without --skip-build.`);
  }

  log("assess micro-benchmark…");
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? "?",
      loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
    },
    command: `npm run bench -- ${argv.join(" ")}`.trim(),
    seconds,
    assess: {
      typical: benchAssess(typicalInput(), 20_000),
      heavy: benchAssess(heavyInput(), 1_000),
    },
    firstLoadJs: {},
    runs: [],
    notes: [
      proposedIndexes
        ? `With the proposed indexes created by hand after the seed: ${PROPOSED_INDEXES.join("; ")}.`
        : "Schema as migrated (no proposed indexes).",
      "Latency p50/p95 of the worklist, quality metrics and patient page: one client, requests in sequence.",
      "Quality 'HTTP' and 'direct' are computed: each HTTP request asks for a 12-month period ending on a different day (a question the result cache has not answered), and the cache is emptied before each direct call. 'Data unchanged' repeats the default request with no write in between: the result cache answers it.",
      "Direct = the same use-case function (listWorklist / getQualityMetrics, audit included) called in the bench process on the same database, before the server starts.",
      `Visit write and trivial route: autocannon, 16 connections, ${WARMUP_SECONDS} s of warm-up (not counted), then a fixed duration; p50/p95 from every response's time. Visits go to up to ${VISIT_PATIENTS} different patients in turn.`,
      `Server processes: PostgreSQL ${webConcurrency} (WEB_CONCURRENCY, one per core unless --web-concurrency says otherwise; the app keeps no state in process memory); PGlite 1 (one process owns the data directory). Server memory sums the processes.`,
    ],
  };
  let measureJs = true;
  for (const backend of backends) {
    for (const size of sizes) {
      try {
        results.runs.push(
          await benchOne(
            backend,
            size,
            seconds,
            measureJs,
            results,
            proposedIndexes,
            webConcurrency,
          ),
        );
        measureJs = false;
      } catch (error) {
        log(`✖ ${backend} ${size}: ${(error as Error).message.slice(0, 2000)}`);
        results.notes.push(`${backend} ${size} failed: ${(error as Error).message.slice(0, 300)}`);
      }
      fs.writeFileSync("bench-results.json", JSON.stringify(results, null, 2));
    }
  }
  results.machine.loadAverage = os.loadavg().map((n) => Number(n.toFixed(2)));
  fs.writeFileSync("bench-results.json", JSON.stringify(results, null, 2));
  const table = renderTable(results);
  console.log(`\n${table}\n`);
  for (const v of verdicts(results)) console.log(v);
  for (const r of results.runs)
    for (const f of r.failures) console.log(`⚠ ${r.backend} ${r.patients}: ${f}`);
  console.log(
    `\nmachine: ${results.machine.cpus} cores (${results.machine.model}), load average ${results.machine.loadAverage.join(" ")}; results in bench-results.json`,
  );
}

await main();
