-- Each site's IANA time zone; null means the deployment's DEFAULT_TIME_ZONE.
ALTER TABLE "sites" ADD COLUMN "time_zone" text;
