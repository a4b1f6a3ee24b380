// npm run db:seed [-- --patients N] [-- --bulk] — demo sites, users and a synthetic cohort
// (idempotent). From BULK_SEED_THRESHOLD patients on (or with --bulk) histories are written in
// batches by lib/seed/bulk.ts; below it, visit by visit through the use-cases.
import { configFromEnv, openDatabase } from "../db/client";
import { BULK_SEED_THRESHOLD, DEFAULT_SEED_PATIENTS, seedDemo } from "../lib/seed/demo";
import { env } from "../lib/env";
import { fail, hasFlag, intOption } from "./lib/args";

try {
  const argv = process.argv.slice(2);
  const patients = intOption(argv, "patients", DEFAULT_SEED_PATIENTS);
  const bulk = hasFlag(argv, "bulk") || patients >= BULK_SEED_THRESHOLD;
  const database = await openDatabase(configFromEnv(), { migrate: "apply" });
  const started = Date.now();
  console.log(
    `Seeding ${patients} patients into ${database.label} (${bulk ? "bulk" : "through the use-cases"})…`,
  );
  const result = await seedDemo(database.db, {
    patients,
    bulk,
    password: env().DEMO_PASSWORD,
    today: new Date().toISOString().slice(0, 10),
    log: (line) => process.stdout.write(`\r${line}   `),
  });
  process.stdout.write("\n");
  console.log(
    `${database.label}: ${result.sites} sites, ${result.usersCreated} users created, ` +
      `${result.patientsCreated} patients and ${result.visitsRecorded} visits created in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  await database.close();
} catch (error) {
  fail(error);
}
