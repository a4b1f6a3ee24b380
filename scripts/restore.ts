// npm run db:restore -- <file> [--dir <data dir>] [--force] — restores a db:backup file into
// PGLITE_DIR (or --dir) under that directory's lock, then opens it (applying newer migrations).
// A non-empty target is refused unless --force; with --force the old directory is kept beside it.
import { BackupError, POSTGRES_BACKUP_RECIPE, restoreEmbedded } from "../db/backup";
import { configFromEnv } from "../db/client";
import { argValue, fail, hasFlag } from "./lib/args";

const USAGE = "Usage: npm run db:restore -- <file.tar.gz> [--dir <data dir>] [--force]";

function positional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir") i++;
    else if (!a.startsWith("--")) return a;
  }
  return undefined;
}

try {
  const argv = process.argv.slice(2);
  const dirOption = argValue(argv, "dir");
  const config = configFromEnv();
  if (config.kind === "postgres") {
    console.error(POSTGRES_BACKUP_RECIPE);
    process.exit(2);
  }
  const file = positional(argv);
  if (!file) {
    console.error(USAGE);
    process.exit(2);
  }
  if (dirOption === "") throw new BackupError("--dir needs a directory.");
  const dataDir = dirOption ?? config.dataDir;
  const started = Date.now();
  const result = await restoreEmbedded(file, dataDir, { force: hasFlag(argv, "force") });
  const { patients, observations, flags } = result.counts;
  console.log(
    `Restored ${file} into ${result.dataDir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `${patients} patients, ${observations} observations, ${flags} flags; ` +
      `${result.migrations.applied}/${result.migrations.expected} migrations applied.`,
  );
  if (result.previousDir) console.log(`The replaced directory was kept as ${result.previousDir}.`);
} catch (error) {
  fail(error);
}
