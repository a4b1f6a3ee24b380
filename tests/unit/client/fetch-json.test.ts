import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, errorMessage, fetchJson, toProblem } from "@/lib/client/fetch-json";

afterEach(() => {
  vi.unstubAllGlobals();
});

function reply(status: number, body: unknown, type = "application/json"): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": type },
  });
}

describe("fetchJson", () => {
  it("sends JSON and returns the parsed body", async () => {
    const fetchMock = vi.fn(() => Promise.resolve(reply(201, { id: "p1" })));
    vi.stubGlobal("fetch", fetchMock);
    await expect(
      fetchJson("/api/v1/patients", { method: "POST", body: { a: 1 } }),
    ).resolves.toEqual({
      id: "p1",
    });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/patients");
    expect(init.method).toBe("POST");
    expect(init.body).toBe('{"a":1}');
    expect((init.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("throws an ApiError carrying the problem document and its field errors", async () => {
    const problem = {
      type: "about:blank",
      title: "Conflict",
      status: 409,
      detail: "A patient with this MRN is already registered at this site.",
      errors: [{ path: "mrn", message: "This MRN is already registered at this site" }],
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(reply(409, problem, "application/problem+json"))),
    );
    const error = await fetchJson("/api/v1/patients", { method: "POST", body: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(409);
    expect(api.fieldErrors).toEqual(problem.errors);
    expect(errorMessage(api)).toBe(problem.detail);
  });

  it("turns a network failure and a non-JSON error into plain problems", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const offline = (await fetchJson("/x").catch((e: unknown) => e)) as ApiError;
    expect(offline.status).toBe(0);
    expect(offline.problem.detail).toMatch(/could not be reached/);
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(reply(502, "<html>", "text/html"))),
    );
    const gateway = (await fetchJson("/x").catch((e: unknown) => e)) as ApiError;
    expect(gateway.status).toBe(502);
    expect(gateway.problem.title).toBe("Request failed (502)");
    expect(errorMessage(new ApiError(401, toProblem(401, null)))).toMatch(/sign in again/i);
    expect(errorMessage(new Error("x"))).toMatch(/try again/);
  });
});
