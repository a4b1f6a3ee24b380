// One server process of a cluster (WEB_CONCURRENCY > 1 with PostgreSQL): forked by serve() in
// scripts/lib/server.ts with the primary's environment; serves, nothing else (the primary has
// checked the schema, seeded and built).
import "./tracing"; // first: OpenTelemetry hooks pg before anything loads it
import { fail } from "./args";
import { serve } from "./server";

try {
  await serve({ seedIfEmpty: false, printDemoLogins: false });
} catch (error) {
  fail(error);
}
