import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import next from "next";
import {
  closeDatabase,
  configFromEnv,
  openDatabase,
  setDatabase,
  type Database,
} from "../../db/client";
import { deferredSchemaWarning } from "../../db/deferred-schema";
import { stampClientAddress, vouchForClientAddressHeader } from "../../lib/auth/client-address";
import { env } from "../../lib/env";
import { DEMO_USERS } from "../../lib/seed/cohort";
import { DEFAULT_SEED_PATIENTS, isEmpty, seedDemo } from "../../lib/seed/demo";
import { answerClientError, withAccessLog } from "../../lib/server/observability/access";
import { metrics } from "../../lib/server/observability/metrics";
import { reassessAgedPatients } from "../../lib/server/reassess";

export interface ServeOptions {
  seedIfEmpty: boolean;
  /** Runs on the open database before the server listens (e2e fixtures). */
  beforeListen?: (database: Database) => Promise<void>;
  patients?: number;
  printDemoLogins: boolean;
}

/**
 * Opens the database in this process (embedded: under its lock, migrations applied; server:
 * refuses a schema that is behind), optionally seeds an empty one, then serves the production
 * build of Next.js from this same process, so the lock holder is the server itself. With
 * PostgreSQL and WEB_CONCURRENCY > 1, this process prepares the data and forks that many server
 * processes instead (serveCluster).
 */
export async function serve(options: ServeOptions): Promise<void> {
  const e = env();
  const config = configFromEnv();
  const worker = cluster.isWorker;
  if (!worker && e.WEB_CONCURRENCY > 1) {
    if (config.kind === "postgres") return serveCluster(options, e.WEB_CONCURRENCY);
    console.log(
      "WEB_CONCURRENCY is ignored with the embedded database: one process owns its data directory.",
    );
  }
  const database = await openDatabase(config, {
    migrate: config.kind === "pglite" ? "apply" : "check",
  });
  setDatabase(database);
  if (worker) {
    await listen(database, e, false);
    process.send?.({ ready: true });
    return;
  }
  console.log(`Database: ${database.label}`);
  await prepareData(database, options);
  await listen(database, e, true);
  printReady(options);
}

/**
 * Warns when a bulk seed has set indexes and keys aside, seeds an empty database when asked, then
 * runs the caller's fixtures.
 */
async function prepareData(database: Database, options: ServeOptions): Promise<void> {
  const e = env();
  const warning = await deferredSchemaWarning(database.db);
  if (warning) console.warn(warning);
  if (options.seedIfEmpty && (await isEmpty(database.db))) {
    console.log("Empty database: adding demo data…");
    const result = await seedDemo(database.db, {
      patients: options.patients ?? DEFAULT_SEED_PATIENTS,
      password: e.DEMO_PASSWORD,
      today: new Date().toISOString().slice(0, 10),
    });
    console.log(`Seeded ${result.patientsCreated} patients with ${result.visitsRecorded} visits.`);
  }

  if (options.beforeListen) await options.beforeListen(database);
}

function printReady(options: ServeOptions): void {
  const e = env();
  const url = `http://localhost:${e.PORT}`;
  console.log(`\nBone–Brain Care is ready on ${url}`);
  if (options.printDemoLogins) {
    console.log(
      `\nDemo sign-ins (password: ${e.DEMO_PASSWORD === "bonebrain-demo" ? "bonebrain-demo" : "from DEMO_PASSWORD"}):`,
    );
    for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(24)} ${u.role}`);
    console.log("\nStop with Ctrl+C.");
  }
}

/**
 * PostgreSQL with WEB_CONCURRENCY > 1: this process checks the schema and seeds (as one server
 * would), then forks that many server processes sharing the port; a process that dies is
 * replaced, unless it dies at start (then everything stops: the cause is not transient).
 */
async function serveCluster(options: ServeOptions, count: number): Promise<void> {
  const database = await openDatabase(configFromEnv(), { migrate: "check" });
  console.log(`Database: ${database.label}`);
  await prepareData(database, options);
  await database.close();
  // Workers run a script that only serves: re-running the caller's script would build, migrate
  // or reset data again.
  cluster.setupPrimary({
    exec: path.join(import.meta.dirname, "server-worker.ts"),
    execArgv: process.execArgv,
  });
  let stopping = false;
  let ready = 0;
  const fork = (first: boolean) => {
    const child = cluster.fork();
    const started = Date.now();
    child.on("message", (m: { ready?: boolean }) => {
      if (!m.ready || !first) return;
      ready += 1;
      if (ready === count) {
        console.log(`${count} server processes (WEB_CONCURRENCY).`);
        printReady(options);
      }
    });
    child.on("exit", (code) => {
      // A process that stopped cleanly was told to (Ctrl+C reaches the whole process group,
      // perhaps before this process has handled it): the cluster is stopping.
      if (code === 0) stopping = true;
      if (stopping) {
        // exitCode is 1 when a process failed at start.
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
        return;
      }
      if (Date.now() - started < 30_000) {
        console.error(`A server process exited at start (code ${code}): stopping.`);
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
        process.exitCode = 1;
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
        return;
      }
      console.error(`A server process exited (code ${code}): starting another.`);
      fork(false);
    });
  };
  for (let i = 0; i < count; i++) fork(true);
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** Serves the production build of Next.js from this process until SIGINT/SIGTERM. */
async function listen(database: Database, e: ReturnType<typeof env>, standalone: boolean) {
  const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port: e.PORT });
  await app.prepare();
  const handle = withAccessLog(
    app.getRequestHandler(),
    path.resolve(process.env.NEXT_DIST_DIR || ".next"),
  );
  // The client address comes from the socket (or, with TRUST_PROXY, from the proxy's entry in
  // X-Forwarded-For), never from a header the client wrote: see lib/auth/client-address.ts.
  vouchForClientAddressHeader();
  const server = http.createServer((req, res) => {
    stampClientAddress(req.headers, req.socket.remoteAddress, e.TRUST_PROXY);
    void handle(req, res);
  });
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(e.PORT, e.HOSTNAME, () => resolve());
  });
  // Flags follow data that ages (see lib/server/reassess.ts); idempotent across instances, but
  // in a cluster only the first process runs it.
  let timer: NodeJS.Timeout | null = null;
  if (e.REASSESS_EVERY_HOURS > 0 && (standalone || cluster.worker?.id === 1)) {
    const run = () => {
      void reassessAgedPatients(database.db, null)
        .then((r) => {
          metrics().reassessRuns.inc({ outcome: "ok" });
          if (r.reassessed > 0)
            console.log(`Re-assessed ${r.reassessed} patients whose data aged (as of ${r.asOf}).`);
        })
        .catch((error: unknown) => {
          metrics().reassessRuns.inc({ outcome: "error" });
          console.error(`Re-assessment failed: ${(error as Error).name}`);
        });
    };
    setTimeout(run, 5_000).unref();
    timer = setInterval(run, e.REASSESS_EVERY_HOURS * 3_600_000);
    timer.unref();
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (timer) clearInterval(timer);
    if (standalone) console.log(`\n${signal}: stopping…`);
    server.close();
    server.closeAllConnections();
    void closeDatabase()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
