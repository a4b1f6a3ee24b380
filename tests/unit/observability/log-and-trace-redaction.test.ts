import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import {
  QueryRedactingProcessor,
  startTracing,
  withoutQuery,
} from "@/lib/server/observability/tracing";
import { formatProblems, identifierProblems } from "../../e2e/support/server-log-rules";

const patient = {
  mrn: "N0100007",
  givenName: "Ruth",
  familyName: "Okafor",
  birthDate: "1941-03-09",
};
const access = (extra: object = {}) =>
  JSON.stringify({
    level: "info",
    reqId: "r-00000001",
    method: "GET",
    route: "/api/v1/patients",
    status: 200,
    ms: 3.2,
    msg: "request",
    ...extra,
  });

describe("the e2e server log check", () => {
  it("accepts start-up text followed by JSON access lines", () => {
    const log = ["Database: pglite", "Seeded 60 patients", access(), access(), ""].join("\n");
    expect(formatProblems(log)).toEqual([]);
    expect(identifierProblems(log, [patient])).toEqual([]);
  });

  it("refuses text after start, access lines without their fields, and no access line", () => {
    expect(formatProblems(`${access()}\n⨯ Error: something`)).toEqual([
      expect.stringMatching(/line 2 is not JSON/),
    ]);
    expect(formatProblems(access({ reqId: undefined }))).toEqual([
      expect.stringMatching(/no string reqId/),
    ]);
    expect(formatProblems('{"level":"info","msg":"started"}')).toEqual(["no access line"]);
  });

  it("finds a patient's MRN, names or birth date as whole words, wherever they are", () => {
    const found = (text: string) => identifierProblems(`${access()}\n${text}`, [patient]);
    expect(found(access({ q: "Okafor" }))).toEqual(["a patient's familyName appears"]);
    expect(found("crashed near N0100007")).toEqual(["a patient's mrn appears"]);
    expect(found(access({ born: "1941-03-09" }))).toEqual(["a patient's birthDate appears"]);
    expect(found("Ruth")).toEqual(["a patient's givenName appears"]);
    // Part of a longer word is not the name.
    expect(found("Truthful N01000071")).toEqual([]);
    expect(identifierProblems(access(), [])).toEqual([
      "no patients to look for (the list could not be read)",
    ]);
  });
});

describe("trace redaction", () => {
  it("tracing stays off without OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    try {
      expect(await startTracing({ loadPg: false })).toBe(false);
    } finally {
      if (saved !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
  });

  it("cuts query strings from span names and URL attributes before export", () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new QueryRedactingProcessor(), new SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer("test").startSpan("GET /api/v1/patients?q=Okafor", {
      attributes: {
        "http.target": "/fhir/r4/Patient?identifier=N0100007",
        "url.full": "http://localhost/api/v1/patients?q=Okafor",
        "url.query": "q=Okafor",
        "http.method": "GET",
      },
    });
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.name).toBe("GET /api/v1/patients");
    expect(exported?.attributes).toEqual({
      "http.target": "/fhir/r4/Patient",
      "url.full": "http://localhost/api/v1/patients",
      "url.query": "",
      "http.method": "GET",
    });
    expect(withoutQuery("/a/b")).toBe("/a/b");
  });
});
