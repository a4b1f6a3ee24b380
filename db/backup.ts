import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { migrationStatus, openDatabase } from "./client";
import { acquireDataDirLock, lockFileFor, releaseDataDirLock } from "./lock";

/** What a backup or a restore reports, to compare a copy with its source. */
export interface DatabaseCounts {
  patients: number;
  observations: number;
  flags: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  counts: DatabaseCounts;
}

export interface RestoreResult {
  dataDir: string;
  /** Where the directory that was replaced (with --force) was moved, or null. */
  previousDir: string | null;
  counts: DatabaseCounts;
  migrations: { applied: number; expected: number };
}

/** A refusal that the command line shows as one clear line (exit 1). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

const COUNTED_TABLES = ["patients", "observations", "flags"] as const;

/** Row counts of the tables a backup is checked by (0 for a table that does not exist yet). */
async function countRows(
  query: (text: string) => Promise<{ rows: unknown[] }>,
): Promise<DatabaseCounts> {
  const counts = { patients: 0, observations: 0, flags: 0 };
  for (const table of COUNTED_TABLES) {
    const exists = await query(`select to_regclass('public.${table}') is not null as exists`);
    if (!(exists.rows[0] as { exists: boolean } | undefined)?.exists) continue;
    const res = await query(`select count(*)::int as n from public.${table}`);
    counts[table] = (res.rows[0] as { n: number } | undefined)?.n ?? 0;
  }
  return counts;
}

/**
 * Takes the data-directory lock for a backup or restore. Refused at once when another process
 * holds it (the app must be stopped), and also when this very process has the directory open:
 * a second PGlite instance on a directory corrupts it even within one process.
 */
function lockForMaintenance(dataDir: string): void {
  const file = lockFileFor(dataDir);
  try {
    const holder = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown };
    if (holder.pid === process.pid) {
      throw new BackupError(
        `The embedded database ${dataDir} is open in this process; close it before a backup or restore.`,
      );
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    // No lock file, or an unreadable one: acquireDataDirLock decides.
  }
  acquireDataDirLock(dataDir);
}

/** Writes `data` to `file` through a temporary file and a rename: a crash never leaves half a file. */
function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.partial-${process.pid}`);
  const fd = fs.openSync(temp, "w", 0o600);
  try {
    for (let offset = 0; offset < data.byteLength;) {
      offset += fs.writeSync(fd, data, offset, data.byteLength - offset);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  // Make the rename itself durable (best effort: not every platform can fsync a directory).
  try {
    const dirFd = fs.openSync(dir, "r");
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
  } catch {
    // ignore
  }
}

function isPgliteDataDir(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "PG_VERSION"));
}

/**
 * Backs up the embedded database in `dataDir` to `file` (a gzip-compressed tar of the data
 * directory, PGlite's `dumpDataDir`). Holds the directory's lock throughout, so it is refused at
 * once while the app (or a seed, a migration, another backup) has the database open.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupResult> {
  const dir = path.resolve(dataDir);
  const target = path.resolve(file);
  if (!isPgliteDataDir(dir)) {
    throw new BackupError(`There is no embedded database in ${dir} (no PG_VERSION file).`);
  }
  if (target === dir || target.startsWith(dir + path.sep)) {
    throw new BackupError("Write the backup outside the data directory it copies.");
  }
  lockForMaintenance(dir);
  try {
    const client = await PGlite.create(dir);
    try {
      const counts = await countRows((text) => client.query(text));
      // Flush the WAL into the data files so the copy needs no recovery when it is opened.
      await client.query("checkpoint");
      const blob = await client.dumpDataDir("gzip");
      const bytes = new Uint8Array(await blob.arrayBuffer());
      writeFileAtomic(target, bytes);
      return { file: target, bytes: bytes.byteLength, counts };
    } finally {
      await client.close();
    }
  } finally {
    releaseDataDirLock(dir);
  }
}

/**
 * Restores a backup made by `backupEmbedded` into `dataDir`. Refuses a non-empty directory unless
 * `force`; with `force` the current directory is kept beside it (`<dir>.before-restore-<time>`)
 * rather than deleted. The backup is unpacked into a staging directory first and moved into place
 * only once PostgreSQL has started on it, so a failed restore never leaves a half directory. The
 * result is then opened with `openDatabase`, which applies any newer migrations.
 */
export async function restoreEmbedded(
  file: string,
  dataDir: string,
  options: { force?: boolean } = {},
): Promise<RestoreResult> {
  const source = path.resolve(file);
  const dir = path.resolve(dataDir);
  let data: Uint8Array<ArrayBuffer>;
  try {
    data = new Uint8Array(fs.readFileSync(source));
  } catch {
    throw new BackupError(`Cannot read the backup file ${source}.`);
  }
  // gzip magic number: every backup made by backupEmbedded starts with it.
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) {
    throw new BackupError(`${source} is not a backup made by \`npm run db:backup\` (not gzip).`);
  }
  lockForMaintenance(dir);
  const staging = `${dir}.restoring-${process.pid}`;
  let previousDir: string | null = null;
  try {
    const nonEmpty = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    if (nonEmpty && !options.force) {
      throw new BackupError(
        `${dir} is not empty. Pass --force to replace it (the current directory is kept as ` +
          `${path.basename(dir)}.before-restore-<time>), or restore into another directory with --dir.`,
      );
    }
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      const client = await PGlite.create({
        dataDir: staging,
        loadDataDir: new File([data], "backup.tar.gz", { type: "application/x-gzip" }),
      });
      try {
        await client.query("select 1");
      } finally {
        await client.close();
      }
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (error instanceof BackupError) throw error;
      throw new BackupError(
        `The backup ${source} could not be restored: ${(error as Error)?.message ?? String(error)}`,
      );
    }
    if (nonEmpty) {
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      previousDir = `${dir}.before-restore-${stamp}`;
      fs.renameSync(dir, previousDir);
    } else if (fs.existsSync(dir)) {
      fs.rmdirSync(dir);
    }
    fs.renameSync(staging, dir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    releaseDataDirLock(dir);
    throw error;
  }
  // openDatabase re-enters the lock we hold, brings the schema up to date, and releases on close.
  const database = await openDatabase({ kind: "pglite", dataDir: dir });
  try {
    const counts = await countRows(async (text) => {
      const result: unknown = await database.db.execute(sql.raw(text));
      return result as { rows: unknown[] };
    });
    const migrations = await migrationStatus(database.db);
    return { dataDir: dir, previousDir, counts, migrations };
  } finally {
    await database.close();
    releaseDataDirLock(dir);
  }
}
