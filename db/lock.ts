import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One process at a time on an embedded data directory: two PGlite instances on one directory
 * corrupt it silently (docs/ARCHITECTURE.md, "Database"). The lock is a pid file beside the
 * directory; it is taken over only when the process that wrote it is gone.
 */
export class DatabaseLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
    readonly holderCommand: string,
  ) {
    super(
      `The embedded database ${lockFile.replace(/\.lock$/, "")} is in use by another process ` +
        `(pid ${holderPid}: ${holderCommand}). Stop that process first, or point PGLITE_DIR at ` +
        `another directory. Two processes on one PGlite directory would corrupt it.`,
    );
    this.name = "DatabaseLockedError";
  }
}

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export function lockFileFor(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `${path.basename(resolved)}.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockInfo>;
    return typeof parsed.pid === "number"
      ? {
          pid: parsed.pid,
          host: String(parsed.host ?? ""),
          command: String(parsed.command ?? "?"),
          since: String(parsed.since ?? ""),
        }
      : null;
  } catch {
    return null;
  }
}

const held = new Set<string>();

/** Takes the lock for `dataDir` for this process (re-entrant), or throws DatabaseLockedError. */
export function acquireDataDirLock(dataDir: string): string {
  const file = lockFileFor(dataDir);
  if (held.has(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv.slice(1).join(" ").slice(0, 200),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx" });
      held.add(file);
      registerRelease(file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const current = readLock(file);
    if (current && current.pid === process.pid) {
      held.add(file);
      registerRelease(file);
      return file;
    }
    if (current && current.host === mine.host && isAlive(current.pid)) {
      throw new DatabaseLockedError(file, current.pid, current.command);
    }
    if (current && current.host !== mine.host) {
      // A lock written on another host cannot be checked; refuse rather than risk corruption.
      throw new DatabaseLockedError(file, current.pid, `${current.command} on ${current.host}`);
    }
    // The holder is gone (or the file is unreadable garbage): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the database lock ${file}`);
}

/** Releases the lock if this process holds it. */
export function releaseDataDirLock(dataDir: string): void {
  const file = lockFileFor(dataDir);
  if (!held.has(file)) return;
  held.delete(file);
  const current = readLock(file);
  if (current?.pid === process.pid) fs.rmSync(file, { force: true });
}

let exitHookInstalled = false;
function registerRelease(_file: string): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const file of held) {
      const current = readLock(file);
      if (current?.pid === process.pid) fs.rmSync(file, { force: true });
    }
  });
}
