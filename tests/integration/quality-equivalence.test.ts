import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { seedDemo } from "@/lib/seed/demo";
import { resolveQualityFilters, type QualityMetricsQuery } from "@/lib/api/quality";
import {
  coverageQuery,
  periodRefs,
  prevalenceQuery,
  rulePerformanceQuery,
  timeToActionQuery,
} from "@/lib/server/quality";
import { createTestDatabase, type TestDatabase } from "../support/db";
import {
  referenceCoverageQuery,
  referenceCrossTabQuery,
  referenceFlagsQuery,
  referencePrevalenceQuery,
  referenceRulePerformance,
  referenceTimeToAction,
  type ReferenceFlag,
} from "../support/quality-reference";

/*
 * The fast quality queries (bit masks and running sums over months, lib/server/quality/) must
 * give exactly the numbers of the direct definitions (tests/support/quality-reference.ts; time
 * to action and rule performance computed there flag by flag in TypeScript) on a
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

type Levels = Record<string, Record<string, Record<string, unknown>>>;

/**
 * Time-to-action rows compared whole, except the medians, which are compared to 1e-6 days: they
 * are float8 sums in SQL and in JavaScript, which may differ in the last digits.
 */
function expectSameTimeToAction(actual: Levels, expected: Levels) {
  const split = (levels: Levels) => {
    const medians: Record<string, unknown> = {};
    const rest: Levels = {};
    for (const [level, groups] of Object.entries(levels)) {
      rest[level] = {};
      for (const [key, { ack_median, res_median, ...counts }] of Object.entries(groups)) {
        rest[level][key] = counts;
        medians[`${level}|${key}|ack`] = ack_median;
        medians[`${level}|${key}|res`] = res_median;
      }
    }
    return { medians, rest };
  };
  const a = split(actual);
  const e = split(expected);
  expect(a.rest).toEqual(e.rest);
  expect(Object.keys(a.medians).sort()).toEqual(Object.keys(e.medians).sort());
  for (const [key, value] of Object.entries(e.medians)) {
    if (value === null) expect(a.medians[key], key).toBeNull();
    else expect(a.medians[key], key).toBeCloseTo(value as number, 6);
  }
}

/** The time-to-action rows by level and group, in the reference's shape. */
function ttaByLevel(rows: Row[]) {
  const out: Levels = {
    severity: {},
    month: {},
    total: {},
  };
  const time = (v: unknown) => (typeof v === "string" ? new Date(v).getTime() : null);
  for (const r of rows) {
    const level = String(r.level);
    const key =
      level === "severity" ? String(r.severity) : level === "month" ? String(r.month) : "total";
    out[level]![key] = {
      ack_n: r.ack_n,
      ack_p: r.ack_p,
      ack_median: r.ack_median === null ? null : Number(r.ack_median),
      res_n: r.res_n,
      res_p: r.res_p,
      res_median: r.res_median === null ? null : Number(r.res_median),
      crit_den: r.crit_den,
      crit_den_p: r.crit_den_p,
      crit_num: r.crit_num,
      crit_num_p: r.crit_num_p,
      crit_last_passed: time(r.crit_last_passed),
      crit_next_passing: time(r.crit_next_passing),
    };
  }
  return out;
}

/** The rule-performance rows by level and group, in the reference's shape. */
function rulesByLevel(rows: Row[]) {
  const out: Record<string, Record<string, { n: number; p: number }>> = {
    outcome: {},
    rule: {},
    month: {},
    total: {},
  };
  for (const r of rows) {
    const level = String(r.level);
    const key =
      level === "outcome"
        ? `${String(r.code)}|${String(r.version)}|${String(r.outcome)}`
        : level === "rule"
          ? `${String(r.code)}|${String(r.version)}`
          : level === "month"
            ? String(r.month)
            : "total";
    out[level]![key] = { n: Number(r.n), p: Number(r.p) };
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

  // Time to action and rule performance against the definitions computed flag by flag.
  const now = new Date(`${today}T12:00:00Z`);
  const flags = (await run(referenceFlagsQuery(f, scope))) as unknown as ReferenceFlag[];
  const tta = referenceTimeToAction(flags, now);
  expectSameTimeToAction(ttaByLevel(await run(timeToActionQuery(f, scope, now))), tta);
  expect(rulesByLevel(await run(rulePerformanceQuery(f, scope)))).toEqual(
    referenceRulePerformance(flags),
  );

  // Not a vacuous comparison: the cohort has patients in the numbers.
  const total = tta.total.total;
  return {
    coverage: coverageRef.length,
    prevalence: prevalenceRef.length,
    flags: flags.length,
    acted: [total.ack_n, total.res_n, total.crit_den],
  };
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
      if (Object.keys(query).length === 0) {
        expect(seen.coverage).toBeGreaterThan(10);
        expect(seen.flags).toBeGreaterThan(50);
        // Acknowledged, resolved and critical flags are all in the comparison.
        for (const n of seen.acted) expect(n).toBeGreaterThan(0);
      }
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
