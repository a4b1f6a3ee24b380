CREATE TABLE "self_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"instruments" text[] NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"failed_birth_date_tries" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"risk_raised_at" timestamp with time zone,
	"risk_visit_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"visit_id" uuid,
	CONSTRAINT "self_reports_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "self_reports_mode_check" CHECK ("self_reports"."mode" in ('tablet','link')),
	CONSTRAINT "self_reports_status_check" CHECK ("self_reports"."status" in ('pending','submitted','accepted','expired'))
);
--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "method" text;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_risk_visit_id_visits_id_fk" FOREIGN KEY ("risk_visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "self_reports_patient_idx" ON "self_reports" USING btree ("patient_id","created_at");