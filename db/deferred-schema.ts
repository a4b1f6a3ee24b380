// Plain indexes, foreign keys and primary keys set aside while a bulk load fills empty tables,
// and restored after it. On an empty table, one sorted index build and one set-based foreign-key
// check at the end cost a fraction of maintaining the index and running the foreign-key trigger
// for every row inserted (pg_restore loads the same way). What was set aside is recorded in `deferred_schema`
// in the transaction that dropped it, so an interrupted load leaves a record, not a silently
// weaker schema: `restoreDeferredSchema` runs after migrations whenever a database is opened with
// them applied (always on PGlite; `npm run db:migrate` on PostgreSQL), and by the load itself;
// a PostgreSQL server starting meanwhile says so.
import { sql } from "drizzle-orm";
import { queryRows as rows, type Db } from "./client";

type Runner = Pick<Db, "execute" | "transaction">;

function tableList(tables: readonly string[]) {
  return sql.join(
    tables.map((t) => sql`${t}`),
    sql`, `,
  );
}

/**
 * When every table of `empty` is empty, drops the plain indexes (not primary keys, unique
 * indexes or indexes behind constraints) of `indexTables`, the foreign keys declared on
 * `foreignKeyTables`, the primary keys of `empty` and every foreign key that references one of
 * those (from any table: a key on an empty table has no rows to protect), and records how to
 * restore each. Returns how many were set aside (0 when
 * a table has rows: a database in use keeps its schema, others may be reading it).
 */
export async function deferSchemaIfEmpty(
  db: Runner,
  tables: {
    empty: readonly string[];
    indexTables: readonly string[];
    foreignKeyTables: readonly string[];
  },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [state] = await rows<{ empty: boolean }>(
      tx,
      sql.raw(
        `select ${tables.empty.map((t) => `not exists (select 1 from ${t})`).join(" and ")} as empty`,
      ),
    );
    if (!state?.empty) return 0;
    const deferred = await rows<{ kind: string; name: string; drop: string; restore: string }>(
      tx,
      sql`select 'index' as kind, i.indexrelid::regclass::text as name,
            format('drop index %s', i.indexrelid::regclass) as drop,
            pg_get_indexdef(i.indexrelid) as restore
          from pg_index i join pg_class t on t.oid = i.indrelid
          join pg_namespace n on n.oid = t.relnamespace
          where n.nspname = current_schema() and t.relname in (${tableList(tables.indexTables)})
            and not i.indisprimary and not i.indisunique
            and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
          union all
          select case c.contype when 'f' then 'foreign-key' else 'primary-key' end,
            format('%s.%s', c.conrelid::regclass, c.conname),
            format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname),
            format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
          from pg_constraint c join pg_class t on t.oid = c.conrelid
          join pg_namespace n on n.oid = t.relnamespace
          where n.nspname = current_schema()
            and ((c.contype = 'f' and t.relname in (${tableList(tables.foreignKeyTables)}))
              or (c.contype = 'f' and exists (select 1 from pg_class r
                    where r.oid = c.confrelid and r.relname in (${tableList(tables.empty)})))
              or (c.contype = 'p' and t.relname in (${tableList(tables.empty)})))
          order by 1, 2`,
    );
    for (const d of deferred) {
      await tx.execute(
        sql`insert into deferred_schema (kind, name, restore) values (${d.kind}, ${d.name}, ${d.restore})`,
      );
      await tx.execute(sql.raw(d.drop));
    }
    return deferred.length;
  });
}

/** How many indexes and keys are set aside now (0 unless a bulk load runs or stopped). */
export async function deferredSchemaCount(db: Db): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from deferred_schema`);
  return row?.n ?? 0;
}

/**
 * What a server starting on this database should say about items set aside (null: nothing is).
 * On PGlite, opening the database has already restored them; on PostgreSQL a bulk seed may be
 * running, or one stopped half-way.
 */
export async function deferredSchemaWarning(db: Db): Promise<string | null> {
  const n = await deferredSchemaCount(db);
  if (n === 0) return null;
  return (
    `${n} indexes and keys are set aside by a bulk seed: one is running, or one stopped ` +
    "half-way (then `npm run db:migrate` restores them)."
  );
}

/**
 * Restores everything `deferSchemaIfEmpty` set aside, indexes first (a foreign key's check may
 * use them), one per transaction that also deletes its record. Safe to run from two processes at
 * once: each takes a record with its row lock, and the other skips it. A foreign key the data
 * breaks fails here with PostgreSQL's message, and its record stays.
 */
export async function restoreDeferredSchema(
  db: Runner,
  log: (line: string) => void = () => undefined,
): Promise<number> {
  let restored = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const [next] = await rows<{ kind: string; name: string; restore: string }>(
        tx,
        sql`select kind, name, restore from deferred_schema
            order by case kind when 'primary-key' then 0 when 'index' then 1 else 2 end, name limit 1 for update skip locked`,
      );
      if (!next) return true;
      log(`restoring ${next.kind} ${next.name}…`);
      await tx.execute(sql.raw(next.restore));
      await tx.execute(
        sql`delete from deferred_schema where kind = ${next.kind} and name = ${next.name}`,
      );
      return false;
    });
    if (done) return restored;
    restored += 1;
  }
}
