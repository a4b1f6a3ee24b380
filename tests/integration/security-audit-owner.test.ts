import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type Database } from "@/db/client";
import { recordAudit } from "@/lib/server/audit";
import {
  createEmptyPostgresDatabase,
  createTestDatabase,
  testDbKind,
  type TestDatabase,
} from "../support/db";
import { makeWorld, phq9Items, recordWorldVisit } from "../support/fixtures";

/*
 * audit_events belongs to bbc_audit_owner (migration 0013); the app's role keeps SELECT and
 * INSERT. On PostgreSQL this follows the deployment steps of SECURITY.md with a role that is not a
 * superuser; the embedded database has one role, a superuser, so there only the ownership shows
 * (the triggers are its protection: audit.test.ts).
 */

const owner = async (db: Database["db"]) =>
  (
    await queryRows<{ owner: string }>(
      db,
      sql`select tableowner as owner from pg_tables where tablename = 'audit_events'`,
    )
  )[0]?.owner;

describe.runIf(testDbKind() === "pglite")("the embedded database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("hands audit_events to bbc_audit_owner; the app (its superuser) still writes and reads", async () => {
    expect(await owner(t.db)).toBe("bbc_audit_owner");
    await recordAudit(t.db, null, { action: "test.event" });
    const rows = await queryRows(t.db, sql`select action from audit_events`);
    expect(rows).toEqual([{ action: "test.event" }]);
  });
});

describe.runIf(testDbKind() === "postgres")(
  "PostgreSQL with an app role that is not a superuser",
  () => {
    const base = process.env.TEST_DATABASE_URL ?? "";
    const role = `bbc_app_${process.pid}_${Date.now().toString(36)}`;
    const databases: { url: string; drop(): Promise<void> }[] = [];
    let app: Database;
    let appClient: pg.Client;

    async function asSuperuser(url: string, statements: string[]): Promise<void> {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        for (const statement of statements) await c.query(statement);
      } finally {
        await c.end();
      }
    }

    /** A new database the superuser owns, in which `role` may create its tables (SECURITY.md). */
    async function databaseFor(member: boolean): Promise<{ superUrl: string; appUrl: string }> {
      const created = await createEmptyPostgresDatabase();
      databases.push(created);
      const name = new URL(created.url).pathname.slice(1);
      await asSuperuser(created.url, [
        `grant create on database "${name}" to ${role}`,
        `grant create on schema public to ${role}`,
        ...(member
          ? [`grant create on schema public to bbc_audit_owner`, `grant bbc_audit_owner to ${role}`]
          : []),
      ]);
      const appUrl = new URL(created.url);
      appUrl.username = role;
      // The app's own role connects to the server itself: a pooler in front of it (CI runs one)
      // knows only its configured users, and what is tested here is the server's privileges.
      const direct = process.env.TEST_DIRECT_DATABASE_URL;
      if (direct) appUrl.host = new URL(direct).host;
      return { superUrl: created.url, appUrl: appUrl.toString() };
    }

    beforeAll(async () => {
      await asSuperuser(base, [
        `create role ${role} login`,
        // Created once per server; a concurrent creation elsewhere is fine.
        `do $$ begin create role bbc_audit_owner nologin; exception when duplicate_object or unique_violation then null; end $$`,
      ]);
      const { superUrl, appUrl } = await databaseFor(true);
      // The app's role migrates (as `npm run db:migrate` would), then loses the membership.
      app = await openDatabase({ kind: "postgres", url: appUrl, poolMax: 2 }, { migrate: "apply" });
      await asSuperuser(superUrl, [`revoke bbc_audit_owner from ${role}`]);
      appClient = new pg.Client({ connectionString: appUrl });
      await appClient.connect();
    });
    afterAll(async () => {
      await appClient?.end();
      await app?.close();
      for (const d of databases) await d.drop();
      await asSuperuser(base, [`drop role if exists ${role}`]);
    });

    it("gives audit_events to bbc_audit_owner and runs the app as before", async () => {
      expect(await owner(app.db)).toBe("bbc_audit_owner");
      const world = await makeWorld(app.db);
      await recordWorldVisit(app.db, world, "2026-11-20", [{ kind: "phq9", items: phq9Items(16) }]);
      await recordAudit(app.db, world.actor, { action: "test.event" });
      const rows = await queryRows<{ action: string }>(
        app.db,
        sql`select action from audit_events order by id`,
      );
      expect(rows.map((r) => r.action)).toEqual(["visits.create", "test.event"]);
    });

    it.each([
      ["UPDATE", "update audit_events set action = 'tampered'", /permission denied/],
      ["DELETE", "delete from audit_events", /permission denied/],
      ["TRUNCATE", "truncate audit_events", /permission denied/],
      ["DISABLE TRIGGER", "alter table audit_events disable trigger all", /must be owner/],
      [
        "DISABLE the append-only trigger",
        "alter table audit_events disable trigger audit_events_no_update_delete",
        /must be owner/,
      ],
      ["DROP", "drop table audit_events", /must be owner/],
      [
        "replacing the trigger function",
        "create or replace function audit_events_refuse_change() returns trigger language plpgsql as 'begin return new; end'",
        /must be owner/,
      ],
      ["taking the role", "set role bbc_audit_owner", /permission denied/],
    ])("refuses %s to the app's role", async (_label, statement, message) => {
      await expect(appClient.query(statement)).rejects.toThrow(message);
    });

    it("leaves the table to a migrating role that may not hand it over (the triggers remain)", async () => {
      const { appUrl } = await databaseFor(false);
      const plain = await openDatabase(
        { kind: "postgres", url: appUrl, poolMax: 1 },
        { migrate: "apply" },
      );
      try {
        expect(await owner(plain.db)).toBe(role);
        await recordAudit(plain.db, null, { action: "test.event" });
      } finally {
        await plain.close();
      }
    });
  },
);
