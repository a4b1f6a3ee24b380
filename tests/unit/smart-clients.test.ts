import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import {
  contentSecurityPolicy,
  staticSecurityHeaders,
  STATIC_SECURITY_HEADERS,
} from "@/lib/security-headers";
import {
  frameAncestorOrigins,
  parseSmartClients,
  publicJwk,
  smartClientFor,
} from "@/lib/smart-clients";

const epic = {
  iss: "https://fhir.hospital.example/api/FHIR/R4/",
  clientId: "abc",
  clientSecret: "s3cret",
  site: "north",
};

describe("SMART_CLIENTS", () => {
  it("parses a client, defaults userClaim to email and drops the iss's trailing slash", () => {
    const parsed = parseSmartClients(JSON.stringify([epic]));
    if (!parsed.ok) throw new Error(parsed.issues.join());
    expect(parsed.clients[0]).toMatchObject({
      iss: "https://fhir.hospital.example/api/FHIR/R4",
      userClaim: "email",
      site: "north",
    });
    expect(smartClientFor(parsed.clients, "https://fhir.hospital.example/api/FHIR/R4/")).not.toBe(
      null,
    );
    expect(smartClientFor(parsed.clients, "https://other.example/fhir")).toBe(null);
  });

  it.each([
    ["plain http on a public host", [{ ...epic, iss: "http://fhir.hospital.example/r4" }], "https"],
    ["neither secret nor key", [{ ...epic, clientSecret: undefined }], "exactly one"],
    [
      "both secret and key",
      [{ ...epic, privateKeyJwk: { kty: "EC", crv: "P-256", x: "a", y: "b", d: "c" } }],
      "exactly one",
    ],
    [
      "a public key as private key",
      [{ ...epic, clientSecret: undefined, privateKeyJwk: { kty: "RSA", n: "x", e: "AQAB" } }],
      "d",
    ],
    ["the same iss twice", [epic, { ...epic, iss: `${epic.iss}//` }], "listed twice"],
    ["an unknown field", [{ ...epic, sitee: "x" }], "sitee"],
  ])("refuses %s", (_name, value, message) => {
    const parsed = parseSmartClients(JSON.stringify(value));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.join("\n")).toContain(message);
  });

  it("accepts plain http on loopback hosts (tests)", () => {
    for (const host of ["127.0.0.1:4112", "localhost:4112"]) {
      expect(parseSmartClients(JSON.stringify([{ ...epic, iss: `http://${host}/fhir` }])).ok).toBe(
        true,
      );
    }
  });

  it("stops the start when the list is not valid", () => {
    expect(() => parseEnv({ SMART_CLIENTS: "[{" })).toThrow(EnvError);
    expect(() => parseEnv({ SMART_CLIENTS: JSON.stringify([{ iss: "x" }]) })).toThrow(
      /SMART_CLIENTS/,
    );
    expect(parseEnv({ SMART_CLIENTS: JSON.stringify([epic]) }).SMART_CLIENTS).toBeDefined();
  });

  it("embedded mode needs SMART_CLIENTS and an https public URL (or localhost)", () => {
    expect(() => parseEnv({ SMART_EMBEDDED: "true" })).toThrow(/SMART_EMBEDDED/);
    expect(() =>
      parseEnv({
        SMART_EMBEDDED: "true",
        SMART_CLIENTS: JSON.stringify([epic]),
        PUBLIC_URL: "http://bbc.example",
      }),
    ).toThrow(/https PUBLIC_URL/);
    expect(
      parseEnv({
        SMART_EMBEDDED: "true",
        SMART_CLIENTS: JSON.stringify([epic]),
        PUBLIC_URL: "https://bbc.example",
      }).SMART_EMBEDDED,
    ).toBe(true);
  });

  it("publishes only the public half of a private key", () => {
    expect(
      publicJwk({
        kty: "RSA",
        n: "n",
        e: "AQAB",
        d: "d",
        p: "p",
        q: "q",
        dp: "1",
        dq: "2",
        qi: "3",
        kid: "k",
      }),
    ).toEqual({ kty: "RSA", n: "n", e: "AQAB", kid: "k", use: "sig" });
  });
});

describe("embedded mode headers", () => {
  it("lets only the configured EHR origins frame the app", () => {
    const parsed = parseSmartClients(
      JSON.stringify([
        epic,
        { ...epic, iss: "https://b.example/fhir", frameAncestors: ["https://ehr-ui.b.example"] },
      ]),
    );
    if (!parsed.ok) throw new Error("invalid");
    const origins = frameAncestorOrigins(parsed.clients);
    expect(origins).toEqual(["https://fhir.hospital.example", "https://ehr-ui.b.example"]);
    const csp = contentSecurityPolicy("n", { development: false, frameAncestors: origins });
    expect(csp).toContain(
      "frame-ancestors 'self' https://fhir.hospital.example https://ehr-ui.b.example",
    );
    expect(contentSecurityPolicy("n", { development: false })).toContain("frame-ancestors 'none'");
    expect(staticSecurityHeaders(true)).not.toHaveProperty("X-Frame-Options");
    expect(staticSecurityHeaders(false)).toBe(STATIC_SECURITY_HEADERS);
  });
});
