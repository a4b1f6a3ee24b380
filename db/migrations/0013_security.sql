ALTER TABLE "login_attempts" ADD COLUMN "unlocked_by" uuid;--> statement-breakpoint
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_unlocked_by_users_id_fk" FOREIGN KEY ("unlocked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at_idx" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
-- API tokens get an end: one without an expiry gets 90 days from now (new tokens default to 90).
UPDATE "api_tokens" SET "expires_at" = now() + interval '90 days'
  WHERE "expires_at" IS NULL AND "revoked_at" IS NULL;
--> statement-breakpoint
-- audit_events (and the function behind its append-only triggers) belong to a role of their own,
-- bbc_audit_owner, and the migrating role keeps only SELECT and INSERT: a role that does not own
-- the table cannot UPDATE, DELETE, TRUNCATE, ALTER ... DISABLE TRIGGER or DROP it, nor replace
-- the trigger function. Handing it over needs a superuser or a member of bbc_audit_owner (the
-- deployment steps are in SECURITY.md); any other role leaves the table as it was, with a notice.
-- A superuser bypasses all of this, and the embedded database's only role is one: there the
-- triggers are the protection.
DO $$
DECLARE
  migrator name := current_user;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bbc_audit_owner') THEN
    BEGIN
      CREATE ROLE bbc_audit_owner NOLOGIN;
    EXCEPTION
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'audit_events stays owned by %: role bbc_audit_owner does not exist and cannot be created (see SECURITY.md)', migrator;
        RETURN;
      WHEN duplicate_object OR unique_violation THEN
        NULL; -- created meanwhile by a migration of another database of the same server
    END;
  END IF;
  IF NOT pg_has_role(migrator, 'bbc_audit_owner', 'MEMBER') THEN
    RAISE NOTICE 'audit_events stays owned by %: it is not a member of bbc_audit_owner (see SECURITY.md)', migrator;
    RETURN;
  END IF;
  -- The new owner of a table needs CREATE on its schema: granted here when the migrating role
  -- may (a superuser, the schema's owner), else beforehand by an administrator (SECURITY.md).
  GRANT CREATE ON SCHEMA public TO bbc_audit_owner;
  BEGIN
    ALTER TABLE audit_events OWNER TO bbc_audit_owner;
    ALTER FUNCTION audit_events_refuse_change() OWNER TO bbc_audit_owner;
    REVOKE ALL ON audit_events FROM PUBLIC;
    EXECUTE format('GRANT SELECT, INSERT ON audit_events TO %I', migrator);
  EXCEPTION
    WHEN insufficient_privilege THEN
      RAISE NOTICE 'audit_events stays owned by %: % (see SECURITY.md)', migrator, SQLERRM;
  END;
END
$$;
