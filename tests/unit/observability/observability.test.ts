import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { problemResponse } from "@/lib/api/problem";
import { parseEnv } from "@/lib/env";
import { answerClientError, routeTemplates } from "@/lib/server/observability/access";
import {
  currentRequest,
  noteRequestUser,
  requestIdFrom,
  runInRequest,
} from "@/lib/server/observability/context";
import { errorFields } from "@/lib/server/observability/log";

describe("request ids", () => {
  it("keep a plain incoming id and replace anything else", () => {
    expect(requestIdFrom("proxy-id-1234")).toBe("proxy-id-1234");
    expect(requestIdFrom(["upstream:abc.DEF_9"])).toBe("upstream:abc.DEF_9");
    expect(requestIdFrom("abc-123")).toBe("abc-123");
    expect(requestIdFrom("x".repeat(128))).toBe("x".repeat(128));
    for (const bad of [
      undefined,
      null,
      "",
      "with space 123",
      "x".repeat(129),
      "a\nb-12345",
      "a\r\nx-injected: 1",
      "ünïcødé-id-1",
      "abc-123, second-id",
    ])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reach problem+json bodies and the user id of the request", async () => {
    const body = await runInRequest({ reqId: "req-000001" }, async () => {
      noteRequestUser("user-1");
      expect(currentRequest()).toEqual({ reqId: "req-000001", userId: "user-1" });
      return (await problemResponse(404, "Not found", "x").json()) as { requestId?: string };
    });
    expect(body.requestId).toBe("req-000001");
    const outside = (await problemResponse(404, "Not found", "x").json()) as object;
    expect(outside).not.toHaveProperty("requestId");
  });
});

describe("requests Node's parser refuses", () => {
  /** A socket that records what is written to it. */
  function socket(writable = true) {
    const fake = { writable, written: "", destroyed: false };
    const api = {
      get writable() {
        return fake.writable;
      },
      end(text: string) {
        fake.written += text;
      },
      destroy() {
        fake.destroyed = true;
      },
    };
    return { fake, duplex: api as unknown as Duplex };
  }

  it("are answered as problem+json with a fresh request id", () => {
    const { fake, duplex } = socket();
    answerClientError(
      Object.assign(new Error("Parse Error"), { code: "HPE_INVALID_HEADER_TOKEN" }),
      duplex,
    );
    const [head, body] = fake.written.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad request\r\n/);
    const id = /x-request-id: ([0-9a-f-]{36})/.exec(head!)?.[1];
    expect(id).toBeDefined();
    expect(head).toContain("content-type: application/problem+json");
    expect(JSON.parse(body!)).toMatchObject({ status: 400, requestId: id });
    expect(fake.written).toContain(`content-length: ${Buffer.byteLength(body!)}`);

    const large = socket();
    answerClientError(Object.assign(new Error("x"), { code: "HPE_HEADER_OVERFLOW" }), large.duplex);
    expect(large.fake.written).toMatch(/^HTTP\/1\.1 431 /);
  });

  it("are not answered when the client is gone", () => {
    const { fake, duplex } = socket(false);
    answerClientError(Object.assign(new Error("reset"), { code: "ECONNRESET" }), duplex);
    expect(fake.written).toBe("");
    expect(fake.destroyed).toBe(true);
  });
});

describe("route templates", () => {
  it("come from the build's manifest, never from the path's values", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-routes-"));
    fs.writeFileSync(
      path.join(dir, "routes-manifest.json"),
      JSON.stringify({
        staticRoutes: [{ page: "/api/v1/patients", regex: "^/api/v1/patients(?:/)?$" }],
        dynamicRoutes: [
          { page: "/api/v1/patients/[patientId]", regex: "^/api/v1/patients/([^/]+?)(?:/)?$" },
        ],
      }),
    );
    const templateOf = routeTemplates(dir);
    expect(templateOf("/api/v1/patients")).toBe("/api/v1/patients");
    expect(templateOf("/api/v1/patients/")).toBe("/api/v1/patients");
    expect(templateOf("/api/v1/patients/MRN-004217")).toBe("/api/v1/patients/[patientId]");
    expect(templateOf("/_next/static/chunks/a.js")).toBe("/_next/*");
    expect(templateOf("/Jane-Doe")).toBe("(unmatched)");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("logged errors", () => {
  it("keep the class, code and stack frames, never the message", () => {
    const error = Object.assign(new TypeError('value "Jane Doe, MRN-004217" is not valid'), {
      code: "22P02",
    });
    const fields = errorFields(error);
    expect(fields.type).toBe("TypeError");
    expect(fields.code).toBe("22P02");
    expect(fields.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(fields)).not.toContain("Jane");
  });
});

describe("operations variables", () => {
  it("have their defaults and are checked", () => {
    const env = parseEnv({});
    expect(env.REPLICA_MAX_LAG_SECONDS).toBe(30);
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.DATABASE_REPLICA_URL).toBeUndefined();
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => parseEnv({ DATABASE_REPLICA_URL: "postgres://r/db" })).toThrow(
      /DATABASE_REPLICA_URL/,
    );
    expect(
      parseEnv({ DATABASE_URL: "postgres://p/db", DATABASE_REPLICA_URL: "postgres://r/db" })
        .DATABASE_REPLICA_URL,
    ).toBe("postgres://r/db");
  });
});
