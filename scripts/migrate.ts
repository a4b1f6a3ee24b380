// npm run db:migrate — applies committed migrations (embedded database under its lock, or DATABASE_URL).
import { configFromEnv, migrationStatus, openDatabase } from "../db/client";
import { fail } from "./lib/args";

try {
  const database = await openDatabase(configFromEnv(), { migrate: "apply" });
  const status = await migrationStatus(database.db);
  console.log(`${database.label}: ${status.applied}/${status.expected} migrations applied.`);
  await database.close();
} catch (error) {
  fail(error);
}
