// npm run db:seed [-- --patients N] — demo sites, users and a synthetic cohort (idempotent).
import { configFromEnv, openDatabase } from "../db/client";
import { DEFAULT_SEED_PATIENTS, seedDemo } from "../db/seed";
import { env } from "../lib/env";
import { fail, intOption } from "./lib/args";

try {
  const patients = intOption(process.argv.slice(2), "patients", DEFAULT_SEED_PATIENTS);
  const database = await openDatabase(configFromEnv(), { migrate: "apply" });
  const started = Date.now();
  const result = await seedDemo(database.db, {
    patients,
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
