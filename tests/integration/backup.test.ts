import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupError, backupEmbedded, restoreEmbedded } from "@/db/backup";
import { openDatabase, type Db } from "@/db/client";
import { DatabaseLockedError, lockFileFor } from "@/db/lock";
import { auditEvents, flags, observations, patients } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { testDbKind } from "../support/db";

async function ids(db: Db) {
  const [p, o, f, a] = await Promise.all([
    db.select({ id: patients.id }).from(patients).orderBy(asc(patients.id)),
    db.select({ id: observations.id }).from(observations).orderBy(asc(observations.id)),
    db.select({ id: flags.id }).from(flags).orderBy(asc(flags.id)),
    db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id)),
  ]);
  return {
    patients: p.map((r) => r.id),
    observations: o.map((r) => r.id),
    flags: f.map((r) => r.id),
    audit: a.map((r) => r.id),
  };
}

// The embedded database only: PostgreSQL is backed up with pg_dump (SECURITY.md).
describe.runIf(testDbKind() === "pglite")("backup and restore of the embedded database", () => {
  let root = "";
  let sourceDir = "";
  let file = "";
  let before: Awaited<ReturnType<typeof ids>>;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-backup-"));
    sourceDir = path.join(root, "source");
    file = path.join(root, "backups", "bonebrain.tar.gz");
    const source = await openDatabase({ kind: "pglite", dataDir: sourceDir });
    await seedDemo(source.db, { patients: 10, password: "demo-password", today: "2026-11-26" });
    before = await ids(source.db);
    await source.close();
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("seeds a small database with history", () => {
    expect(before.patients).toHaveLength(10);
    expect(before.observations.length).toBeGreaterThan(10);
    expect(before.flags.length).toBeGreaterThan(0);
  });

  it("backs up into one gzip file, through a temporary file, and reports the counts", async () => {
    const result = await backupEmbedded(sourceDir, file);
    expect(result.file).toBe(file);
    expect(result.counts).toEqual({
      patients: before.patients.length,
      observations: before.observations.length,
      flags: before.flags.length,
    });
    const bytes = fs.readFileSync(file);
    expect(bytes.byteLength).toBe(result.bytes);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    // No temporary file is left beside it, and the lock is released.
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    expect(fs.existsSync(lockFileFor(sourceDir))).toBe(false);
  });

  it("restores into a new directory with every patient, observation, flag and audit event", async () => {
    const targetDir = path.join(root, "restored");
    const result = await restoreEmbedded(file, targetDir);
    expect(result.previousDir).toBeNull();
    expect(result.migrations.applied).toBe(result.migrations.expected);
    expect(result.counts.patients).toBe(10);
    const restored = await openDatabase({ kind: "pglite", dataDir: targetDir });
    try {
      expect(await ids(restored.db)).toEqual(before);
    } finally {
      await restored.close();
    }
    expect(fs.readdirSync(root).some((n) => n.includes(".restoring-"))).toBe(false);
  });

  it("refuses to restore over a non-empty directory without force, and keeps it with force", async () => {
    const targetDir = path.join(root, "occupied");
    fs.mkdirSync(targetDir, { recursive: true });
    fs.writeFileSync(path.join(targetDir, "keep-me.txt"), "precious");
    await expect(restoreEmbedded(file, targetDir)).rejects.toThrow(/is not empty.*--force/);
    expect(fs.readFileSync(path.join(targetDir, "keep-me.txt"), "utf8")).toBe("precious");
    expect(fs.existsSync(lockFileFor(targetDir))).toBe(false);

    const result = await restoreEmbedded(file, targetDir, { force: true });
    expect(result.counts.patients).toBe(10);
    expect(result.previousDir).not.toBeNull();
    expect(fs.readFileSync(path.join(result.previousDir!, "keep-me.txt"), "utf8")).toBe("precious");
    expect(fs.existsSync(path.join(targetDir, "PG_VERSION"))).toBe(true);
  });

  it("refuses a file that is not a backup", async () => {
    const bogus = path.join(root, "bogus.tar.gz");
    fs.writeFileSync(bogus, "not a backup");
    await expect(restoreEmbedded(bogus, path.join(root, "never"))).rejects.toBeInstanceOf(
      BackupError,
    );
    expect(fs.existsSync(path.join(root, "never"))).toBe(false);
  });

  it("takes the lock: refused at once while another live process holds the directory", async () => {
    // A lock written by a live process (the parent of the test runner) stands for the running app.
    fs.writeFileSync(
      lockFileFor(sourceDir),
      JSON.stringify({ pid: process.ppid, host: os.hostname(), command: "next start" }),
    );
    try {
      const other = path.join(root, "while-locked.tar.gz");
      await expect(backupEmbedded(sourceDir, other)).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(restoreEmbedded(file, sourceDir, { force: true })).rejects.toBeInstanceOf(
        DatabaseLockedError,
      );
      expect(fs.existsSync(other)).toBe(false);
    } finally {
      fs.rmSync(lockFileFor(sourceDir), { force: true });
    }
  });

  it("refuses a backup of a directory this process has open", async () => {
    const open = await openDatabase({ kind: "pglite", dataDir: sourceDir });
    try {
      await expect(backupEmbedded(sourceDir, path.join(root, "x.tar.gz"))).rejects.toThrow(
        /open in this process/,
      );
    } finally {
      await open.close();
    }
  });
});
