// Tables of the app's own machinery: the quality cache and its change log, the CDS clients' JWT
// ids (replay protection), the bulk seed's set-aside schema and the background jobs' leases. None
// refers to a clinical table; db/schema.ts re-exports them, so "@/db/schema" stays the one import.
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * Quality metrics' result cache: the raw aggregate rows of one query set (`key`: a
 * hash of the SQL and its parameters), with the database snapshot they were computed in. An entry
 * is served only while no write to the tables the metrics read has committed outside that
 * snapshot (see quality_changes) and while `now` stays within [now_from, now_until), the interval
 * in which the time-dependent counts (critical flags acknowledged within 24 hours) cannot change.
 * Holds counts before small-cell suppression: aggregate, never per patient.
 */
export const qualityCache = pgTable(
  "quality_cache",
  {
    key: text("key").primaryKey(),
    /** pg_current_snapshot() of the computing transaction, as text. */
    snapshot: text("snapshot").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
    nowFrom: timestamp("now_from", { withTimezone: true }).notNull(),
    nowUntil: timestamp("now_until", { withTimezone: true }),
    data: jsonb("data").notNull(),
  },
  (t) => [index("quality_cache_computed_idx").on(t.computedAt)],
);

/**
 * One row per transaction that wrote to a table the quality metrics read (patients, visits,
 * observations, assessments, flags), written by statement triggers (migration 0008), so that no
 * writer can forget it. Kept two days (trimQualityCache).
 */
export const qualityChanges = pgTable(
  "quality_changes",
  {
    /** pg_current_xact_id() of the writing transaction. */
    xid: bigint("xid", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("quality_changes_at_idx").on(t.at)],
);

/** JWT ids already seen from CDS clients (replay protection), kept until they expire. */
export const cdsJwtIds = pgTable(
  "cds_jwt_ids",
  {
    iss: text("iss").notNull(),
    jti: text("jti").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.iss, t.jti] }),
    index("cds_jwt_ids_expires_idx").on(t.expiresAt),
  ],
);

/**
 * Indexes and keys the bulk seed set aside on a fresh database (lib/seed/bulk.ts), each
 * with the statement that restores it, recorded in the transaction that dropped it. Empty except
 * while a bulk seed runs; rows left by an interrupted seed are restored the next time the
 * database is opened with migrations applied (db/deferred-schema.ts).
 */
export const deferredSchema = pgTable(
  "deferred_schema",
  {
    kind: text("kind", { enum: ["index", "foreign-key", "primary-key"] }).notNull(),
    /** The index's name, or a foreign or primary key's as table.constraint. */
    name: text("name").notNull(),
    /** The statement that restores it (CREATE INDEX …, ALTER TABLE … ADD CONSTRAINT …). */
    restore: text("restore").notNull(),
    deferredAt: timestamp("deferred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.name] }),
    check("deferred_schema_kind_check", sql`${t.kind} in ('index','foreign-key','primary-key')`),
  ],
);

/**
 * One row per background job that runs on one app instance at a time (the quality warmer): taken
 * and renewed by single statements, so it works behind a transaction-mode pooler, and it lapses
 * by itself when its holder stops renewing it.
 */
export const jobLeases = pgTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  until: timestamp("until", { withTimezone: true }).notNull(),
});
