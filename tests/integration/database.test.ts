import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrationStatus, MigrationsBehindError, openDatabase } from "@/db/client";
import {
  acquireDataDirLock,
  DatabaseLockedError,
  lockFileFor,
  releaseDataDirLock,
} from "@/db/lock";
import { patients, sites, users } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { createEmptyPostgresDatabase, testDbKind, testDatabasePerFile } from "../support/db";

const t = testDatabasePerFile();

describe("migrations", () => {
  it("apply every committed migration and create the tables", async () => {
    const status = await migrationStatus(t.db);
    expect(status.expected).toBeGreaterThan(0);
    expect(status.applied).toBe(status.expected);
    const res = await t.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = (res as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
    for (const table of [
      "sites",
      "users",
      "user_sites",
      "patients",
      "visits",
      "observations",
      "assessments",
      "flags",
      "flag_events",
      "patient_state",
      "audit_events",
      "login_attempts",
    ]) {
      expect(names).toContain(table);
    }
  });

  it("enforce one MRN per site", async () => {
    await seedDemo(t.db, {
      patients: 3,
      password: "demo-password",
      today: "2026-11-26",
      history: false,
    });
    const [p] = await t.db.select().from(patients).limit(1);
    await expect(t.db.insert(patients).values({ ...p!, id: undefined })).rejects.toThrow();
  });

  it("seeding is idempotent and deterministic", async () => {
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(patients);
    const again = await seedDemo(t.db, {
      patients: 3,
      password: "demo-password",
      today: "2026-11-26",
      history: false,
    });
    expect(again.usersCreated).toBe(0);
    expect(again.patientsCreated).toBe(0);
    const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(patients);
    expect(after[0]?.n).toBe(before[0]?.n);
    expect((await t.db.select().from(sites)).length).toBe(2);
    expect((await t.db.select().from(users)).length).toBe(4);
  });

  it.runIf(testDbKind() === "postgres")(
    "refuses a PostgreSQL database whose migrations are behind",
    async () => {
      const empty = await createEmptyPostgresDatabase();
      try {
        await expect(openDatabase({ kind: "postgres", url: empty.url })).rejects.toBeInstanceOf(
          MigrationsBehindError,
        );
        const migrated = await openDatabase(
          { kind: "postgres", url: empty.url },
          { migrate: "apply" },
        );
        await migrated.close();
        const reopened = await openDatabase({ kind: "postgres", url: empty.url });
        await reopened.close();
      } finally {
        await empty.drop();
      }
    },
  );
});

describe("embedded data-directory lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-lock-"));
  const dataDir = path.join(dir, "pglite");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses a second process at once with a clear message, and keeps the first's lock", () => {
    acquireDataDirLock(dataDir);
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import("./db/lock.ts").then(m => m.acquireDataDirLock(${JSON.stringify(dataDir)}))`,
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("is in use by another process");
    expect(child.stderr).toContain(`pid ${process.pid}`);
    const lock = JSON.parse(fs.readFileSync(lockFileFor(dataDir), "utf8")) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    releaseDataDirLock(dataDir);
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);
  });

  it("takes over a lock left by a dead process", () => {
    fs.writeFileSync(
      lockFileFor(dataDir),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), command: "gone" }),
    );
    expect(() => acquireDataDirLock(dataDir)).not.toThrow();
    releaseDataDirLock(dataDir);
  });

  it("throws DatabaseLockedError in-process for a live holder", () => {
    fs.writeFileSync(
      lockFileFor(dataDir),
      JSON.stringify({ pid: process.ppid, host: os.hostname(), command: "parent" }),
    );
    expect(() => acquireDataDirLock(dataDir)).toThrow(DatabaseLockedError);
    fs.rmSync(lockFileFor(dataDir));
  });

  it("keeps data across close and reopen", async () => {
    const first = await openDatabase({ kind: "pglite", dataDir });
    await seedDemo(first.db, {
      patients: 5,
      password: "demo-password",
      today: "2026-11-26",
      history: false,
    });
    await first.close();
    const second = await openDatabase({ kind: "pglite", dataDir });
    const rows = await second.db.select({ n: sql<number>`count(*)::int` }).from(patients);
    expect(rows[0]?.n).toBe(5);
    await second.close();
  });
});
