import { createRequire } from "node:module";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/*
 * OpenTelemetry for a server process, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: Next.js request
 * spans, outgoing fetches and node-postgres query spans, exported by OTLP (the standard OTEL_*
 * variables apply). The query hooks patch pg when it is loaded, so this must run before anything
 * loads pg: the server entry points import scripts/lib/tracing.ts first; instrumentation.ts calls
 * it too (a no-op when it already ran), which covers servers started by `next start`.
 */
const STARTED = Symbol.for("bone-brain-care.tracing");

/** Span attributes that may carry a URL with its query string (search terms, MRNs). */
const URL_ATTRIBUTES = ["http.target", "http.url", "url.full", "url.query"] as const;

/** Cuts the query string off a URL or a span name ("GET /api/v1/patients?q=…"). */
export function withoutQuery(value: string): string {
  const at = value.indexOf("?");
  return at === -1 ? value : value.slice(0, at);
}

/**
 * Runs first on every span: URLs and span names lose their query strings, whose values can be
 * patient data (a name searched for, an MRN in a FHIR search). Paths keep their record ids.
 */
export class QueryRedactingProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    span.updateName(withoutQuery(span.name));
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (key === "url.query") {
        if (value !== undefined) span.setAttribute(key, "");
      } else if (typeof value === "string" && value.includes("?")) {
        span.setAttribute(key, withoutQuery(value));
      }
    }
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Starts tracing once per process when OTEL_EXPORTER_OTLP_ENDPOINT is set; returns whether it is
 * on. `loadPg` loads node-postgres right after the hooks are in place (through require, which the
 * hooks see; later ESM imports of pg share that module and its patched prototypes).
 */
export async function startTracing(options: { loadPg: boolean }): Promise<boolean> {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
  const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (holder[STARTED]) return true;
  holder[STARTED] = true;
  const { registerOTel } = await import("@vercel/otel");
  const { PgInstrumentation } = await import("@opentelemetry/instrumentation-pg");
  registerOTel({
    serviceName: "bone-brain-care",
    // Statement text only, never parameters: those are patient data.
    instrumentations: ["fetch", new PgInstrumentation({ enhancedDatabaseReporting: false })],
    spanProcessors: [new QueryRedactingProcessor(), "auto"],
  });
  if (options.loadPg) createRequire(import.meta.url)("pg");
  return true;
}
