// npx tsx tests/bench/explain.ts <postgres-url>: EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the
// worklist's first page, the quality metrics and the patient list, as care@/quality@/clinician@
// example.org (the bench's users). Reads only; for finding missing indexes. TIMES=n times each
// query n times without EXPLAIN instead.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Db } from "../../db/client";
import * as schema from "../../db/schema";
import { worklistQuerySchema } from "../../lib/api/worklist";
import { findUserByEmail } from "../../lib/server/users";
import { listPatients } from "../../lib/server/patients";
import { getQualityMetrics } from "../../lib/server/quality";
import { listWorklist } from "../../lib/server/worklist";
import type { Actor } from "../../lib/server/context";

const url = process.argv[2];
if (!url) throw new Error("usage: explain.ts <postgres-url>");
const pool = new pg.Pool({ connectionString: url, max: 2 });
// The settings the quality metrics run with (lib/server/quality/metrics.ts), so that plans and
// timings are the app's.
pool.on("connect", (client) => {
  void client.query(
    "set jit = off; set work_mem = '64MB'; set max_parallel_workers_per_gather = 0",
  );
});
const captured: { query: string; params: unknown[] }[] = [];
const db = drizzle({
  client: pool,
  schema,
  logger: { logQuery: (query, params) => captured.push({ query, params }) },
}) as unknown as Db;

async function actor(email: string): Promise<Actor> {
  const u = (await findUserByEmail(db, email))!;
  return {
    userId: u.id,
    email,
    name: u.name,
    role: u.role,
    siteIds: u.siteIds,
    ip: null,
    userAgent: null,
  };
}

async function explainAll(label: string, run: () => Promise<unknown>) {
  captured.length = 0;
  const t0 = performance.now();
  await run();
  console.log(`\n==== ${label}: ${(performance.now() - t0).toFixed(1)} ms through the use-case`);
  for (const { query, params } of [...captured]) {
    if (!/^\s*(select|with)/i.test(query)) continue;
    if (process.env.TIMES) {
      // Wall time of each query alone, without EXPLAIN's per-row instrumentation.
      const runs: number[] = [];
      for (let i = 0; i < Number(process.env.TIMES); i++) {
        const t = performance.now();
        await pool.query(query, params);
        runs.push(performance.now() - t);
      }
      runs.sort((a, b) => a - b);
      const line = query.replace(/\s+/g, " ").slice(0, 110);
      console.log(
        `${runs[0]!.toFixed(1).padStart(9)} ms min ${runs[runs.length >> 1]!.toFixed(1).padStart(9)} ms median  ${line}`,
      );
      continue;
    }
    const res = await pool.query(`explain (analyze, buffers) ${query}`, params);
    const lines = res.rows.map((r: Record<string, string>) => r["QUERY PLAN"] ?? "");
    console.log(`-- ${query.replace(/\s+/g, " ").slice(0, 160)}`);
    console.log(
      lines
        .filter((l) => process.env.FULL || /actual time|Execution Time|Index|Seq Scan|Sort/.test(l))
        .slice(0, process.env.FULL ? 400 : 40)
        .join("\n"),
    );
  }
}

const care = await actor("care@example.org");
const quality = await actor("quality@example.org");
const clinician = await actor("clinician@example.org");
await explainAll("worklist first page", () =>
  listWorklist({ db, actor: care }, worklistQuerySchema.parse({}), new Date(), false),
);
if (!process.env.SKIP_QUALITY) {
  // Emptied first: a cached result would run no metric query at all.
  await db.execute(sql`delete from quality_cache`);
  await explainAll("quality metrics", () => getQualityMetrics({ db, actor: quality }, {}));
}
await explainAll("patients first page", () =>
  listPatients({ db, actor: clinician }, { limit: 50 }),
);
await pool.end();
