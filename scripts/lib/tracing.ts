// Imported first by every server entry point (start, e2e server, cluster worker): OpenTelemetry,
// when configured, must hook node-postgres before any other module loads it.
import { startTracing } from "../../lib/server/observability/tracing";

await startTracing({ loadPg: true });
