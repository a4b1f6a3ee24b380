// npm run demo — the whole demo on the embedded database: secret, lock, build, migrate, seed, serve.
import { spawnSync } from "node:child_process";
import { DEFAULT_SEED_PATIENTS } from "../lib/seed/demo";
import { acquireDataDirLock } from "../db/lock";
import { readOrCreateDemoSecret } from "../lib/auth/secret";
import { fail, hasFlag, intOption } from "./lib/args";

Object.assign(process.env, { NODE_ENV: "production" });
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.DEMO_MODE = "true";
process.env.REASSESS_EVERY_HOURS ||= "6";
process.env.AUTH_SECRET ||= readOrCreateDemoSecret();
process.env.NEXTAUTH_URL ||= `http://localhost:${process.env.PORT || 3000}`;

const argv = process.argv.slice(2);
try {
  const { env } = await import("../lib/env");
  const e = env();
  // Fail fast, before building over a running demo's files: one process per data directory.
  if (!e.DATABASE_URL) acquireDataDirLock(e.PGLITE_DIR);
  if (!hasFlag(argv, "skip-build")) {
    console.log("Building the app (about half a minute)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: process.env,
    });
    if (build.status !== 0) throw new Error("The build failed (see above).");
  }
  const { serve } = await import("./lib/server");
  await serve({
    seedIfEmpty: true,
    patients: intOption(argv, "patients", DEFAULT_SEED_PATIENTS),
    printDemoLogins: true,
  });
} catch (error) {
  fail(error);
}
