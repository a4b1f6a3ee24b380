import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { findBadText, isAcceptedText, text } from "@/lib/clinical/text";
import {
  CLIENT_ADDRESS_HEADER,
  clientIp,
  resolveClientAddress,
  stampClientAddress,
  vouchForClientAddressHeader,
} from "@/lib/auth/client-address";
import { sameOriginPath } from "@/lib/auth/redirect";
import { isBearerPath, isCrossSiteWrite } from "@/lib/auth/same-origin";
import { delaySeconds, throttleDecision, THROTTLE_LANES } from "@/lib/server/sign-in-throttle";
import { proxy } from "@/proxy";

const ORIGIN = "http://localhost:3000";

describe("sameOriginPath (sign-in form and next-auth's redirect callback)", () => {
  it.each([
    ["/patients?q=a#x", "/patients?q=a#x"],
    [`${ORIGIN}/worklist`, "/worklist"],
    ["patients", "/patients"],
    ["/%5Cevil.example/page", "/%5Cevil.example/page"],
  ])("keeps %s as %s", (target, path) => {
    expect(sameOriginPath(target, ORIGIN)).toBe(path);
  });

  it.each([
    "/\\evil.example/page",
    "\\\\evil.example",
    "//evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "http://127.0.0.1:3000.evil.example/",
    "http://localhost:3001/",
    "https://localhost:3000/",
    "javascript:alert(1)",
    "data:text/html,x",
    "http://[::1",
    "",
    null,
  ])("refuses %s", (target) => {
    expect(sameOriginPath(target, ORIGIN)).toBeNull();
  });

  it("never throws, even on a bad origin", () => {
    expect(sameOriginPath("/x", "not a url")).toBeNull();
  });
});

describe("cross-site writes", () => {
  const req = (method: string, headers: Record<string, string>, url = `${ORIGIN}/api/v1/x`) =>
    new NextRequest(url, { method, headers });

  it("refuses a write with a foreign Origin or Sec-Fetch-Site: cross-site", () => {
    expect(isCrossSiteWrite(req("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(req("PATCH", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossSiteWrite(req("DELETE", { origin: "null" }))).toBe(true);
    expect(isCrossSiteWrite(req("PUT", { origin: "http://localhost:3000.evil.example" }))).toBe(
      true,
    );
  });

  it("lets through reads, its own origin (by URL or Host) and callers without either header", () => {
    expect(isCrossSiteWrite(req("GET", { origin: "https://evil.example" }))).toBe(false);
    expect(isCrossSiteWrite(req("HEAD", { "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isCrossSiteWrite(req("POST", { origin: ORIGIN, "sec-fetch-site": "same-origin" }))).toBe(
      false,
    );
    expect(
      isCrossSiteWrite(
        req("POST", { origin: "https://care.example.org", host: "care.example.org" }),
      ),
    ).toBe(false);
    expect(isCrossSiteWrite(req("POST", {}))).toBe(false);
  });

  it("exempts the bearer-token endpoints", () => {
    expect(isBearerPath("/fhir/r4/Patient")).toBe(true);
    expect(isBearerPath("/cds-services")).toBe(true);
    expect(isBearerPath("/cds-services/bbc/feedback")).toBe(true);
    expect(isBearerPath("/api/v1/patients")).toBe(false);
    expect(isBearerPath("/cds-servicesx")).toBe(false);
  });

  it("the proxy answers 403 before any route, but not on /fhir or /cds-services", () => {
    const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    for (const path of ["/api/v1/admin/tokens/x/revoke", "/api/auth/signout", "/patients/new"]) {
      const response = proxy(req("POST", evil, `${ORIGIN}${path}`));
      expect(response.status, path).toBe(403);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors");
    }
    for (const path of ["/fhir/r4", "/cds-services/bbc"]) {
      expect(proxy(req("POST", evil, `${ORIGIN}${path}`)).status).toBe(200);
    }
    expect(proxy(req("GET", evil, `${ORIGIN}/api/v1/patients`)).status).toBe(200);
  });
});

describe("client address", () => {
  const headers = { "x-forwarded-for": "198.51.100.1, 203.0.113.9", "x-real-ip": "198.51.100.2" };

  it("is the socket's peer unless TRUST_PROXY, then the proxy's (right-most) X-Forwarded-For entry", () => {
    expect(resolveClientAddress(headers, "::ffff:10.0.0.5", false)).toBe("10.0.0.5");
    expect(resolveClientAddress(headers, "::1", false)).toBe("::1");
    expect(resolveClientAddress(headers, "10.0.0.5", true)).toBe("203.0.113.9");
    expect(resolveClientAddress({}, "10.0.0.5", true)).toBe("10.0.0.5");
    expect(resolveClientAddress({ "x-forwarded-for": " , " }, "10.0.0.5", true)).toBe("10.0.0.5");
  });

  it("the app's server replaces whatever the client sent in its header", () => {
    const incoming: Record<string, string> = { ...headers, [CLIENT_ADDRESS_HEADER]: "1.2.3.4" };
    stampClientAddress(incoming, "10.0.0.5", false);
    expect(incoming[CLIENT_ADDRESS_HEADER]).toBe("10.0.0.5");
    const anonymous: Record<string, string> = { [CLIENT_ADDRESS_HEADER]: "1.2.3.4" };
    stampClientAddress(anonymous, undefined, false);
    expect(anonymous[CLIENT_ADDRESS_HEADER]).toBeUndefined();
  });

  it("is read only when the app's own server vouches for its header", () => {
    const key = Symbol.for("bone-brain-care.client-address-vouched");
    const bag = new Headers({ ...headers, [CLIENT_ADDRESS_HEADER]: "10.0.0.5" });
    const global = globalThis as Record<symbol, unknown>;
    const before = global[key];
    delete global[key];
    try {
      expect(clientIp(bag)).toBeNull();
      vouchForClientAddressHeader();
      expect(clientIp(bag)).toBe("10.0.0.5");
      expect(clientIp(new Headers(headers))).toBeNull();
    } finally {
      global[key] = before;
    }
  });
});

describe("the text rule", () => {
  it("refuses U+0000 and unpaired surrogates, keeps every other character", () => {
    expect(isAcceptedText("Ann 𝕏 \u202e é \u0007")).toBe(true);
    for (const bad of ["a\u0000", "\ud800", "x\udc00", "\ud83d", "\udfff\ud800"]) {
      expect(isAcceptedText(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("names the field: in a zod schema and anywhere in a parsed body", () => {
    const result = text().trim().max(5).safeParse("a\u0000");
    expect(result.success).toBe(false);
    expect(findBadText({ a: [1, { b: "x\ud800" }] })).toEqual(["a", 1, "b"]);
    expect(findBadText({ ["k\u0000"]: 1 })).toEqual(["k\uFFFD"]);
    expect(findBadText({ a: ["fine", 1, null, { b: "𝕏" }] })).toBeNull();
  });
});

describe("throttle delays", () => {
  it("are free, then double from 1 s, up to the lane's cap", () => {
    const lane = THROTTLE_LANES.accountAddress;
    expect([4, 5, 6, 7, 14, 15, 40].map((n) => delaySeconds(n, lane))).toEqual([
      0, 1, 2, 4, 512, 900, 900,
    ]);
    expect(delaySeconds(30, THROTTLE_LANES.account)).toBe(60);
  });

  it("take the longest wait of the lanes; a known address skips the account's lane", () => {
    const now = new Date("2026-11-26T10:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    const counts = {
      accountAddress: { failures: 6, last: ago(1) },
      address: { failures: 0, last: null },
      account: { failures: 15, last: ago(10) },
      knownAddress: false,
    };
    expect(throttleDecision(counts, now)).toEqual({ scope: "account", retryAfterSeconds: 22 });
    expect(throttleDecision({ ...counts, knownAddress: true }, now)).toEqual({
      scope: "accountAddress",
      retryAfterSeconds: 1,
    });
    expect(throttleDecision({ ...counts, knownAddress: true }, ago(-5))).toBeNull();
  });
});
