import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { STATIC_SECURITY_HEADERS } from "@/lib/security-headers";
import { proxy } from "@/proxy";

function run(path: string) {
  const response = proxy(new NextRequest(`http://localhost${path}`, { headers: { "x-a": "1" } }));
  const csp = response.headers.get("content-security-policy") ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  return { response, csp, nonce };
}

describe("proxy", () => {
  it.each(["/patients", "/signin", "/api/health", "/api/v1/patients/x/visits"])(
    "puts a fresh nonce and the security headers on %s",
    (path) => {
      const first = run(path);
      expect(first.nonce).toBeDefined();
      expect(first.csp).toContain("frame-ancestors 'none'");
      expect(run(path).nonce).not.toBe(first.nonce);
      for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS))
        expect(first.response.headers.get(name)).toBe(value);
    },
  );

  it("hands pages the nonce on the request (Next.js puts it on its scripts)", () => {
    const { response, csp, nonce } = run("/patients/1");
    const h = response.headers;
    expect(h.get("x-middleware-override-headers")?.split(",")).toEqual(
      expect.arrayContaining(["x-a", "x-nonce", "content-security-policy"]),
    );
    expect(h.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(h.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("names the page asked for (without the RSC parameter), so a refusal can say which", () => {
    const { response } = run("/worklist?priority=high&_rsc=abc");
    expect(response.headers.get("x-middleware-request-x-page-path")).toBe(
      "/worklist?priority=high",
    );
  });

  it("leaves API requests as they came (route handlers render no scripts)", () => {
    const { response } = run("/api/v1/patients");
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-override-headers")).toBeNull();
  });
});
