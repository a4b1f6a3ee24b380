CREATE TABLE "quality_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"snapshot" text NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"now_from" timestamp with time zone NOT NULL,
	"now_until" timestamp with time zone,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_changes" (
	"xid" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "quality_cache_computed_idx" ON "quality_cache" USING btree ("computed_at");--> statement-breakpoint
CREATE INDEX "quality_changes_at_idx" ON "quality_changes" USING btree ("at");--> statement-breakpoint
-- Every transaction that writes to a table the quality metrics read leaves one row in
-- quality_changes (its transaction id), whoever the writer is: a use-case, the bulk seed, an
-- import or a hand-written statement. A cached quality result is served only while no such
-- transaction has committed outside the snapshot it was computed in.
CREATE OR REPLACE FUNCTION quality_note_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO quality_changes (xid, at)
    VALUES (pg_current_xact_id()::text::bigint, clock_timestamp())
    ON CONFLICT (xid) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patients', 'visits', 'observations', 'assessments', 'flags'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION quality_note_change()', t || '_quality_change', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION quality_note_change()', t || '_quality_truncate', t);
  END LOOP;
END;
$$;
