import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { importJWK, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { auditEvents, cdsCards, cdsFeedback, sites } from "@/db/schema";
import { verifyCdsJwt } from "@/lib/auth/cds-jwt";
import { RULESET_VERSION } from "@/lib/clinical";
import {
  CDS_SUMMARY_MAX,
  PREFETCH_TEMPLATES,
  fillTemplate,
  mrnSystem,
  type FhirPatient,
} from "@/lib/fhir";
import {
  cdsFeedbackCounts,
  handlePatientView,
  recordCdsFeedback,
  type FetchLike,
} from "@/lib/server/cds";
import { testDatabasePerFile } from "../support/db";
import { makeWorld } from "../support/fixtures";
import { usCorePrefetch } from "../fixtures/us-core";
import { hookRequest } from "../support/cds-hook";

const KEYS = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "../e2e/fixtures/cds-test-keys.json"), "utf8"),
) as { iss: string; alg: string; kid: string; cdsClients: unknown; privateJwk: JWK };

const BASE = "http://localhost:3999";
const SERVICE_URL = `${BASE}/cds-services/bone-brain-axis`;
// Read once by lib/env on first use, which happens inside the tests below.
const EHR_FHIR = "https://ehr.example/fhir";
process.env.CDS_CLIENTS = JSON.stringify(
  (KEYS.cdsClients as Record<string, unknown>[]).map((c) => ({ ...c, fhirServers: [EHR_FHIR] })),
);
process.env.PUBLIC_URL = BASE;

const t = testDatabasePerFile(setDatabase);

const NOW = new Date("2022-12-01T15:00:00Z");
let jtiCounter = 0;

async function sign(
  claims: { aud?: string; iss?: string; exp?: number; iat?: number; jti?: string } = {},
  alg = KEYS.alg,
): Promise<string> {
  const key = await importJWK(KEYS.privateJwk, KEYS.alg);
  const iat = claims.iat ?? Math.floor(NOW.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: KEYS.kid, typ: "JWT" })
    .setIssuer(claims.iss ?? KEYS.iss)
    .setAudience(claims.aud ?? SERVICE_URL)
    .setIssuedAt(iat)
    .setExpirationTime(claims.exp ?? iat + 300)
    .setJti(claims.jti ?? `jti-${++jtiCounter}-${Date.now()}`)
    .sign(key);
}

describe("client JWT", () => {
  it("accepts a signed token for the endpoint's URL", async () => {
    const client = await verifyCdsJwt(`Bearer ${await sign()}`, SERVICE_URL, NOW);
    expect(client.iss).toBe(KEYS.iss);
  });

  it("refuses a replayed jti", async () => {
    const token = await sign({ jti: "replay-me" });
    await verifyCdsJwt(`Bearer ${token}`, SERVICE_URL, NOW);
    await expect(verifyCdsJwt(`Bearer ${token}`, SERVICE_URL, NOW)).rejects.toMatchObject({
      kind: "unauthenticated",
      message: "This JWT was already used (jti replay).",
    });
  });

  it.each([
    ["no token", () => Promise.resolve(null), "A CDS client JWT is required"],
    [
      "expired",
      async () =>
        `Bearer ${await sign({ iat: NOW.getTime() / 1000 - 900, exp: NOW.getTime() / 1000 - 600 })}`,
      "expired",
    ],
    [
      "wrong audience",
      async () => `Bearer ${await sign({ aud: `${BASE}/cds-services/other` })}`,
      "aud",
    ],
    [
      "unknown issuer",
      async () => `Bearer ${await sign({ iss: "https://evil.example" })}`,
      "not a trusted",
    ],
    [
      "alg none",
      () => {
        const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
        const now = Math.floor(NOW.getTime() / 1000);
        return Promise.resolve(
          `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: KEYS.iss, aud: SERVICE_URL, iat: now, exp: now + 60, jti: "none-1" })}.`,
        );
      },
      "algorithm none",
    ],
    [
      "HS256",
      async () => {
        const now = Math.floor(NOW.getTime() / 1000);
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer(KEYS.iss)
          .setAudience(SERVICE_URL)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .setJti("hs-1")
          .sign(new TextEncoder().encode("a-shared-secret-that-anyone-could-know"));
        return `Bearer ${token}`;
      },
      "algorithm HS256",
    ],
    [
      "a signature by another key",
      async () => {
        const token = await sign();
        const [h, p] = token.split(".");
        const other = await sign({ jti: "other" });
        return `Bearer ${h}.${p}.${other.split(".")[2]}`;
      },
      "signature",
    ],
  ])("refuses %s (401)", async (_label, header, message) => {
    const error = await verifyCdsJwt(await header(), SERVICE_URL, NOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unauthenticated" });
    expect((error as Error).message).toContain(message);
  });
});

describe("patient-view", () => {
  let uuid = 0;
  const newUuid = () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, "0")}`;
  const numbered = { clientIss: KEYS.iss, baseUrl: BASE, now: NOW, newUuid };

  it("answers the US Core prefetch with a depression card, stored for feedback", async () => {
    const result = await handlePatientView(t.db, hookRequest(), numbered);
    if (result.status !== "ok") throw new Error("expected cards");
    const card = result.cards.find((c) => c.source.topic?.code === "depression.positive");
    expect(card).toMatchObject({
      indicator: "warning",
      source: { label: "Bone–Brain Care", url: `${BASE}/evidence#rule-depression-positive` },
      links: [{ url: `${BASE}/patients`, type: "absolute" }],
    });
    expect(card!.detail).toContain("PHQ-9");
    expect(card!.overrideReasons?.length).toBeGreaterThan(0);
    for (const c of result.cards) expect(c.summary.length).toBeLessThanOrEqual(CDS_SUMMARY_MAX);
    expect(result.cards.some((c) => c.source.topic?.code.startsWith("safety."))).toBe(false);
    const stored = await t.db.select().from(cdsCards).where(eq(cdsCards.uuid, card!.uuid));
    expect(stored[0]).toMatchObject({
      flagCode: "depression.positive",
      rulesetVersion: RULESET_VERSION,
      patientId: null,
    });
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "cds.patient-view"));
    expect(audit?.detail).toMatchObject({ prefetch: "sent" });
    expect(JSON.stringify(audit?.detail)).not.toContain("1032702");
  });

  it("links to the patient in the app when the identifier is ours", async () => {
    const world = await makeWorld(t.db);
    const [site] = await t.db.select().from(sites).where(eq(sites.id, world.siteId));
    const prefetch = usCorePrefetch();
    (prefetch.patient as FhirPatient).identifier = [
      { system: mrnSystem(site!.code), value: `MRN-x` },
    ];
    const [row] = await t.db.query.patients.findMany({
      where: (p, { eq: e }) => e(p.id, world.patientId),
    });
    (prefetch.patient as FhirPatient).identifier![0]!.value = row!.mrn;
    const result = await handlePatientView(t.db, hookRequest({ prefetch }), numbered);
    if (result.status !== "ok") throw new Error("expected cards");
    expect(result.cards[0]?.links?.[0]?.url).toBe(`${BASE}/patients/${world.patientId}`);
  });

  it("adds a SMART link to each card when the EHR's FHIR server may launch the app", async () => {
    const launchUrl = `${BASE}/smart/launch`;
    const result = await handlePatientView(t.db, hookRequest(), {
      ...numbered,
      smartLaunchUrl: launchUrl,
    });
    if (result.status !== "ok") throw new Error("expected cards");
    expect(result.cards.length).toBeGreaterThan(0);
    for (const card of result.cards) {
      expect(card.links).toContainEqual({
        label: "Open Bone–Brain Care on this patient",
        url: launchUrl,
        type: "smart",
      });
    }
    const plain = await handlePatientView(t.db, hookRequest(), numbered);
    if (plain.status !== "ok") throw new Error("expected cards");
    expect(plain.cards.flatMap((c) => c.links ?? []).some((l) => l.type === "smart")).toBe(false);
  });

  it("without prefetch or fhirServer: precondition failed", async () => {
    const result = await handlePatientView(t.db, hookRequest({ prefetch: undefined }), {
      clientIss: KEYS.iss,
      baseUrl: BASE,
      now: NOW,
    });
    expect(result).toEqual({
      status: "precondition-failed",
      missing: ["patient", "observations", "medications", "conditions"],
      reason: "no fhirServer was given to fetch it from",
    });
  });

  it("fetches missing prefetch from fhirServer with the access token", async () => {
    const prefetch = usCorePrefetch();
    const seen: { url: string; auth: string | undefined }[] = [];
    const fetchImpl: FetchLike = (url, init) => {
      seen.push({ url, auth: init.headers.authorization });
      const key = (Object.keys(PREFETCH_TEMPLATES) as (keyof typeof PREFETCH_TEMPLATES)[]).find(
        (k) => url === `https://ehr.example/fhir/${fillTemplate(PREFETCH_TEMPLATES[k], "example")}`,
      );
      return Promise.resolve(
        key ? Response.json(prefetch[key]) : new Response("{}", { status: 404 }),
      );
    };
    const request = hookRequest({
      prefetch: { patient: prefetch.patient },
      fhirServer: "https://ehr.example/fhir/",
      fhirAuthorization: {
        access_token: "abc",
        token_type: "Bearer",
        expires_in: 300,
        scope: "patient/*.read",
        subject: "cds",
      },
    });
    const fetched = await handlePatientView(t.db, request, {
      clientIss: KEYS.iss,
      baseUrl: BASE,
      fhirServers: [EHR_FHIR],
      now: NOW,
      fetchImpl,
      newUuid,
    });
    const direct = await handlePatientView(t.db, hookRequest(), numbered);
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.auth === "Bearer abc")).toBe(true);
    if (fetched.status !== "ok" || direct.status !== "ok") throw new Error("expected cards");
    // Card and suggestion uuids are fresh per call; everything else must be the same.
    const strip = (cards: typeof direct.cards) =>
      cards.map(({ uuid: _u, suggestions, ...rest }) => ({
        ...rest,
        suggestions: suggestions?.map(({ uuid: _s, ...s }) => s),
      }));
    expect(strip(fetched.cards)).toEqual(strip(direct.cards));
  });

  it("lists a medication it cannot classify instead of guessing", async () => {
    const prefetch = usCorePrefetch();
    prefetch.medications = {
      resourceType: "Bundle",
      type: "searchset",
      entry: [
        {
          resource: {
            resourceType: "MedicationRequest",
            status: "active",
            intent: "order",
            subject: { reference: "Patient/example" },
            authoredOn: "2022-10-01",
            medicationCodeableConcept: { text: "Herbal sleep tonic" },
          },
        },
      ],
    };
    const result = await handlePatientView(t.db, hookRequest({ prefetch }), numbered);
    if (result.status !== "ok") throw new Error("expected cards");
    const info = result.cards.find((c) => c.summary.includes("could not use"));
    expect(info?.detail).toContain("Herbal sleep tonic");
  });
});

describe("feedback", () => {
  it("stores outcomes with the card's flag code and ruleset; the counts aggregate them", async () => {
    const result = await handlePatientView(t.db, hookRequest(), {
      clientIss: KEYS.iss,
      baseUrl: BASE,
      now: NOW,
    });
    if (result.status !== "ok") throw new Error("expected cards");
    const card = result.cards.find((c) => c.source.topic?.code === "depression.positive")!;
    await recordCdsFeedback(
      t.db,
      "bone-brain-axis",
      {
        feedback: [
          { card: card.uuid, outcome: "accepted", outcomeTimestamp: "2022-12-01T15:01:00Z" },
          {
            card: card.uuid,
            outcome: "overridden",
            overrideReason: {
              reason: {
                code: "patient-declined",
                system: "urn:bone-brain-care:cds-override-reason",
              },
              userComment: "later",
            },
            outcomeTimestamp: "2022-12-02T09:00:00Z",
          },
          { card: "unknown-card", outcome: "accepted", outcomeTimestamp: "2022-12-01T15:02:00Z" },
        ],
      },
      KEYS.iss,
      NOW,
    );
    const rows = await t.db.select().from(cdsFeedback).where(eq(cdsFeedback.cardUuid, card.uuid));
    expect(rows.map((r) => [r.outcome, r.flagCode, r.rulesetVersion])).toEqual(
      expect.arrayContaining([
        ["accepted", "depression.positive", RULESET_VERSION],
        ["overridden", "depression.positive", RULESET_VERSION],
      ]),
    );
    const world = await makeWorld(t.db, { role: "quality" });
    const counts = await cdsFeedbackCounts(
      { db: t.db, actor: world.actor },
      { from: "2022-12-01", to: "2022-12-01" },
    );
    expect(counts).toEqual(
      expect.arrayContaining([
        {
          flagCode: "depression.positive",
          rulesetVersion: RULESET_VERSION,
          accepted: 1,
          overridden: 0,
          acceptedSuggestions: 0,
        },
        {
          flagCode: null,
          rulesetVersion: null,
          accepted: 1,
          overridden: 0,
          acceptedSuggestions: 0,
        },
      ]),
    );
    const both = await cdsFeedbackCounts(
      { db: t.db, actor: world.actor },
      { from: "2022-12-01", to: "2022-12-02" },
    );
    expect(both.find((c) => c.flagCode === "depression.positive")).toMatchObject({
      accepted: 1,
      overridden: 1,
    });
    // Cards about patients not matched to ours belong to no site.
    expect(
      await cdsFeedbackCounts(
        { db: t.db, actor: world.actor },
        { from: "2022-12-01", to: "2022-12-02", siteIds: [world.siteId] },
      ),
    ).toEqual([]);
  });
});
