import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import { errorToProblem, MAX_JSON_BODY_BYTES, parseJsonBody, parseQuery } from "@/lib/api/problem";

const jsonRequest = (body: string, type = "application/json") =>
  new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": type } });

describe("problem+json", () => {
  it.each([
    ["bad-request", 400],
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["not-found", 404],
    ["conflict", 409],
    ["payload-too-large", 413],
    ["unprocessable", 422],
    ["too-many-requests", 429],
  ] as const)("maps %s to %i", async (kind, status) => {
    const res = errorToProblem(new AppError(kind, "words"));
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status, detail: "words" });
  });

  it("hides unknown errors behind a bare 500 without the message or a stack", async () => {
    const res = errorToProblem(new Error('relation "patients" violates … Smith'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("Smith");
    expect(text).not.toContain("at ");
  });
});

describe("request parsing", () => {
  const schema = z.object({ n: z.number().int() }).strict();

  it("accepts valid JSON", async () => {
    await expect(parseJsonBody(jsonRequest('{"n":1}'), schema)).resolves.toEqual({ n: 1 });
  });
  it("400 on malformed JSON", async () => {
    await expect(parseJsonBody(jsonRequest("{"), schema)).rejects.toMatchObject({
      kind: "bad-request",
    });
  });
  it("415 on another media type", async () => {
    await expect(parseJsonBody(jsonRequest('{"n":1}', "text/plain"), schema)).rejects.toMatchObject(
      {
        kind: "unsupported-media-type",
      },
    );
  });
  it("422 with field paths on invalid fields", async () => {
    await expect(parseJsonBody(jsonRequest('{"n":"x","extra":1}'), schema)).rejects.toMatchObject({
      kind: "unprocessable",
      details: {
        errors: expect.arrayContaining([expect.objectContaining({ path: "n" })]) as unknown,
      },
    });
  });
  it("413 over 1 MiB", async () => {
    const big = JSON.stringify({ n: 1, pad: "x".repeat(MAX_JSON_BODY_BYTES) });
    await expect(parseJsonBody(jsonRequest(big), schema)).rejects.toMatchObject({
      kind: "payload-too-large",
    });
  });
  it("400 on a bad query with the parameter's name", () => {
    const q = z.object({ limit: z.coerce.number().int().max(10) });
    expect(() => parseQuery(q, new URLSearchParams("limit=99"))).toThrow(AppError);
  });
  it("round-trips a cursor and rejects a forged one", () => {
    const shape = z.tuple([z.string(), z.number()]);
    expect(decodeCursor(encodeCursor(["a", 1]), shape)).toEqual(["a", 1]);
    expect(() => decodeCursor(encodeCursor(["a", "b"]), shape)).toThrow(AppError);
    expect(() => decodeCursor("%%%", shape)).toThrow(AppError);
  });
});
