import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { OTHER_SITE_CLINICIAN } from "../../scripts/lib/e2e-fixtures";
import { credentialsSignIn } from "./pages/api";
import { discoverRoutes, routeKey } from "./support/routes";

/**
 * The access-control matrix: every page and API route, found from the route tree,
 * against every kind of caller. The expected outcome of each pair lives in EXPECTED below; a route
 * without an entry fails the test, so a new route cannot ship without a decision.
 *
 * Outcomes: a status code (API), or for pages "ok" (200), "signin" (redirect to sign-in),
 * "forbidden" (redirect to /forbidden), "home" (redirect to the role's home), 404.
 * Bodies: write routes are called with an empty JSON object, so a caller who is allowed gets a
 * 4xx validation answer (400/422) and nothing is written; one who is not gets 401/403 first.
 */
const CALLERS = ["anonymous", "clinician", "care", "quality", "admin", "otherSite"] as const;
type Caller = (typeof CALLERS)[number];
type Outcome = number | "ok" | "signin" | "forbidden" | "home";
type Row = Record<Caller, Outcome>;

const row = (
  anonymous: Outcome,
  clinician: Outcome,
  care: Outcome,
  quality: Outcome,
  admin: Outcome,
  otherSite: Outcome,
): Row => ({
  anonymous,
  clinician,
  care,
  quality,
  admin,
  otherSite,
});

/** Pages: signed out → sign-in; wrong role → /forbidden; another site's patient → 404. */
const EXPECTED: Record<string, Row | "skip"> = {
  "GET /": row("signin", "home", "home", "home", "home", "home"),
  "GET /signin": row("ok", "home", "home", "home", "home", "home"),
  "GET /forbidden": row("ok", "ok", "ok", "ok", "ok", "ok"),
  "GET /evidence": row("signin", "ok", "ok", "ok", "ok", "ok"),
  "GET /patients": row("signin", "ok", "ok", "forbidden", "forbidden", "ok"),
  "GET /patients/new": row("signin", "ok", "forbidden", "forbidden", "forbidden", "ok"),
  "GET /patients/[patientId]": row("signin", "ok", "ok", "forbidden", "forbidden", 404),
  "GET /patients/[patientId]/visits/new": row(
    "signin",
    "ok",
    "forbidden",
    "forbidden",
    "forbidden",
    404,
  ),
  "GET /patients/[patientId]/print": row("signin", "ok", "ok", "forbidden", "forbidden", 404),
  "GET /worklist": row("signin", "forbidden", "ok", "forbidden", "forbidden", "forbidden"),
  "GET /worklist/bone": row("signin", "forbidden", "ok", "forbidden", "forbidden", "forbidden"),
  "GET /worklist/treat-to-target": row(
    "signin",
    "forbidden",
    "ok",
    "forbidden",
    "forbidden",
    "forbidden",
  ),
  "GET /quality": row("signin", "forbidden", "forbidden", "ok", "forbidden", "forbidden"),
  "GET /users": row("signin", "forbidden", "forbidden", "forbidden", "ok", "forbidden"),
  "GET /users/tokens": row("signin", "forbidden", "forbidden", "forbidden", "ok", "forbidden"),
  "GET /audit": row("signin", "forbidden", "forbidden", "forbidden", "ok", "forbidden"),
  // The patient's questionnaire needs no session: without its cookie it shows plain words only.
  "GET /self-report": row("ok", "ok", "ok", "ok", "ok", "ok"),
  // A self-report link: no session; an unknown token is 404 (used or expired: 410).
  "GET /r/[token]": row(404, 404, 404, 404, 404, 404),
  // The patient's answers: only with the self-report cookie /r/<token> sets, never a session.
  "POST /api/self-report/verify": row(401, 401, 401, 401, 401, 401),
  "PUT /api/self-report/answers": row(401, 401, 401, 401, 401, 401),
  "POST /api/self-report/submit": row(401, 401, 401, 401, 401, 401),

  // next-auth's own endpoints (csrf, session, callback, signout) are exercised by the sign-in tests.
  "GET /api/auth/[...nextauth]": "skip",
  "POST /api/auth/[...nextauth]": "skip",
  "GET /api/health": row(200, 200, 200, 200, 200, 200),
  // Any other path under /api is a problem+json 404, whoever asks and however.
  "GET /api/[...path]": row(404, 404, 404, 404, 404, 404),
  "POST /api/[...path]": row(404, 404, 404, 404, 404, 404),
  "PUT /api/[...path]": row(404, 404, 404, 404, 404, 404),
  "PATCH /api/[...path]": row(404, 404, 404, 404, 404, 404),
  "DELETE /api/[...path]": row(404, 404, 404, 404, 404, 404),
  // Prometheus text for administrators (and the METRICS_TOKEN bearer); the OpenAPI document for
  // anyone signed in.
  "GET /api/metrics": row(401, 403, 403, 403, 200, 403),
  "GET /api/v1/openapi.json": row(401, 200, 200, 200, 200, 200),
  "POST /api/v1/assess": row(401, 422, 422, 403, 403, 422),
  "GET /api/v1/patients": row(401, 200, 200, 403, 403, 200),
  "POST /api/v1/patients": row(401, 422, 403, 403, 403, 422),
  "GET /api/v1/patients/[patientId]": row(401, 200, 200, 403, 403, 404),
  "GET /api/v1/patients/[patientId]/observations": row(401, 200, 200, 403, 403, 404),
  "POST /api/v1/patients/[patientId]/visits": row(401, 422, 403, 403, 403, 422),
  "GET /api/v1/patients/[patientId]/contacts": row(401, 200, 200, 403, 403, 404),
  "POST /api/v1/patients/[patientId]/contacts": row(401, 422, 422, 403, 403, 422),
  "GET /api/v1/patients/[patientId]/self-reports": row(401, 200, 200, 403, 403, 404),
  "POST /api/v1/patients/[patientId]/self-reports": row(401, 422, 422, 403, 403, 422),
  "POST /api/v1/self-reports/[selfReportId]/accept": row(401, 404, 403, 403, 403, 404),
  "POST /api/v1/observations/[observationId]/retract": row(401, 422, 403, 403, 403, 422),
  "GET /api/v1/flags/[flagId]": row(401, 200, 200, 403, 403, 404),
  "PATCH /api/v1/flags/[flagId]": row(401, 422, 422, 403, 403, 422),
  "GET /api/v1/worklist": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/worklist.csv": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/worklist/treat-to-target": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/worklist/treat-to-target.csv": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/worklist/bone-registry": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/worklist/bone-registry.csv": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/sites/[siteId]/care-team": row(401, 403, 200, 403, 403, 403),
  "GET /api/v1/quality/metrics": row(401, 403, 403, 200, 403, 403),
  "GET /api/v1/quality/metrics.csv": row(401, 403, 403, 400, 403, 403),
  "GET /api/v1/admin/users": row(401, 403, 403, 403, 200, 403),
  "POST /api/v1/admin/users": row(401, 403, 403, 403, 422, 403),
  "PATCH /api/v1/admin/users/[userId]": row(401, 403, 403, 403, 422, 403),
  "GET /api/v1/audit": row(401, 403, 403, 403, 200, 403),
  "GET /api/v1/audit.csv": row(401, 403, 403, 403, 200, 403),
  "GET /api/v1/admin/tokens": row(401, 403, 403, 403, 200, 403),
  "POST /api/v1/admin/tokens": row(401, 403, 403, 403, 422, 403),
  "POST /api/v1/admin/tokens/[tokenId]/revoke": row(401, 403, 403, 403, 404, 403),
  "GET /api/v1/admin/sites": row(401, 403, 403, 403, 200, 403),
  "PATCH /api/v1/admin/sites/[siteId]": row(401, 403, 403, 403, 422, 403),

  // FHIR R4: the CapabilityStatement is public; everything else needs a session or an API token.
  // Searches about another site's patient answer an empty Bundle (checked below).
  "GET /fhir/r4/metadata": row(200, 200, 200, 200, 200, 200),
  "GET /fhir/r4/Patient/[patientId]": row(401, 200, 200, 403, 403, 404),
  "GET /fhir/r4/Patient/[patientId]/$everything": row(401, 200, 200, 403, 403, 404),
  "GET /fhir/r4/Observation": row(401, 200, 200, 403, 403, 200),
  "GET /fhir/r4/Condition": row(401, 200, 200, 403, 403, 200),
  "GET /fhir/r4/MedicationRequest": row(401, 200, 200, 403, 403, 200),
  "POST /fhir/r4": row(401, 400, 403, 403, 403, 400),
  "GET /fhir/r4/Patient": row(401, 200, 200, 403, 403, 200),
  // Reads by id, asked with an id that is no such resource: not found, after the permission check.
  "GET /fhir/r4/Observation/[id]": row(401, 404, 404, 403, 403, 404),
  "GET /fhir/r4/Condition/[id]": row(401, 404, 404, 403, 403, 404),
  "GET /fhir/r4/MedicationRequest/[id]": row(401, 404, 404, 403, 403, 404),
  // Any other path under /fhir/r4 is a FHIR 404, whoever asks and however.
  "GET /fhir/r4/[...path]": row(404, 404, 404, 404, 404, 404),
  "POST /fhir/r4/[...path]": row(404, 404, 404, 404, 404, 404),
  "PUT /fhir/r4/[...path]": row(404, 404, 404, 404, 404, 404),
  "PATCH /fhir/r4/[...path]": row(404, 404, 404, 404, 404, 404),
  "DELETE /fhir/r4/[...path]": row(404, 404, 404, 404, 404, 404),

  // CDS Hooks: discovery is public; calls authenticate with the client's JWT, never a session.
  "GET /cds-services": row(200, 200, 200, 200, 200, 200),
  "POST /cds-services/[serviceId]": row(401, 401, 401, 401, 401, 401),
  "POST /cds-services/[serviceId]/feedback": row(401, 401, 401, 401, 401, 401),

  // SMART launch: the EHR, not a session, decides; without iss or state both refuse with a page.
  "GET /smart/launch": row(400, 400, 400, 400, 400, 400),
  "GET /smart/callback": row(400, 400, 400, 400, 400, 400),
  "GET /smart/jwks.json": row(200, 200, 200, 200, 200, 200),
};

interface Samples {
  mrn: string;
  userId: string;
  patientId: string;
  flagId: string;
  observationId: string;
  siteId: string;
}

function fill(pattern: string, s: Samples): string {
  return pattern
    .replace("[patientId]", s.patientId)
    .replace("[flagId]", s.flagId)
    .replace("[observationId]", s.observationId)
    .replace("[siteId]", s.siteId)
    .replace("[userId]", s.userId)
    .replace("[tokenId]", "00000000-0000-4000-8000-000000000000")
    .replace("[selfReportId]", "00000000-0000-4000-8000-000000000000")
    .replace("[token]", "not-a-token")
    .replace("[serviceId]", "bone-brain-axis")
    .replace("[id]", s.flagId);
}

const EMAIL: Record<Exclude<Caller, "anonymous">, string> = {
  clinician: "clinician@example.org",
  care: "care@example.org",
  quality: "quality@example.org",
  admin: "admin@example.org",
  otherSite: OTHER_SITE_CLINICIAN,
};
const HOME: Record<Exclude<Caller, "anonymous">, string> = {
  clinician: "/patients",
  care: "/worklist",
  quality: "/quality",
  admin: "/users",
  otherSite: "/patients",
};

test("every route in the tree has an expected outcome for every caller", () => {
  const missing = discoverRoutes()
    .map(routeKey)
    .filter((key) => !(key in EXPECTED));
  expect(missing, "routes without an entry in the access matrix").toEqual([]);
  const stale = Object.keys(EXPECTED).filter(
    (key) => !discoverRoutes().some((r) => routeKey(r) === key),
  );
  expect(stale, "matrix entries for routes that no longer exist").toEqual([]);
});

test("every route answers every caller as the matrix says", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const contexts = {} as Record<Caller, APIRequestContext>;
  for (const caller of CALLERS) {
    contexts[caller] = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
    if (caller !== "anonymous") await credentialsSignIn(contexts[caller], EMAIL[caller]);
  }
  // Samples: a patient of the north site (the other-site clinician works only at river).
  const clinician = contexts.clinician;
  const list = (await (await clinician.get("/api/v1/patients?limit=100")).json()) as {
    items: { id: string; siteId: string; siteCode: string; mrn: string; openFlagCount: number }[];
  };
  const patient = list.items.find((p) => p.siteCode === "north" && p.openFlagCount > 0)!;
  const detail = (await (await clinician.get(`/api/v1/patients/${patient.id}`)).json()) as {
    openFlags: { id: string }[];
  };
  const observations = (await (
    await clinician.get(`/api/v1/patients/${patient.id}/observations`)
  ).json()) as {
    items: { id: string }[];
  };
  const users = (await (await contexts.admin.get("/api/v1/admin/users")).json()) as {
    items: { id: string; email: string }[];
  };
  const samples: Samples = {
    mrn: patient.mrn,
    userId: users.items.find((u) => u.email === EMAIL.clinician)!.id,
    patientId: patient.id,
    flagId: detail.openFlags[0]!.id,
    observationId: observations.items[0]!.id,
    siteId: patient.siteId,
  };

  const failures: string[] = [];
  for (const route of discoverRoutes()) {
    const expected = EXPECTED[routeKey(route)];
    if (!expected || expected === "skip") continue;
    // FHIR searches are asked about the sample patient.
    const search = /^\/fhir\/r4\/(Observation|Condition|MedicationRequest)$/.test(route.pattern)
      ? `?patient=${samples.patientId}`
      : "";
    const url = fill(route.pattern, samples) + search;
    for (const caller of CALLERS) {
      const want = expected[caller];
      const res = await contexts[caller].fetch(url, {
        method: route.method,
        ...(route.method === "GET" ? {} : { data: {} }),
        maxRedirects: 0,
      });
      let got: Outcome = res.status();
      if (route.kind === "page") {
        const body = res.status() === 200 ? await res.text() : "";
        // Under a loading boundary the response is already streaming when a page decides to
        // redirect or to answer "not found": Next.js then sends status 200 with a redirect meta
        // tag or the not-found page instead of the content. Both are refusals; read them as such.
        const streamedRedirect =
          /<meta id="__next-page-redirect" http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(
            body,
          )?.[1];
        const streamedNotFound =
          body.includes('<meta name="robots" content="noindex"/>') && /not found/i.test(body);
        const location = streamedRedirect ?? res.headers()["location"] ?? "";
        if (streamedNotFound) got = 404;
        else if (res.status() === 200 && !streamedRedirect) got = "ok";
        else if (location) {
          const target = new URL(location.replace(/&amp;/g, "&"), baseURL).pathname;
          got =
            target === "/signin"
              ? "signin"
              : target === "/forbidden"
                ? "forbidden"
                : caller !== "anonymous" && (target === HOME[caller] || target === "/")
                  ? "home"
                  : res.status();
        }
        // Whatever the status, a refused caller never receives the patient's record.
        if (want !== "ok" && body.includes(samples.mrn))
          failures.push(`${routeKey(route)} as ${caller}: body contains the patient's MRN`);
      } else if (res.status() >= 400) {
        // Every refusal is problem+json (FHIR routes use OperationOutcome).
        const type = res.headers()["content-type"] ?? "";
        if (!/application\/(problem|fhir)\+json/.test(type))
          failures.push(`${routeKey(route)} as ${caller}: ${res.status()} with ${type}`);
      }
      if (got !== want)
        failures.push(`${routeKey(route)} as ${caller}: expected ${want}, got ${got}`);
      if (res.status() >= 500)
        failures.push(`${routeKey(route)} as ${caller}: server error ${res.status()}`);
    }
  }
  for (const c of Object.values(contexts)) await c.dispose();
  expect(failures).toEqual([]);
});
