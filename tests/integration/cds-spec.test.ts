import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { cdsCards } from "@/db/schema";
import type { CdsHookRequest } from "@/lib/api/cds";
import { verifyCdsJwt } from "@/lib/auth/cds-jwt";
import { PREFETCH_TEMPLATES, fillTemplate, type CdsCard } from "@/lib/fhir";
import { cdsFeedbackCounts, handlePatientView, recordCdsFeedback } from "@/lib/server/cds";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { fhirErrors } from "../support/fhir-validate";
import { makeWorld } from "../support/fixtures";
import { usCorePrefetch } from "../fixtures/us-core";
import { hookRequest } from "../support/cds-hook";

/**
 * CDS Hooks 2.0 as the specification words it: null prefetch, 412 when the data cannot be had,
 * the fhirServer allow-list, the JWT header, suggestions and feedback with acceptedSuggestions.
 */

const KEYS = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "../e2e/fixtures/cds-test-keys.json"), "utf8"),
) as { iss: string; alg: string; kid: string; cdsClients: unknown; privateJwk: JWK };

const BASE = "http://localhost:3998";
const SERVICE_URL = `${BASE}/cds-services/bone-brain-axis`;
const NOW = new Date("2022-12-01T15:00:00Z");

/** A loopback FHIR server answering the prefetch queries (the only server the tests contact). */
let ehr: http.Server;
let ehrBase = "";
let ehrRequests: string[] = [];
let t: TestDatabase;

beforeAll(async () => {
  const prefetch = usCorePrefetch();
  ehr = http.createServer((req, res) => {
    ehrRequests.push(req.url ?? "");
    const key = (Object.keys(PREFETCH_TEMPLATES) as (keyof typeof PREFETCH_TEMPLATES)[]).find(
      (k) => req.url === `/fhir/${fillTemplate(PREFETCH_TEMPLATES[k], "example")}`,
    );
    if (req.headers.authorization !== "Bearer ehr-token") {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(key ? 200 : 404, { "content-type": "application/fhir+json" });
    res.end(JSON.stringify(key ? prefetch[key] : { resourceType: "OperationOutcome" }));
  });
  await new Promise<void>((resolve) => ehr.listen(0, "127.0.0.1", resolve));
  ehrBase = `http://127.0.0.1:${(ehr.address() as AddressInfo).port}/fhir`;
  process.env.CDS_CLIENTS = JSON.stringify(
    (KEYS.cdsClients as Record<string, unknown>[]).map((c) => ({
      ...c,
      fhirServers: [`${ehrBase}/`, "http://127.0.0.1:9/fhir"],
    })),
  );
  process.env.PUBLIC_URL = BASE;
  t = await createTestDatabase();
  setDatabase(t);
});
afterAll(async () => {
  await new Promise((resolve) => ehr?.close(resolve));
  await t?.dispose();
});

const options = () => ({
  clientIss: KEYS.iss,
  baseUrl: BASE,
  now: NOW,
  fhirServers: [`${ehrBase}/`, "http://127.0.0.1:9/fhir"],
});

async function cards(request: CdsHookRequest): Promise<CdsCard[]> {
  const result = await handlePatientView(t.db, request, options());
  if (result.status !== "ok") throw new Error(`expected cards, got 412: ${result.reason}`);
  return result.cards;
}

describe("prefetch", () => {
  it("null keys mean no data: a patient without conditions or medications gets cards", async () => {
    const prefetch = { ...usCorePrefetch(), medications: null, conditions: null };
    const got = await cards(hookRequest({ prefetch }));
    expect(got.some((c) => c.source.topic?.code === "depression.positive")).toBe(true);
    expect(got.some((c) => c.summary.includes("could not"))).toBe(false);
  });

  it("every list null: cards from the Patient alone (no 412)", async () => {
    const prefetch = {
      patient: usCorePrefetch().patient,
      observations: null,
      medications: null,
      conditions: null,
    };
    const result = await handlePatientView(t.db, hookRequest({ prefetch }), options());
    expect(result.status).toBe("ok");
  });

  it("a null Patient without fhirServer is 412 naming the patient", async () => {
    const prefetch = { ...usCorePrefetch(), patient: null };
    const result = await handlePatientView(t.db, hookRequest({ prefetch }), options());
    expect(result).toEqual({
      status: "precondition-failed",
      missing: ["patient"],
      reason: "no fhirServer was given to fetch it from",
    });
  });

  it("reads what is missing from an allowed fhirServer (trailing slash ignored)", async () => {
    ehrRequests = [];
    const got = await cards(
      hookRequest({
        prefetch: { patient: usCorePrefetch().patient, medications: null, conditions: null },
        fhirServer: ehrBase,
        fhirAuthorization: {
          access_token: "ehr-token",
          token_type: "Bearer",
          expires_in: 300,
          scope: "patient/*.read",
          subject: "cds",
        },
      }),
    );
    expect(ehrRequests).toHaveLength(1);
    expect(ehrRequests[0]).toMatch(/^\/fhir\/Observation\?patient=example/);
    expect(got.some((c) => c.source.topic?.code === "depression.positive")).toBe(true);
  });

  it("a fhirServer not on the allow-list is never contacted: 412", async () => {
    ehrRequests = [];
    const result = await handlePatientView(
      t.db,
      hookRequest({ prefetch: null, fhirServer: "http://169.254.169.254/fhir" }),
      options(),
    );
    expect(result).toMatchObject({ status: "precondition-failed" });
    expect(result.status === "precondition-failed" && result.reason).toContain(
      "not on this client's allow-list",
    );
    expect(ehrRequests).toHaveLength(0);
  });

  it("an unreachable fhirServer is 412, not a card", async () => {
    const result = await handlePatientView(
      t.db,
      hookRequest({ prefetch: null, fhirServer: "http://127.0.0.1:9/fhir" }),
      options(),
    );
    expect(result).toMatchObject({ status: "precondition-failed" });
    expect(result.status === "precondition-failed" && result.reason).toContain(
      "could not be reached",
    );
  });

  it("a fhirServer that refuses the token is 412 with its status", async () => {
    const result = await handlePatientView(
      t.db,
      hookRequest({ prefetch: null, fhirServer: ehrBase }),
      options(),
    );
    expect(result).toMatchObject({ status: "precondition-failed" });
    expect(result.status === "precondition-failed" && result.reason).toContain("HTTP 401");
  });
});

describe("suggestions and feedback", () => {
  it("cards carry suggestions with uuids and create actions; accepted ones are counted", async () => {
    const got = await cards(hookRequest());
    const card = got.find((c) => c.suggestions?.length);
    expect(card).toBeDefined();
    const suggestion = card!.suggestions![0]!;
    expect(suggestion.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(suggestion.label.length).toBeGreaterThan(0);
    expect(suggestion.actions[0]).toMatchObject({ type: "create" });
    const resource = suggestion.actions[0]!.resource;
    expect(["ServiceRequest", "MedicationRequest", "Task"]).toContain(resource.resourceType);
    expect(JSON.stringify(resource)).toContain("Patient/example");
    expect(card!.selectionBehavior).toBe("any");
    // The proposed resources are valid FHIR R4, as the EHR will create them.
    for (const c of got)
      for (const s of c.suggestions ?? [])
        for (const a of s.actions) expect(fhirErrors(a.resource)).toEqual([]);

    const [stored] = await t.db.select().from(cdsCards).where(eq(cdsCards.uuid, card!.uuid));
    expect(Object.keys(stored!.suggestions as object)).toContain(suggestion.uuid);

    await expect(
      recordCdsFeedback(
        t.db,
        "bone-brain-axis",
        {
          feedback: [
            {
              card: card!.uuid,
              outcome: "accepted",
              acceptedSuggestions: [{ id: "not-a-suggestion" }],
              outcomeTimestamp: "2022-12-03T10:00:00Z",
            },
          ],
        },
        KEYS.iss,
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "bad-request" });

    await recordCdsFeedback(
      t.db,
      "bone-brain-axis",
      {
        feedback: [
          {
            card: card!.uuid,
            outcome: "accepted",
            acceptedSuggestions: [{ id: suggestion.uuid }],
            outcomeTimestamp: "2022-12-03T10:00:00Z",
          },
        ],
      },
      KEYS.iss,
      NOW,
    );
    const world = await makeWorld(t.db, { role: "quality" });
    const counts = await cdsFeedbackCounts(
      { db: t.db, actor: world.actor },
      { from: "2022-12-03", to: "2022-12-03" },
    );
    expect(counts.find((c) => c.flagCode === card!.source.topic!.code)).toMatchObject({
      accepted: 1,
      acceptedSuggestions: 1,
    });
  });
});

describe("client JWT header", () => {
  async function token(header: Record<string, string>): Promise<string> {
    const key = await importJWK(KEYS.privateJwk, KEYS.alg);
    const iat = Math.floor(NOW.getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: KEYS.alg, ...header })
      .setIssuer(KEYS.iss)
      .setAudience(SERVICE_URL)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(`hdr-${Math.random()}`)
      .sign(key);
  }

  it.each([
    ["without kid", { typ: "JWT" }, "kid"],
    ["without typ", { kid: KEYS.kid }, 'typ "JWT"'],
    ["with another typ", { kid: KEYS.kid, typ: "at+jwt" }, 'typ "JWT"'],
    ["with an unknown kid", { kid: "nobody", typ: "JWT" }, "No key with kid nobody"],
  ])("refuses a token %s (401)", async (_label, header, message) => {
    const error = await verifyCdsJwt(`Bearer ${await token(header)}`, SERVICE_URL, NOW).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: "unauthenticated" });
    expect((error as Error).message).toContain(message);
  });

  it("returns the client's fhirServers allow-list", async () => {
    const client = await verifyCdsJwt(
      `Bearer ${await token({ kid: KEYS.kid, typ: "JWT" })}`,
      SERVICE_URL,
      NOW,
    );
    expect(client.fhirServers).toEqual([`${ehrBase}/`, "http://127.0.0.1:9/fhir"]);
  });
});
