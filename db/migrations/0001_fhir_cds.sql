CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"service_user_id" uuid NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "cds_cards" (
	"uuid" text PRIMARY KEY NOT NULL,
	"service_id" text NOT NULL,
	"flag_code" text,
	"ruleset_version" text NOT NULL,
	"patient_id" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cds_feedback" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cds_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"service_id" text NOT NULL,
	"card_uuid" text NOT NULL,
	"outcome" text NOT NULL,
	"override_reason" jsonb,
	"accepted_suggestions" jsonb,
	"outcome_timestamp" timestamp with time zone NOT NULL,
	"flag_code" text,
	"ruleset_version" text,
	"client_iss" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cds_jwt_ids" (
	"iss" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cds_jwt_ids_iss_jti_pk" PRIMARY KEY("iss","jti")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_service_user_id_users_id_fk" FOREIGN KEY ("service_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_service_user_idx" ON "api_tokens" USING btree ("service_user_id");--> statement-breakpoint
CREATE INDEX "cds_cards_issued_idx" ON "cds_cards" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "cds_feedback_card_idx" ON "cds_feedback" USING btree ("card_uuid");--> statement-breakpoint
CREATE INDEX "cds_feedback_flag_idx" ON "cds_feedback" USING btree ("flag_code","ruleset_version");--> statement-breakpoint
CREATE INDEX "cds_jwt_ids_expires_idx" ON "cds_jwt_ids" USING btree ("expires_at");