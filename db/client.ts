import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { env } from "@/lib/env";
import { restoreDeferredSchema } from "./deferred-schema";
import { acquireDataDirLock, releaseDataDirLock } from "./lock";
import * as schema from "./schema";

export type Schema = typeof schema;
/** One type for both drivers: the query builder is the same PostgreSQL dialect. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; url: string; poolMax?: number; replicaUrl?: string };

/** A streaming replica's pool, opened beside the primary's (heavy reads only). */
export interface Replica {
  db: Db;
  label: string;
  pool: pg.Pool;
}

export interface Database {
  db: Db;
  kind: DatabaseConfig["kind"];
  /** Where it lives, without credentials (for logs and health). */
  label: string;
  /** The read replica, when DATABASE_REPLICA_URL is set. */
  replica?: Replica;
  close(): Promise<void>;
}

export class MigrationsBehindError extends Error {
  constructor(applied: number, expected: number) {
    super(
      `The database schema is behind: ${applied} of ${expected} migrations applied. ` +
        `Run \`npm run db:migrate\` before starting the app.`,
    );
    this.name = "MigrationsBehindError";
  }
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Migration journal entries committed in db/migrations (drizzle-kit). */
function journal(): { when: number; tag: string }[] {
  const file = path.join(MIGRATIONS_FOLDER, "meta", "_journal.json");
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as {
    entries: { when: number; tag: string }[];
  };
  return parsed.entries;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "postgres://(unparseable url)";
  }
}

/** Runs a raw SQL query and returns its rows (the same shape on both drivers). */
export async function queryRows<T extends Record<string, unknown>>(
  db: Db | Tx,
  query: SQL,
): Promise<T[]> {
  const result = await db.execute<T>(query);
  return (result as { rows: T[] }).rows;
}

/**
 * Marks databases that hold several connections (a PostgreSQL pool; PGlite has exactly one). A
 * property under a registered symbol, not a module-level set: the Next.js server bundles this
 * module more than once, and each copy would have its own set.
 */
const POOLED = Symbol.for("bone-brain-care.db.pooled");

function isPooled(db: Db): boolean {
  return (db as unknown as Record<symbol, unknown>)[POOLED] !== undefined;
}

/** The node-postgres pool behind a database, if it has one (pool usage metrics). */
export function poolOf(db: Db): pg.Pool | undefined {
  const pool = (db as unknown as Record<symbol, unknown>)[POOLED];
  return pool instanceof pg.Pool ? pool : undefined;
}

/** The replica opened with the primary `db`, if any (a property for the same reason as POOLED). */
const REPLICA = Symbol.for("bone-brain-care.db.replica");

export function replicaOf(db: Db): Replica | undefined {
  return (db as unknown as Record<symbol, Replica | undefined>)[REPLICA];
}

function openPool(url: string, max: number): { pool: pg.Pool; db: Db } {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on("error", () => undefined);
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
  Object.defineProperty(db, POOLED, { value: pool });
  return { pool, db };
}

/**
 * Runs read-only lanes of queries that must all see the same data (one REPEATABLE READ
 * snapshot). On a PostgreSQL pool the lanes run at the same time on separate connections: the
 * first transaction exports its snapshot (pg_export_snapshot) and the others adopt it (SET
 * TRANSACTION SNAPSHOT), so a multi-query report uses more than one core. On PGlite (one
 * connection) they run one after the other in one transaction, and so they do with `oneConnection`
 * (a background job that should leave the other cores to requests). `setup` runs first in every
 * transaction (SET LOCAL settings).
 */
export async function readInOneSnapshot(
  db: Db,
  setup: (tx: Tx) => Promise<void>,
  lanes: readonly ((tx: Tx) => Promise<void>)[],
  { oneConnection = false }: { oneConnection?: boolean } = {},
): Promise<void> {
  const begin = async (tx: Tx, snapshot: string | null) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    if (snapshot !== null) {
      // An identifier PostgreSQL gave us, checked before it is spliced in (no parameters here).
      if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(snapshot)) throw new Error("bad snapshot id");
      await tx.execute(sql.raw(`set transaction snapshot '${snapshot}'`));
    }
    await setup(tx);
  };
  if (oneConnection || !isPooled(db) || lanes.length < 2) {
    await db.transaction(async (tx) => {
      await begin(tx, null);
      for (const lane of lanes) await lane(tx);
    });
    return;
  }
  const [first, ...rest] = lanes;
  await db.transaction(async (tx) => {
    await begin(tx, null);
    const [row] = await queryRows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
    const snapshot = row!.id;
    // The exporting transaction stays open until every other lane has finished.
    const others = Promise.allSettled(
      rest.map((lane) =>
        db.transaction(async (other) => {
          await begin(other, snapshot);
          await lane(other);
        }),
      ),
    );
    const mine = await Promise.allSettled([first!(tx)]);
    const failed = [...mine, ...(await others)].find((r) => r.status === "rejected");
    if (failed) {
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
  });
}

/** How many committed migrations are applied (drizzle's own bookkeeping table). */
export async function migrationStatus(db: Db): Promise<{ applied: number; expected: number }> {
  const entries = journal();
  const [existsRow] = await queryRows<{ exists: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!existsRow?.exists) return { applied: 0, expected: entries.length };
  const [lastRow] = await queryRows<{ last: string | null }>(
    db,
    sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`,
  );
  const last = Number(lastRow?.last ?? 0);
  return { applied: entries.filter((e) => e.when <= last).length, expected: entries.length };
}

/**
 * Opens a database. Embedded: takes the data-directory lock, creates the directory and applies
 * migrations. Server: applies migrations only when asked (`npm run db:migrate`), otherwise refuses
 * a schema that is behind.
 */
export async function openDatabase(
  config: DatabaseConfig,
  options: { migrate?: "apply" | "check" } = {},
): Promise<Database> {
  if (config.kind === "pglite") {
    const dataDir = path.resolve(config.dataDir);
    acquireDataDirLock(dataDir);
    try {
      fs.mkdirSync(path.dirname(dataDir), { recursive: true });
      const client = await PGlite.create(dataDir);
      const db = drizzlePglite({ client, schema }) as unknown as Db;
      // The embedded database is ours alone (we hold the lock): always bring it up to date.
      await migratePglite(db as unknown as Parameters<typeof migratePglite>[0], {
        migrationsFolder: MIGRATIONS_FOLDER,
      });
      // What an interrupted bulk seed set aside (we hold the lock: no load runs now).
      await restoreDeferredSchema(db);
      return {
        db,
        kind: "pglite",
        label: `pglite:${dataDir}`,
        close: async () => {
          await client.close();
          releaseDataDirLock(dataDir);
        },
      };
    } catch (error) {
      releaseDataDirLock(dataDir);
      throw error;
    }
  }
  const { pool, db } = openPool(config.url, config.poolMax ?? 10);
  try {
    if (options.migrate === "apply") {
      const client = await pool.connect();
      try {
        // Several instances may start at once: one migrates, the others wait for it. The lock is
        // transaction-scoped (a pooler in transaction mode keeps no session): drizzle's own
        // transaction runs inside this one, whose commit ends both and releases the lock.
        await client.query("begin");
        await client.query("select pg_advisory_xact_lock(7263541)");
        const single = drizzleNodePg({ client, schema });
        await migrateNodePg(single, { migrationsFolder: MIGRATIONS_FOLDER });
        await client.query("commit");
        // What an interrupted bulk seed set aside (a seed running now may restore it too: each
        // item is restored once).
        await restoreDeferredSchema(single);
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } else {
      const status = await migrationStatus(db);
      if (status.applied < status.expected) {
        throw new MigrationsBehindError(status.applied, status.expected);
      }
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const replica = config.replicaUrl
    ? { ...openPool(config.replicaUrl, config.poolMax ?? 10), label: redact(config.replicaUrl) }
    : undefined;
  if (replica) Object.defineProperty(db, REPLICA, { value: replica });
  return {
    db,
    kind: "postgres",
    label: redact(config.url),
    ...(replica ? { replica } : {}),
    close: async () => {
      await Promise.all([pool.end(), replica?.pool.end()]);
    },
  };
}

/** The configuration from the environment (DATABASE_URL, else PGLITE_DIR). */
export function configFromEnv(): DatabaseConfig {
  const e = env();
  return e.DATABASE_URL
    ? {
        kind: "postgres",
        url: e.DATABASE_URL,
        poolMax: e.DATABASE_POOL_MAX,
        ...(e.DATABASE_REPLICA_URL ? { replicaUrl: e.DATABASE_REPLICA_URL } : {}),
      }
    : { kind: "pglite", dataDir: e.PGLITE_DIR };
}

const globalForDb = globalThis as unknown as { __boneBrainDatabase?: Promise<Database> };

/**
 * The process's database, opened once. Cached on globalThis so that `next dev` reloads and the
 * production server (which may load this module from more than one bundle) share one instance.
 */
export function getDatabase(): Promise<Database> {
  if (!globalForDb.__boneBrainDatabase) {
    const opening = openDatabase(configFromEnv());
    globalForDb.__boneBrainDatabase = opening;
    opening.catch(() => {
      // Let the next call try again (e.g. after the other holder of the lock stopped).
      if (globalForDb.__boneBrainDatabase === opening) globalForDb.__boneBrainDatabase = undefined;
    });
  }
  return globalForDb.__boneBrainDatabase;
}

/** Installs an already-open database as the process's database (server start, tests). */
export function setDatabase(database: Database): void {
  globalForDb.__boneBrainDatabase = Promise.resolve(database);
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Closes the process's database, if open. */
export async function closeDatabase(): Promise<void> {
  const current = globalForDb.__boneBrainDatabase;
  globalForDb.__boneBrainDatabase = undefined;
  if (current) await (await current).close();
}
