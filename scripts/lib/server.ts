import http from "node:http";
import next from "next";
import {
  closeDatabase,
  configFromEnv,
  openDatabase,
  setDatabase,
  type Database,
} from "../../db/client";
import { DEFAULT_SEED_PATIENTS, DEMO_USERS, isEmpty, seedDemo } from "../../db/seed";
import { env } from "../../lib/env";
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
 * build of Next.js from this same process, so the lock holder is the server itself.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const e = env();
  const database = await openDatabase(configFromEnv(), {
    migrate: configFromEnv().kind === "pglite" ? "apply" : "check",
  });
  setDatabase(database);
  console.log(`Database: ${database.label}`);
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
  const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port: e.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(e.PORT, e.HOSTNAME, () => resolve());
  });
  const url = `http://localhost:${e.PORT}`;
  console.log(`\nBone–Brain Care is ready on ${url}`);
  if (options.printDemoLogins) {
    console.log(
      `\nDemo sign-ins (password: ${e.DEMO_PASSWORD === "bonebrain-demo" ? "bonebrain-demo" : "from DEMO_PASSWORD"}):`,
    );
    for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(24)} ${u.role}`);
    console.log("\nStop with Ctrl+C.");
  }

  // Flags follow data that ages (see lib/server/reassess.ts); idempotent across instances.
  let timer: NodeJS.Timeout | null = null;
  if (e.REASSESS_EVERY_HOURS > 0) {
    const run = () => {
      void reassessAgedPatients(database.db, new Date().toISOString().slice(0, 10))
        .then((r) => {
          if (r.reassessed > 0)
            console.log(`Re-assessed ${r.reassessed} patients whose data aged (as of ${r.asOf}).`);
        })
        .catch((error: unknown) => console.error(`Re-assessment failed: ${(error as Error).name}`));
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
    console.log(`\n${signal}: stopping…`);
    server.close();
    server.closeAllConnections();
    void closeDatabase()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
