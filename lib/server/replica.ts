import { sql } from "drizzle-orm";
import { queryRows, replicaOf, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "./observability/log";
import { metrics } from "./observability/metrics";

/*
 * Heavy reads (quality metrics, exports, FHIR searches) go to the streaming replica while it
 * answers and lags at most REPLICA_MAX_LAG_SECONDS; otherwise to the primary, logged once per
 * change of state and counted. Writes, and the quality cache (which records which writes it
 * saw), stay on the primary.
 */

export type ReplicaState = "ok" | "lagging" | "down" | "none";

export interface ReplicaStatus {
  state: ReplicaState;
  /** Seconds the replica's data is behind the primary (0 when it has replayed all it received). */
  lagSeconds: number | null;
  /** When the replica last replayed a transaction from the primary (ISO), if known. */
  replayedAt: string | null;
}

export interface ReadTarget {
  db: Db;
  source: "replica" | "primary";
  replica: ReplicaStatus;
}

/** A replica's status is probed at most this often per process. */
const PROBE_EVERY_MS = 2_000;
const PROBE_TIMEOUT_MS = 2_000;

const probes = new WeakMap<Db, { at: number; status: Promise<ReplicaStatus> }>();
let lastLogged: ReplicaState | undefined;

async function probe(replica: Db, maxLag: number): Promise<ReplicaStatus> {
  const query = queryRows<{ lag: number | null; replayed_at: string | null; standby: boolean }>(
    replica,
    sql`select pg_is_in_recovery() as standby,
      case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
        else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag,
      to_json(pg_last_xact_replay_timestamp()) #>> '{}' as replayed_at`,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("replica probe timed out")), PROBE_TIMEOUT_MS);
  });
  try {
    const [row] = await Promise.race([query, timeout]);
    const lag = row?.lag === null || row?.lag === undefined ? null : Number(row.lag);
    const state: ReplicaState = lag !== null && lag <= maxLag ? "ok" : "lagging";
    return {
      state,
      lagSeconds: lag,
      replayedAt: row?.replayed_at ? new Date(row.replayed_at).toISOString() : null,
    };
  } catch {
    return { state: "down", lagSeconds: null, replayedAt: null };
  } finally {
    clearTimeout(timer);
  }
}

/** The replica's status (cached for a moment), or "none" without one. */
export async function replicaStatus(primary: Db, now = Date.now()): Promise<ReplicaStatus> {
  const replica = replicaOf(primary);
  if (!replica) return { state: "none", lagSeconds: null, replayedAt: null };
  const cached = probes.get(primary);
  if (cached && now - cached.at < PROBE_EVERY_MS) return cached.status;
  const status = probe(replica.db, env().REPLICA_MAX_LAG_SECONDS);
  probes.set(primary, { at: now, status });
  return status;
}

/** Where a heavy read should run: the replica when it is fit, else the primary. */
export async function readTarget(primary: Db): Promise<ReadTarget> {
  const replica = replicaOf(primary);
  const status = await replicaStatus(primary);
  const useReplica = replica !== undefined && status.state === "ok";
  metrics().replicaReads.inc({
    target: useReplica ? "replica" : "primary",
    reason: status.state === "ok" ? "replica" : status.state,
  });
  if (replica && status.state !== lastLogged) {
    lastLogged = status.state;
    const log = logger();
    if (status.state === "ok") log.info({ replica: status.state }, "reads use the replica");
    else
      log.warn(
        { replica: status.state, lagSeconds: status.lagSeconds },
        "replica unfit: reads fall back to the primary",
      );
  }
  return useReplica
    ? { db: replica.db, source: "replica", replica: status }
    : { db: primary, source: "primary", replica: status };
}

/**
 * Runs a heavy read where readTarget says; a replica that fails during the read (it stopped
 * between the probe and the query) is marked down and the read is run again on the primary.
 */
export async function readOnTarget<T>(
  primary: Db,
  read: (db: Db) => Promise<T>,
): Promise<{ result: T; target: ReadTarget }> {
  const target = await readTarget(primary);
  if (target.source === "primary") return { result: await read(primary), target };
  try {
    return { result: await read(target.db), target };
  } catch (error) {
    const down: ReplicaStatus = { state: "down", lagSeconds: null, replayedAt: null };
    probes.set(primary, { at: Date.now(), status: Promise.resolve(down) });
    metrics().replicaReads.inc({ target: "primary", reason: "down" });
    if (lastLogged !== "down") {
      lastLogged = "down";
      logger().warn(
        { replica: "down", err: { type: (error as Error)?.name } },
        "replica failed during a read: reads fall back to the primary",
      );
    }
    return {
      result: await read(primary),
      target: { db: primary, source: "primary", replica: down },
    };
  }
}
