import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { createPostgresDatabase } from "./pg-database";

export type TestDbKind = "pglite" | "postgres";

/** Which database this vitest project runs on (set per project in vitest.config.ts). */
export function testDbKind(): TestDbKind {
  return process.env.TEST_DB_KIND === "postgres" ? "postgres" : "pglite";
}

export interface TestDatabase extends Database {
  dispose(): Promise<void>;
}

let counter = 0;

/**
 * A fresh database for the calling test file, opened before its tests and disposed after them;
 * `onOpen` runs once it is open (for example to make it the app's database).
 */
export function testDatabasePerFile(onOpen?: (database: TestDatabase) => void): {
  readonly db: Database["db"];
} {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    onOpen?.(t);
  });
  afterAll(async () => {
    await t?.dispose();
  });
  return {
    get db() {
      if (!t) throw new Error("the test database is not open yet");
      return t.db;
    },
  };
}

/**
 * A fresh, migrated database for one test file: a temporary PGlite directory, or a new database
 * on the TEST_DATABASE_URL server (created here, dropped by dispose()).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-test-"));
    const dataDir = path.join(dir, "pglite");
    const database = await openDatabase({ kind: "pglite", dataDir });
    return {
      ...database,
      dispose: async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("TEST_DB_KIND=postgres needs TEST_DATABASE_URL");
  const base = new URL(baseUrl);
  const name =
    `${base.pathname.slice(1) || "test"}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase();
  const created = await createPostgresDatabase(baseUrl, name);
  const database = await openDatabase(
    { kind: "postgres", url: created.url, poolMax: 5 },
    { migrate: "apply" },
  );
  return {
    ...database,
    dispose: async () => {
      await database.close();
      await created.drop();
    },
  };
}

/** The URL of a new, empty database on the TEST_DATABASE_URL server, and a function to drop it. */
export async function createEmptyPostgresDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("needs TEST_DATABASE_URL");
  const name = `empty_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  return createPostgresDatabase(baseUrl, name);
}
