/*
 * Runs once when a Next.js server process starts. Checks the environment, starts OpenTelemetry
 * tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (already started, with node-postgres query spans,
 * by our server entry points; see lib/server/observability/tracing.ts), and the background
 * warm-up of the default quality views.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
  const { startTracing } = await import("./lib/server/observability/tracing");
  await startTracing({ loadPg: false });
  const { qualityWarmSeconds, startQualityWarmer } = await import("./lib/server/quality/warm");
  if (qualityWarmSeconds() > 0) {
    const { getDb } = await import("./db/client");
    startQualityWarmer(getDb, qualityWarmSeconds());
  }
}
