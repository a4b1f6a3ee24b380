-- One row per background job that must run on one app instance at a time (the quality warmer).
-- A lease is taken and renewed with single statements (no session state, no advisory lock), so
-- it works behind a pooler in transaction mode; it lapses by itself when its holder stops.
CREATE TABLE IF NOT EXISTS "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
