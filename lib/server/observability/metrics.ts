import type pg from "pg";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { poolOf, type Database } from "@/db/client";

/*
 * The Prometheus registry of this process, on a registered symbol for the same reason as the
 * request context: the server wrapper counts requests outside the Next.js bundle and
 * /api/metrics reads them inside it.
 */
interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  duration: Histogram<"method" | "route">;
  pool: Gauge<"pool" | "state">;
  reassessRuns: Counter<"outcome">;
  qualityCache: Counter<"result">;
  replicaReads: Counter<"target" | "reason">;
  qualityWarm: Counter<"outcome">;
}

/** Pool usage is read when scraped: each pool registers a reader here. */
export type PoolReader = () => { total: number; idle: number; waiting: number } | null;

const KEY = Symbol.for("bone-brain-care.metrics");
const POOLS = Symbol.for("bone-brain-care.metrics.pools");
const holder = globalThis as unknown as Record<symbol, unknown>;

function pools(): Map<string, PoolReader> {
  holder[POOLS] ??= new Map<string, PoolReader>();
  return holder[POOLS] as Map<string, PoolReader>;
}

/** Registers (or replaces) the reader of a pool's usage under `name` (primary, replica). */
export function registerPool(name: string, reader: PoolReader): void {
  pools().set(name, reader);
}

function usageOf(pool: pg.Pool | undefined): PoolReader {
  return () =>
    pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

/** Reports the database's pools (PGlite has none). */
export function registerDatabasePools(database: Database): void {
  registerPool("primary", usageOf(poolOf(database.db)));
  if (database.replica) registerPool("replica", usageOf(database.replica.pool));
}

function create(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route template and status.",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    duration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route template.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    pool: new Gauge({
      name: "db_pool_connections",
      help: "Database pool connections by pool (primary, replica) and state (total, idle, waiting).",
      labelNames: ["pool", "state"],
      registers,
      collect() {
        this.reset();
        for (const [name, read] of pools()) {
          const usage = read();
          if (!usage) continue;
          for (const [state, value] of Object.entries(usage))
            this.set({ pool: name, state }, value);
        }
      },
    }),
    reassessRuns: new Counter({
      name: "reassess_runs_total",
      help: "Background re-assessment runs, by outcome (ok, error).",
      labelNames: ["outcome"],
      registers,
    }),
    qualityCache: new Counter({
      name: "quality_cache_requests_total",
      help: "Quality metric requests: exact cache hit, kept-warm landing view (warm), computed (miss).",
      labelNames: ["result"],
      registers,
    }),
    replicaReads: new Counter({
      name: "replica_reads_total",
      help: "Heavy reads by where they ran (replica, primary) and why (replica, none, down, lagging).",
      labelNames: ["target", "reason"],
      registers,
    }),
    qualityWarm: new Counter({
      name: "quality_warm_runs_total",
      help: "Background recomputations of the default quality views, by outcome.",
      labelNames: ["outcome"],
      registers,
    }),
  };
}

export function metrics(): Metrics {
  holder[KEY] ??= create();
  return holder[KEY] as Metrics;
}
