CREATE TABLE "deferred_schema" (
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"restore" text NOT NULL,
	"deferred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deferred_schema_kind_name_pk" PRIMARY KEY("kind","name")
);
