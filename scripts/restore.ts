// npm run db:restore -- <file> [--dir <data dir>] [--force] — restores a db:backup file into
// PGLITE_DIR (or --dir) under that directory's lock, then opens it (applying newer migrations).
// A non-empty target is refused unless --force; with --force the old directory is kept beside it.
import { BackupError, restoreEmbedded } from "../db/backup";
import { argValue, fail, hasFlag } from "./lib/args";
import { backupCommandLine } from "./lib/backup-cli";

try {
  const argv = process.argv.slice(2);
  const { file, defaultDir } = backupCommandLine("restore", argv);
  const dirOption = argValue(argv, "dir");
  if (dirOption === "") throw new BackupError("--dir needs a directory.");
  const dataDir = dirOption ?? defaultDir;
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
