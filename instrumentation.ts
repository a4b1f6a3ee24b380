/*
 * Runs once when a Next.js server process starts. Checks the environment, starts OpenTelemetry
 * tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (Next.js request spans; node-postgres query
 * spans only where pg is loaded after this runs, see docs/OPERATIONS.md), and the background
 * warm-up of the default quality views.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const e = env();
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { registerOTel } = await import("@vercel/otel");
    const { PgInstrumentation } = await import("@opentelemetry/instrumentation-pg");
    registerOTel({
      serviceName: "bone-brain-care",
      // Statement text only, never parameters: those are patient data.
      instrumentations: ["fetch", new PgInstrumentation({ enhancedDatabaseReporting: false })],
    });
  }
  const { qualityWarmSeconds, startQualityWarmer } = await import("./lib/server/quality/warm");
  if (qualityWarmSeconds() > 0) {
    const { getDb } = await import("./db/client");
    startQualityWarmer(getDb, qualityWarmSeconds());
  }
}
