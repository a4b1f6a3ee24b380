import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { resolveQualityFilters, type QualityMetricsQuery } from "@/lib/api/quality";
import { coverageQuery, periodRefs, prevalenceQuery } from "@/lib/server/quality";
import { createTestDatabase, type TestDatabase } from "../support/db";
import {
  referenceCoverageQuery,
  referenceCrossTabQuery,
  referencePrevalenceQuery,
} from "../support/quality-reference";

/*
 * The fast quality queries (bit masks and running sums over months, lib/server/quality.ts) must
 * give exactly the numbers of the direct definitions (tests/support/quality-reference.ts) on a
 * realistic cohort: the bulk demo seed (two years of visits, screens, DXAs, fractures,
 * retractions and same-day re-assessments), for many periods and filters. Two cohorts: one
 * ending today and one ending in April 2024, so that February 29 is a month end and a
 * twelve-month window starts on it.
 */

const PATIENTS = 240;

type Row = Record<string, unknown>;

interface Cohort {
  t: TestDatabase;
  today: string;
  siteIds: string[];
}

const cohorts: Cohort[] = [];

async function seedCohort(today: string): Promise<Cohort> {
  const t = await createTestDatabase();
  await seedDemo(t.db, { patients: PATIENTS, password: "demo-password", today, bulk: true });
  const sites = await queryRows<{ id: string }>(t.db, sql`select id::text as id from sites`);
  return { t, today, siteIds: sites.map((s) => s.id).sort() };
}

beforeAll(async () => {
  cohorts.push(await seedCohort("2026-11-26"), await seedCohort("2024-04-20"));
}, 300_000);
afterAll(async () => {
  for (const c of cohorts) await c.t.dispose();
});

const COUNT_FIELDS = {
  coverage: ["dep_den", "dep_num", "dxa_den", "dxa_num", "both_num"],
  prevalence: ["den", "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"],
} as const;

/** period → numbers; a period the query leaves out counts zero everywhere. */
function byPeriod(rows: Row[], fields: readonly string[], periods: string[]): Row {
  const out: Row = {};
  for (const period of periods) {
    const row = rows.find((r) => r.period === period);
    out[period] = Object.fromEntries(fields.map((f) => [f, Number(row?.[f] ?? 0)]));
  }
  return out;
}

function cells(rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const n = Number(r.n);
    if (n > 0) out[`${String(r.depression)}|${String(r.bone)}`] = n;
  }
  return out;
}

async function compare(db: Db, today: string, siteIds: string[], query: QualityMetricsQuery) {
  const f = resolveQualityFilters(query, today);
  const scope = f.site ? [f.site] : siteIds;
  const periods = [...periodRefs(f).map((ref) => ref.slice(0, 7)), "total"];
  const run = (q: SQL) => queryRows<Row>(db, q);

  const coverage = await run(coverageQuery(f, scope));
  const coverageRef = await run(referenceCoverageQuery(f, scope));
  expect(byPeriod(coverage, COUNT_FIELDS.coverage, periods)).toEqual(
    byPeriod(coverageRef, COUNT_FIELDS.coverage, periods),
  );

  const latest = await run(prevalenceQuery(f, scope));
  const prevalenceRef = await run(referencePrevalenceQuery(f, scope));
  expect(
    byPeriod(
      latest.filter((r) => r.band === null),
      COUNT_FIELDS.prevalence,
      periods,
    ),
  ).toEqual(byPeriod(prevalenceRef, COUNT_FIELDS.prevalence, periods));

  const crossTab = latest
    .filter((r) => r.band !== null && r.period === "total")
    .map((r) => ({ depression: r.band, bone: r.who, n: r.n }));
  expect(cells(crossTab)).toEqual(cells(await run(referenceCrossTabQuery(f, scope))));

  // Not a vacuous comparison: the cohort has patients in the numbers.
  return { coverage: coverageRef.length, prevalence: prevalenceRef.length };
}

describe("quality metrics: fast queries equal the direct definitions", () => {
  const recent: QualityMetricsQuery[] = [
    {},
    { from: "2021-11-27", to: "2026-11-26" },
    { from: "2025-02-10", to: "2026-03-15" },
    { from: "2026-05-05", to: "2026-05-05" },
    { from: "2025-12-31", to: "2026-01-31" },
    { sex: "female" },
    { sex: "male", ageBand: "75-84" },
    { ageBand: "<65" },
    { ageBand: "65-74", from: "2025-06-15", to: "2026-08-20" },
    { ageBand: "85+" },
  ];
  it.each(recent.map((q) => [JSON.stringify(q), q] as const))(
    "cohort ending 2026-11-26, %s",
    async (_, query) => {
      const c = cohorts[0]!;
      const seen = await compare(c.t.db, c.today, c.siteIds, query);
      if (Object.keys(query).length === 0) expect(seen.coverage).toBeGreaterThan(10);
    },
    120_000,
  );

  it("cohort ending 2026-11-26, each site alone", async () => {
    const c = cohorts[0]!;
    for (const site of c.siteIds) await compare(c.t.db, c.today, c.siteIds, { site });
  }, 120_000);

  const leap: QualityMetricsQuery[] = [
    {},
    { from: "2023-01-01", to: "2024-04-20" },
    { from: "2024-02-29", to: "2024-02-29" },
    { from: "2023-02-28", to: "2024-02-29" },
    { from: "2024-01-15", to: "2024-03-01" },
    { from: "2019-04-21", to: "2024-04-20" },
  ];
  it.each(leap.map((q) => [JSON.stringify(q), q] as const))(
    "cohort ending 2024-04-20, %s",
    async (_, query) => {
      const c = cohorts[1]!;
      const seen = await compare(c.t.db, c.today, c.siteIds, query);
      if (Object.keys(query).length === 0) expect(seen.prevalence).toBeGreaterThan(5);
    },
    120_000,
  );
});
