// npm run db:reassess [-- --as-of YYYY-MM-DD] — re-assess every patient whose latest assessment is
// older than that day (default today), so flags follow data that ages. Run it daily (cron) with
// DATABASE_URL; the embedded database is locked by a running app, which can run it itself
// (REASSESS_EVERY_HOURS).
import { configFromEnv, openDatabase } from "../db/client";
import { reassessAgedPatients } from "../lib/server/reassess";
import { argValue, fail } from "./lib/args";

try {
  const asOf = argValue(process.argv.slice(2), "as-of") ?? null;
  if (asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new Error("--as-of must be a date written YYYY-MM-DD");
  const database = await openDatabase(configFromEnv(), {
    migrate: configFromEnv().kind === "pglite" ? "apply" : "check",
  });
  const run = await reassessAgedPatients(database.db, asOf, new Date(), {
    log: (line) => process.stdout.write(`\r${line}   `),
  });
  process.stdout.write("\n");
  console.log(
    `${database.label}: examined ${run.examined}, re-assessed ${run.reassessed} patients as of ${run.asOf}.`,
  );
  await database.close();
} catch (error) {
  fail(error);
}
