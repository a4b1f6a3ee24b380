// What db:backup and db:restore share: their arguments, and the answer when DATABASE_URL is set
// (PostgreSQL is backed up with its own tools; db/backup.ts handles the embedded database only).
import { configFromEnv } from "../../db/client";

/** How to back up and restore when DATABASE_URL points at a PostgreSQL server (its own tools). */
export const POSTGRES_BACKUP_RECIPE = `DATABASE_URL is set: db:backup and db:restore handle the embedded database only.
For PostgreSQL, use its own tools (client version ≥ the server's):

  # backup (consistent snapshot while the app runs; custom format, compressed)
  pg_dump --format=custom --no-owner --no-privileges --file=bonebrain-$(date +%F).dump "$DATABASE_URL"

  # restore into a NEW, empty database, then point DATABASE_URL at it
  createdb --maintenance-db="$DATABASE_URL" bonebrain_restored
  pg_restore --no-owner --no-privileges --exit-on-error \\
    --dbname="postgres://USER@HOST:5432/bonebrain_restored" bonebrain-YYYY-MM-DD.dump
  DATABASE_URL=postgres://USER@HOST:5432/bonebrain_restored npm run db:migrate   # newer migrations, if any

Restore into a new database rather than with --clean over the live one: audit_events refuses
DELETE and TRUNCATE by design, and a fresh database keeps the damaged one for inspection.`;

/** The first argument that is not an option (nor the value of --dir). */
function positional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir") i++;
    else if (!a.startsWith("--")) return a;
  }
  return undefined;
}

/**
 * The backup file named on the command line and the embedded database's directory by default
 * (PGLITE_DIR). Exits 2 with the PostgreSQL recipe when DATABASE_URL is set, or with the usage
 * when no file is named.
 */
export function backupCommandLine(
  command: "backup" | "restore",
  argv: readonly string[],
): { file: string; defaultDir: string } {
  const config = configFromEnv();
  if (config.kind === "postgres") {
    console.error(POSTGRES_BACKUP_RECIPE);
    process.exit(2);
  }
  const file = positional(argv);
  if (!file) {
    console.error(`Usage: npm run db:${command} -- <file.tar.gz> [--dir <data dir>] [--force]`);
    process.exit(2);
  }
  return { file, defaultDir: config.dataDir };
}
