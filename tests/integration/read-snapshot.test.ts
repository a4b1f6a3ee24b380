import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows, readInOneSnapshot } from "@/db/client";
import { testDbKind, testDatabasePerFile } from "../support/db";

/*
 * readInOneSnapshot (db/client.ts): lanes of read-only queries that must agree. On PostgreSQL they
 * run on separate connections at once, sharing one exported snapshot; a write committed while
 * they run is seen by none of them. On PGlite they run one after another in one transaction.
 */

const t = testDatabasePerFile();
beforeAll(async () => {
  await t.db.execute(sql`create table snapshot_probe (n int not null)`);
  await t.db.execute(sql`insert into snapshot_probe values (1), (2)`);
});

const count = async (tx: Parameters<Parameters<typeof readInOneSnapshot>[2][number]>[0]) =>
  Number(
    (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from snapshot_probe`))[0]!.n,
  );

describe("readInOneSnapshot", () => {
  it("runs every lane, with the setup applied in each", async () => {
    const seen: string[] = [];
    await readInOneSnapshot(
      t.db,
      async (tx) => {
        await tx.execute(sql`set local work_mem = '8MB'`);
      },
      [1, 2, 3].map((lane) => async (tx) => {
        const [row] = await queryRows<{ w: string; ro: string }>(
          tx,
          sql`select current_setting('work_mem') as w, current_setting('transaction_read_only') as ro`,
        );
        seen.push(`${lane}:${row!.w}:${row!.ro}`);
      }),
    );
    expect(seen.sort()).toEqual(["1:8MB:on", "2:8MB:on", "3:8MB:on"]);
  });

  it.skipIf(testDbKind() !== "postgres")(
    "lanes on separate connections share one snapshot: a write committed meanwhile is unseen",
    async () => {
      const counts: number[] = [];
      let release!: () => void;
      const written = new Promise<void>((resolve) => (release = resolve));
      await readInOneSnapshot(t.db, () => Promise.resolve(), [
        async (tx) => {
          counts.push(await count(tx));
          // Committed on a third connection while both lanes' transactions are open.
          await t.db.execute(sql`insert into snapshot_probe values (3)`);
          release();
        },
        async (tx) => {
          await written;
          counts.push(await count(tx));
        },
      ]);
      expect(counts).toEqual([2, 2]);
      expect(await count(t.db as never)).toBe(3);
      await t.db.execute(sql`delete from snapshot_probe where n = 3`);
    },
  );

  it("on PostgreSQL each lane has its own connection; on PGlite they share the one", async () => {
    const pids: number[] = [];
    await readInOneSnapshot(
      t.db,
      () => Promise.resolve(),
      [0, 1].map(() => async (tx) => {
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        pids.push(Number(row!.pid));
      }),
    );
    expect(new Set(pids).size).toBe(testDbKind() === "postgres" ? 2 : 1);
  });

  it("with oneConnection the lanes share one connection, one after the other", async () => {
    const pids: number[] = [];
    const order: string[] = [];
    await readInOneSnapshot(
      t.db,
      () => Promise.resolve(),
      [0, 1].map((i) => async (tx) => {
        order.push(`start ${i}`);
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        pids.push(Number(row!.pid));
        order.push(`end ${i}`);
      }),
      { oneConnection: true },
    );
    expect(new Set(pids).size).toBe(1);
    expect(order).toEqual(["start 0", "end 0", "start 1", "end 1"]);
  });

  it("a failing lane fails the whole read, and leaves no transaction open", async () => {
    await expect(
      readInOneSnapshot(t.db, () => Promise.resolve(), [
        async (tx) => {
          await count(tx);
        },
        async (tx) => {
          await tx.execute(sql`select * from no_such_table`);
        },
      ]),
    ).rejects.toThrow();
    // The database still answers (nothing is left holding the PGlite connection or the pool).
    expect(await count(t.db as never)).toBe(2);
  });

  it("refuses writes in a lane (read only)", async () => {
    await expect(
      readInOneSnapshot(t.db, () => Promise.resolve(), [
        async (tx) => {
          await tx.execute(sql`insert into snapshot_probe values (9)`);
        },
      ]),
    ).rejects.toThrow();
    expect(await count(t.db as never)).toBe(2);
  });
});
