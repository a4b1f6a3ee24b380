// The server that Playwright starts: a fresh embedded database (or a local PostgreSQL), the
// production build in .next-e2e, demo data. Refuses a non-local database.
import "./lib/tracing"; // first: OpenTelemetry hooks pg before anything loads it
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { fail } from "./lib/args";

const port = process.env.E2E_PORT ?? "3100";
Object.assign(process.env, { NODE_ENV: "production" });
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NEXT_DIST_DIR = process.env.E2E_DIST_DIR ?? ".next-e2e";
process.env.PORT = port;
process.env.HOSTNAME = "127.0.0.1";
process.env.AUTH_SECRET ||= "e2e-only-secret-not-for-production-use";
process.env.NEXTAUTH_URL = `http://localhost:${port}`;
// A test-only CDS Hooks client (its private key is used only by tests/e2e/fhir.spec.ts).
process.env.CDS_CLIENTS ||= JSON.stringify(
  (
    JSON.parse(fs.readFileSync("tests/e2e/fixtures/cds-test-keys.json", "utf8")) as {
      cdsClients: Record<string, unknown>[];
    }
  ).cdsClients.map((c) => ({ ...c, fhirServers: [`http://localhost:${port}/fhir/r4`] })),
);
process.env.PUBLIC_URL = `http://localhost:${port}`;
process.env.DEMO_MODE = "true";
// Tests see the data as seeded: no background re-assessment changing flags under them.
process.env.REASSESS_EVERY_HOURS = "0";
process.env.DEMO_PASSWORD = "bonebrain-demo";

try {
  const url = process.env.E2E_DATABASE_URL;
  if (url) {
    const host = new URL(url).hostname;
    if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) {
      throw new Error(`e2e refuses a non-local database (${host}): it writes test data.`);
    }
    process.env.DATABASE_URL = url;
    // A fresh test database: apply the migrations first (the server itself only checks them).
    const { openDatabase } = await import("../db/client");
    await (await openDatabase({ kind: "postgres", url }, { migrate: "apply" })).close();
  } else {
    delete process.env.DATABASE_URL;
    const root = process.env.E2E_DATA_DIR ?? ".data/e2e";
    // E2E_KEEP_DATA=1 restarts on the same directory (crash-safety test); otherwise start fresh.
    if (process.env.E2E_KEEP_DATA !== "1") fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    process.env.PGLITE_DIR = `${root}/pglite`;
  }
  if (process.env.E2E_SKIP_BUILD !== "1") {
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const { serve } = await import("./lib/server");
  const { addE2eFixtures } = await import("./lib/e2e-fixtures");
  await serve({
    seedIfEmpty: true,
    patients: 60,
    printDemoLogins: false,
    beforeListen: addE2eFixtures,
  });
} catch (error) {
  fail(error);
}
