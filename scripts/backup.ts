// npm run db:backup -- <file> [--dir <data dir>] [--force] — copies the embedded database (PGLITE_DIR)
// into one gzip file under the data-directory lock. The app must be stopped first: PGlite is
// single-process, so a backup while it runs is refused at once (never a torn copy).
import fs from "node:fs";
import { BackupError, backupEmbedded } from "../db/backup";
import { argValue, fail, hasFlag } from "./lib/args";
import { backupCommandLine } from "./lib/backup-cli";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

try {
  const argv = process.argv.slice(2);
  const { file, defaultDir } = backupCommandLine("backup", argv);
  if (fs.existsSync(file) && !hasFlag(argv, "force")) {
    throw new BackupError(`${file} exists already; pass --force to replace it.`);
  }
  const dataDir = argValue(argv, "dir") ?? defaultDir;
  const started = Date.now();
  const result = await backupEmbedded(dataDir, file);
  const { patients, observations, flags } = result.counts;
  console.log(
    `Backed up ${dataDir} to ${result.file} (${formatBytes(result.bytes)}) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s: ${patients} patients, ` +
      `${observations} observations, ${flags} flags.`,
  );
} catch (error) {
  fail(error);
}
