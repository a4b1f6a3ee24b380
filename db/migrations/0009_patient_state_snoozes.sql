DROP INDEX "patient_state_open_idx";--> statement-breakpoint
ALTER TABLE "patient_state" ADD COLUMN "snoozed_flag_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_state" ADD COLUMN "snooze_wakes_on" date;--> statement-breakpoint
-- Existing databases: the snoozed flags as they are now (new writes keep both columns).
UPDATE "patient_state" ps SET "snoozed_flag_count" = s.n, "snooze_wakes_on" = s.wakes
  FROM (SELECT patient_id, count(*)::int AS n, min(snoozed_until) AS wakes
        FROM flags WHERE status = 'snoozed' GROUP BY patient_id) s
  WHERE s.patient_id = ps.patient_id;--> statement-breakpoint
CREATE INDEX "patient_state_open_idx" ON "patient_state" USING btree ("site_id","priority","patient_id","open_flag_count","snoozed_flag_count","snooze_wakes_on") WHERE "patient_state"."open_flag_count" > 0;