import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, queryRows as rows, type Database, type Db } from "@/db/client";
import {
  deferSchemaIfEmpty,
  deferredSchemaCount,
  deferredSchemaWarning,
  restoreDeferredSchema,
} from "@/db/deferred-schema";
import { createEmptyPostgresDatabase, testDbKind } from "../support/db";

/*
 * The bulk seed sets aside indexes and keys of the tables it fills while they are empty. These
 * tests hold it to its promise: whatever happens, the schema comes back exactly as migrated,
 * including after a load that stopped half-way (the next open restores it), and a key the data
 * breaks is refused, not dropped.
 */

const FILLED = ["visits", "observations", "assessments", "flags", "flag_events"];
const TABLES = {
  empty: FILLED,
  indexTables: FILLED,
  foreignKeyTables: [...FILLED, "patient_state"],
};

/** A database that can be closed and opened again, as a new process would. */
interface Reopenable {
  open(): Promise<Database>;
  drop(): Promise<void>;
}

async function reopenable(): Promise<Reopenable> {
  if (testDbKind() === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-deferred-"));
    return {
      open: () => openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") }),
      drop: () => {
        fs.rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const empty = await createEmptyPostgresDatabase();
  return {
    open: () =>
      openDatabase({ kind: "postgres", url: empty.url, poolMax: 2 }, { migrate: "apply" }),
    drop: () => empty.drop(),
  };
}

/** Every index and constraint of the schema, as PostgreSQL describes them. */
async function schemaShape(db: Db) {
  return {
    indexes: await rows(
      db,
      sql`select tablename, indexname, indexdef from pg_indexes
          where schemaname = current_schema() order by tablename, indexname`,
    ),
    constraints: await rows(
      db,
      sql`select c.conrelid::regclass::text as tbl, c.conname, pg_get_constraintdef(c.oid) as def
          from pg_constraint c join pg_namespace n on n.oid = c.connamespace
          where n.nspname = current_schema() order by 1, 2`,
    ),
  };
}

async function foreignKeysOn(db: Db, table: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_constraint where contype = 'f' and conrelid = ${table}::regclass`,
  );
  return row!.n;
}

const opened: Database[] = [];
const created: Reopenable[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close().catch(() => undefined);
  for (const r of created.splice(0)) await r.drop();
});

async function fresh(): Promise<{ target: Reopenable; database: Database }> {
  const target = await reopenable();
  created.push(target);
  const database = await target.open();
  opened.push(database);
  return { target, database };
}

describe("deferred schema (bulk loads)", () => {
  it("sets aside plain indexes, foreign keys and primary keys of empty tables, and restores them exactly", async () => {
    const { database } = await fresh();
    const db = database.db;
    const migrated = await schemaShape(db);
    const n = await deferSchemaIfEmpty(db, TABLES);
    expect(n).toBeGreaterThan(30);
    expect(await deferredSchemaCount(db)).toBe(n);
    // What a server starting now prints.
    expect(await deferredSchemaWarning(db)).toMatch(
      new RegExp(`^${n} indexes and keys are set aside by a bulk seed.*npm run db:migrate`),
    );
    expect(await foreignKeysOn(db, "observations")).toBe(0);
    const during = await schemaShape(db);
    expect(during.indexes.map((r) => (r as { indexname: string }).indexname)).not.toContain(
      "observations_quality_idx",
    );
    expect(during.constraints.map((r) => (r as { conname: string }).conname)).not.toContain(
      "visits_pkey",
    );
    // Tables outside the load keep theirs.
    expect(during.constraints.map((r) => (r as { conname: string }).conname)).toContain(
      "patients_pkey",
    );
    expect(await restoreDeferredSchema(db)).toBe(n);
    expect(await deferredSchemaCount(db)).toBe(0);
    expect(await deferredSchemaWarning(db)).toBeNull();
    expect(await schemaShape(db)).toEqual(migrated);
  });

  it("records only the kinds it knows how to restore", async () => {
    const { database } = await fresh();
    await expect(
      database.db.execute(
        sql`insert into deferred_schema (kind, name, restore) values ('view', 'v', 'select 1')`,
      ),
    ).rejects.toThrow();
    expect(await deferredSchemaCount(database.db)).toBe(0);
  });

  it("leaves a schema in use alone: nothing is set aside once the tables have rows", async () => {
    const { database } = await fresh();
    const db = database.db;
    const [site] = await rows<{ id: string }>(
      db,
      sql`insert into sites (code, name) values ('T1', 'Test site') returning id`,
    );
    const [patient] = await rows<{ id: string }>(
      db,
      sql`insert into patients (site_id, mrn, given_name, family_name, birth_date, sex)
          values (${site!.id}, 'MRN-1', 'Ada', 'Test', '1940-01-01', 'female') returning id`,
    );
    await db.execute(
      sql`insert into visits (patient_id, occurred_on) values (${patient!.id}, '2026-01-01')`,
    );
    const before = await schemaShape(db);
    expect(await deferSchemaIfEmpty(db, TABLES)).toBe(0);
    expect(await schemaShape(db)).toEqual(before);
  });

  it("restores what an interrupted load set aside the next time the database is opened", async () => {
    const { target, database } = await fresh();
    const migrated = await schemaShape(database.db);
    expect(await deferSchemaIfEmpty(database.db, TABLES)).toBeGreaterThan(0);
    // The load stops here: no restore.
    await database.close();
    opened.splice(opened.indexOf(database), 1);
    const again = await target.open();
    opened.push(again);
    expect(await deferredSchemaCount(again.db)).toBe(0);
    expect(await schemaShape(again.db)).toEqual(migrated);
  });

  it("refuses a foreign key the loaded data breaks, keeps its record, and restores it once mended", async () => {
    const { database } = await fresh();
    const db = database.db;
    const migrated = await schemaShape(db);
    await deferSchemaIfEmpty(db, TABLES);
    // A visit of a patient that does not exist: possible only while the key is set aside.
    await db.execute(
      sql`insert into visits (patient_id, occurred_on)
          values ('00000000-0000-4000-8000-000000000000', '2026-01-01')`,
    );
    await expect(restoreDeferredSchema(db)).rejects.toThrow(/visits_patient_id_patients_id_fk/);
    const left = await rows<{ name: string }>(db, sql`select name from deferred_schema`);
    expect(left.map((r) => r.name)).toContain("visits.visits_patient_id_patients_id_fk");
    await db.execute(sql`delete from visits`);
    await restoreDeferredSchema(db);
    expect(await deferredSchemaCount(db)).toBe(0);
    expect(await schemaShape(db)).toEqual(migrated);
  });
});
