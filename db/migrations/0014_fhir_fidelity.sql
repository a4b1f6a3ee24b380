ALTER TABLE "cds_cards" ADD COLUMN "suggestions" jsonb;--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "fhir" jsonb;--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "source_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "fhir" jsonb;--> statement-breakpoint
CREATE INDEX "observations_source_keys_idx" ON "observations" USING gin ("source_keys");