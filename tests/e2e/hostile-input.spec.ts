import fc from "fast-check";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { observationOf, postEntry } from "../fixtures/us-core";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";

/**
 * Hostile input: property-based fuzzing of every JSON write route with malformed JSON,
 * wrong types, huge and negative numbers, long and odd unicode strings, extra fields and bodies
 * over 1 MiB. The answer is always a 4xx problem+json with a message, never a 5xx or a stack
 * trace, and the database does not change. Runs are bounded (fixed seed, fixed count).
 */
const RUNS = 30;
const SEED = 20261126;

interface Target {
  name: string;
  method: "POST" | "PATCH";
  url: string;
  caller: string;
  valid: Record<string, unknown>;
  /** Keys the route may go without (removing them leaves a valid body). */
  optional?: string[];
}

const hostileValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(-1e308, 1e308, -2147483649, 9007199254740992, -1, 0.000001, Number.MIN_VALUE),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    "x".repeat(70_000),
    "\u0000\u0007\u001b[31m",
    "\u202e\u200f",
    "𝕏".repeat(500),
    "'; drop table patients; --",
    "<script>alert(1)</script>",
  ),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({ $gt: "" }),
  fc.constant([[[[[[[[[[]]]]]]]]]]),
);

/** A valid body with one field replaced by a hostile value, or one extra field. */
function mutate(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...keys), hostileValue)
      .map(([key, value]) => ({ ...valid, [key]: value })),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k)),
        hostileValue,
      )
      .map(([key, value]) => ({ ...valid, [key]: value })),
    fc
      .constantFrom(...keys)
      .map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
  );
}

const rawBodies = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom(
    "{",
    "[1,2",
    '{"a":}',
    "null",
    "[]",
    "0",
    '"text"',
    "\uFEFF{}",
    '{"__proto__":{"admin":true}}',
  ),
);

async function snapshot(api: APIRequestContext, patientId: string): Promise<string> {
  const patient: unknown = await (await api.get(`/api/v1/patients/${patientId}`)).json();
  const obs: unknown = await (
    await api.get(`/api/v1/patients/${patientId}/observations?includeRetracted=true`)
  ).json();
  const list: unknown = await (await api.get("/api/v1/patients?limit=100")).json();
  return JSON.stringify({
    flags: (patient as { openFlags: unknown[] }).openFlags,
    obs: (obs as { items: unknown[] }).items.length,
    patients: (list as { items: unknown[] }).items.length,
  });
}

function expectCleanRefusal(
  status: number,
  contentType: string,
  body: string,
  label: string,
): void {
  expect(status, `${label}: ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(status, `${label}: ${body.slice(0, 200)}`).toBeLessThan(500);
  expect(contentType, label).toMatch(/application\/problem\+json/);
  const problem = JSON.parse(body) as { title?: string; detail?: string; status?: number };
  expect(problem.status, label).toBe(status);
  expect(problem.detail?.length ?? 0, label).toBeGreaterThan(0);
  expect(body, label).not.toMatch(/\n\s+at |node_modules|Failed query|ECONN|stack/);
}

test("every JSON write route answers hostile bodies with a clean 4xx and changes nothing", async ({
  baseURL,
}) => {
  test.setTimeout(300_000);
  const clinician = await playwrightRequest.newContext({ baseURL });
  const care = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(clinician, "clinician@example.org");
  await credentialsSignIn(care, "care@example.org");
  const list = (await (await clinician.get("/api/v1/patients?limit=100")).json()) as {
    items: { id: string; siteId: string; siteCode: string; openFlagCount: number }[];
  };
  const patient = list.items.find((p) => p.openFlagCount > 0)!;
  const detail = (await (await clinician.get(`/api/v1/patients/${patient.id}`)).json()) as {
    openFlags: { id: string; version: number }[];
  };
  const obs = (await (
    await clinician.get(`/api/v1/patients/${patient.id}/observations`)
  ).json()) as { items: { id: string }[] };
  const flag = detail.openFlags[0]!;
  const admin = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(admin, "admin@example.org");
  const users = (await (await admin.get("/api/v1/admin/users")).json()) as {
    items: { id: string; email: string }[];
  };
  const careUserId = users.items.find((u) => u.email === "care@example.org")!.id;
  const contexts: Record<string, APIRequestContext> = { clinician, care, admin };
  const targets: Target[] = [
    {
      name: "assess",
      method: "POST",
      url: "/api/v1/assess",
      caller: "clinician",
      valid: {
        asOf: "2026-11-26",
        patient: { birthDate: "1950-01-01", sex: "female" },
        observations: [
          { kind: "phq9", effective: "2026-11-20", items: [1, 1, 1, 1, 1, 1, 1, 1, 0] },
        ],
      },
    },
    {
      name: "register patient",
      method: "POST",
      url: "/api/v1/patients",
      caller: "clinician",
      valid: {
        siteId: patient.siteId,
        mrn: "FUZZ-1",
        givenName: "Fuzz",
        familyName: "Case",
        birthDate: "1950-01-01",
        sex: "female",
        postmenopausal: true,
      },
      optional: ["postmenopausal"],
    },
    {
      name: "record visit",
      method: "POST",
      url: `/api/v1/patients/${patient.id}/visits`,
      caller: "clinician",
      valid: {
        occurredOn: "2026-11-26",
        observations: [{ kind: "phq9", items: [1, 1, 1, 1, 1, 1, 1, 1, 0] }],
      },
    },
    {
      name: "retract",
      method: "POST",
      url: `/api/v1/observations/${obs.items[0]!.id}/retract`,
      caller: "clinician",
      valid: { reason: "wrong patient" },
    },
    {
      name: "flag note",
      method: "PATCH",
      url: `/api/v1/flags/${flag.id}`,
      caller: "care",
      valid: { action: "note", version: flag.version, note: "ok" },
    },
  ];
  targets.push(
    {
      name: "create user",
      method: "POST",
      url: "/api/v1/admin/users",
      caller: "admin",
      valid: {
        email: "fuzz.user@example.org",
        name: "Fuzz User",
        role: "clinician",
        siteIds: [patient.siteId],
        password: "a-long-enough-password",
      },
      optional: ["siteIds"],
    },
    {
      name: "update user",
      method: "PATCH",
      url: `/api/v1/admin/users/${careUserId}`,
      caller: "admin",
      valid: { action: "update", name: "Cara Team" },
      optional: ["name"],
    },
    {
      name: "issue token",
      method: "POST",
      url: "/api/v1/admin/tokens",
      caller: "admin",
      valid: { name: "Fuzz EHR", scopes: ["fhir.read"], siteIds: [patient.siteId] },
    },
  );
  const usersBefore = JSON.stringify(
    (await (await admin.get("/api/v1/admin/users")).json()) as unknown,
  );
  const tokensBefore = JSON.stringify(
    (await (await admin.get("/api/v1/admin/tokens")).json()) as unknown,
  );
  const before = await snapshot(clinician, patient.id);

  for (const target of targets) {
    const api = contexts[target.caller]!;
    const send = async (data: string, contentType = "application/json") => {
      const res = await api.fetch(target.url, {
        method: target.method,
        data,
        headers: { "content-type": contentType },
      });
      return {
        status: res.status(),
        type: res.headers()["content-type"] ?? "",
        body: await res.text(),
      };
    };
    // Mutated bodies: the one valid field set a mutation might still produce (e.g. a shorter but
    // valid string) would be a write; such inputs are filtered out by requiring a change of type
    // or an unknown key, which every schema here refuses (strict objects).
    await fc.assert(
      fc.asyncProperty(mutate(target.valid), async (body) => {
        const changedType =
          Object.keys(target.valid).some(
            (k) =>
              typeof body[k] !== typeof target.valid[k] ||
              (body[k] === null) !== (target.valid[k] === null),
          ) || Object.keys(body).some((k) => !(k in target.valid));
        const droppedOptional =
          (target.optional ?? []).some((k) => !(k in body)) &&
          Object.keys(body).length === Object.keys(target.valid).length - 1;
        fc.pre(changedType && !droppedOptional);
        const r = await send(JSON.stringify(body));
        expectCleanRefusal(
          r.status,
          r.type,
          r.body,
          `${target.name} ${JSON.stringify(body).slice(0, 120)}`,
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await fc.assert(
      fc.asyncProperty(rawBodies, async (raw) => {
        const r = await send(raw);
        expectCleanRefusal(r.status, r.type, r.body, `${target.name} raw ${JSON.stringify(raw)}`);
      }),
      { numRuns: 15, seed: SEED },
    );
    const big = await send(JSON.stringify({ ...target.valid, pad: "x".repeat(1024 * 1024 + 10) }));
    expect(big.status, `${target.name} over 1 MiB`).toBe(413);
    expectCleanRefusal(big.status, big.type, big.body, `${target.name} over 1 MiB`);
    const wrongType = await send(JSON.stringify(target.valid), "text/plain");
    expect(wrongType.status, `${target.name} as text/plain`).toBe(415);
  }
  expect(await snapshot(clinician, patient.id)).toBe(before);
  expect(JSON.stringify((await (await admin.get("/api/v1/admin/users")).json()) as unknown)).toBe(
    usersBefore,
  );
  expect(JSON.stringify((await (await admin.get("/api/v1/admin/tokens")).json()) as unknown)).toBe(
    tokensBefore,
  );
  await admin.dispose();
  await clinician.dispose();
  await care.dispose();
});

test("injection attempts are stored inertly and rendered escaped", async ({ page, request }) => {
  await credentialsSignIn(request, "clinician@example.org");
  const list = (await (await request.get("/api/v1/patients?limit=1")).json()) as {
    items: { siteId: string }[];
  };
  const given = "Robert'); DROP TABLE patients;--";
  const family = `<img src=x onerror="window.__pwned=1">O'Hara`;
  const res = await request.post("/api/v1/patients", {
    data: {
      siteId: list.items[0]!.siteId,
      mrn: `INJ-${Date.now()}`,
      givenName: given,
      familyName: family,
      birthDate: "1948-02-02",
      sex: "female",
      postmenopausal: true,
    },
  });
  expect(res.status()).toBe(201);
  const created = (await res.json()) as { id: string; givenName: string; familyName: string };
  expect(created.givenName).toBe(given);
  expect(created.familyName).toBe(family);
  // The table is still there and the text comes back exactly as typed.
  const again = (await (await request.get(`/api/v1/patients/${created.id}`)).json()) as {
    patient: { familyName: string };
  };
  expect(again.patient.familyName).toBe(family);

  page.on("dialog", () => {
    throw new Error("a dialog opened: markup was executed");
  });
  await signInAs(page, "clinician@example.org", /\/patients$/);
  await page.goto(`/patients/${created.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("O'Hara");
  await expect(page.getByText(family, { exact: false }).first()).toBeVisible();
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
  ).toBeUndefined();
  expect(await page.locator("img[src='x']").count()).toBe(0);
});

test("the FHIR transaction endpoint answers hostile bundles with a 4xx OperationOutcome and imports nothing", async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const api = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(api, "clinician@example.org");
  const list = (await (await api.get("/api/v1/patients?limit=100")).json()) as {
    items: { id: string }[];
  };
  const patient = list.items[0]!;
  const before = await snapshot(api, patient.id);
  const valid = {
    resourceType: "Bundle",
    type: "transaction",
    entry: [
      postEntry(
        observationOf(
          "62292-8",
          {
            valueQuantity: {
              value: 25,
              unit: "ng/mL",
              system: "http://unitsofmeasure.org",
              code: "ng/mL",
            },
          },
          { subject: `Patient/${patient.id}`, effective: "2026-11-20" },
        ),
      ),
    ],
  };
  const check = (status: number, type: string, body: string, label: string) => {
    expect(status, `${label}: ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(status, label).toBeLessThan(500);
    expect(type, label).toMatch(/application\/(fhir|problem)\+json/);
    expect(body, label).not.toMatch(/\n\s+at |node_modules|Failed query|stack/);
  };
  await fc.assert(
    fc.asyncProperty(
      fc.tuple(fc.constantFrom("resourceType", "type", "entry"), hostileValue),
      async ([key, value]) => {
        const res = await api.post("/fhir/r4", {
          data: JSON.stringify({ ...valid, [key]: value }),
          headers: { "content-type": "application/fhir+json" },
        });
        check(
          res.status(),
          res.headers()["content-type"] ?? "",
          await res.text(),
          `bundle.${key}=${JSON.stringify(value).slice(0, 60)}`,
        );
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  await fc.assert(
    fc.asyncProperty(rawBodies, async (raw) => {
      const res = await api.post("/fhir/r4", {
        data: raw,
        headers: { "content-type": "application/fhir+json" },
      });
      check(
        res.status(),
        res.headers()["content-type"] ?? "",
        await res.text(),
        `raw ${JSON.stringify(raw)}`,
      );
    }),
    { numRuns: 15, seed: SEED },
  );
  expect(await snapshot(api, patient.id)).toBe(before);
  await api.dispose();
});
