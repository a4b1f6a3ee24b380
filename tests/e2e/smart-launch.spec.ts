import { expect, request as playwrightRequest, test } from "@playwright/test";
import { startSmartEhr, usCoreEhrRecord, type SmartEhr } from "../support/smart-ehr";
import { credentialsSignIn } from "./pages/api";
import { startServer, stopServer, type ServerProcess } from "./support/server-process";

/*
 * The EHR launch in Chromium: a real authorization server (oidc-provider) and FHIR endpoint play
 * the EHR; an app server of its own is configured with SMART_CLIENTS pointing at them. The
 * clinician follows the EHR's launch link and lands on the patient's page, signed in, with the
 * EHR's data imported and the flags shown, without typing a password.
 */

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const APP_PORT = E2E_PORT + 10;
const APP = `http://localhost:${APP_PORT}`;
/** A second app server in embedded mode (SMART_EMBEDDED), framed by the EHR's screen. */
const EMBEDDED = `http://localhost:${APP_PORT + 1}`;
const SECRET = "e2e-smart-client-secret-0123456789";

let ehr: SmartEhr;

/** SMART_CLIENTS of both app servers: the test EHR's FHIR base, mapped to the north site. */
const smartClients = () =>
  JSON.stringify([
    {
      iss: ehr.iss("/fhir"),
      clientId: "bbc-e2e",
      clientSecret: SECRET,
      site: "north",
      name: "Test EHR",
    },
  ]);
let server: ServerProcess;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ehr = await startSmartEhr({
    asPort: E2E_PORT + 1000,
    fhirPort: E2E_PORT + 1010,
    clients: [
      {
        client_id: "bbc-e2e",
        client_secret: SECRET,
        redirect_uris: [`${APP}/smart/callback`, `${EMBEDDED}/smart/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    accounts: [
      { id: "ada", claims: { fhirUser: "Practitioner/ada", email: "clinician@example.org" } },
      { id: "nobody", claims: { fhirUser: "Practitioner/z", email: "nobody@example.org" } },
    ],
    bases: [{ path: "/fhir", resources: usCoreEhrRecord() }],
  });
  server = await startServer(APP_PORT, {
    E2E_DATA_DIR: `.data/e2e-smart-${APP_PORT}`,
    SMART_CLIENTS: smartClients(),
  });
  // The patient the EHR has open is registered at the mapped site (MRN of the US Core example).
  const api = await playwrightRequest.newContext({ baseURL: APP });
  await credentialsSignIn(api, "clinician@example.org");
  const sites = (await (await api.get("/api/v1/patients?limit=100")).json()) as {
    items: { siteId: string; siteCode: string }[];
  };
  const north = sites.items.find((p) => p.siteCode === "north")!.siteId;
  const created = await api.post("/api/v1/patients", {
    data: {
      siteId: north,
      mrn: "1032702",
      givenName: "Amy",
      familyName: "Baxter",
      birthDate: "1987-02-20",
      sex: "female",
    },
  });
  expect(created.status()).toBe(201);
  await api.dispose();
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  if (ehr) await ehr.close();
});

test("an EHR launch opens the patient, signed in, with the EHR's data imported and flags shown", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visited: string[] = [];
  page.on("framenavigated", (frame) => visited.push(frame.url()));
  const launch = ehr.createLaunch("ada", "example");
  await page.goto(
    `${APP}/smart/launch?iss=${encodeURIComponent(ehr.iss("/fhir"))}&launch=${launch}`,
  );
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}\?launched=1$/);
  await expect(page.getByRole("heading", { name: /Baxter/ })).toBeVisible();
  const imports = page.getByRole("region", { name: "Imported from the EHR" });
  await expect(imports).toContainText("Test EHR");
  await expect(imports).toContainText(ehr.iss("/fhir"));
  await expect(imports).toContainText(/\d+ new/);
  // The flags come from the imported data (PHQ-9 of 12, vitamin D of 12 ng/mL, a hip fracture).
  await expect(page.getByRole("heading", { name: /^Open flags \([1-9]\d*\)$/ })).toBeVisible();
  // No password was asked: the sign-in page was never shown, and no access token reached the page.
  expect(visited.some((u) => new URL(u).pathname === "/signin")).toBe(false);
  expect(await page.content()).not.toMatch(/access_token/);
  const cookies = await context.cookies(APP);
  expect(cookies.find((c) => c.name === "next-auth.session-token")?.httpOnly).toBe(true);
  expect(cookies.some((c) => c.name.startsWith("bbc-smart-"))).toBe(false);
  await context.close();
});

test("an unknown issuer and a practitioner without an account get a page that says so", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const unknown = await page.goto(
    `${APP}/smart/launch?iss=${encodeURIComponent("https://unknown-ehr.example/fhir")}&launch=x`,
  );
  expect(unknown?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("is not registered with Bone–Brain Care");

  const launch = ehr.createLaunch("nobody", "example");
  await page.goto(
    `${APP}/smart/launch?iss=${encodeURIComponent(ehr.iss("/fhir"))}&launch=${launch}`,
  );
  await expect(page.getByRole("alert")).toContainText("have no account in Bone–Brain Care");
  expect(await context.cookies(APP)).not.toContainEqual(
    expect.objectContaining({ name: "next-auth.session-token" }),
  );
  await context.close();

  // Both refusals are in the audit log, with the issuer.
  const admin = await playwrightRequest.newContext({ baseURL: APP });
  await credentialsSignIn(admin, "admin@example.org");
  const audit = (await (
    await admin.get("/api/v1/audit?action=smart.launch&outcome=denied&limit=50")
  ).json()) as { items: { detail: { reason?: string; iss?: string } }[] };
  const reasons = audit.items.map((e) => `${e.detail.reason} ${e.detail.iss}`);
  expect(reasons).toContain("unknown-issuer https://unknown-ehr.example/fhir");
  expect(reasons).toContain(`no-local-account ${ehr.iss("/fhir")}`);
  await admin.dispose();
});

test.describe("embedded in the EHR's frame", () => {
  let embedded: ServerProcess;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    embedded = await startServer(APP_PORT + 1, {
      E2E_DATA_DIR: `.data/e2e-smart-${APP_PORT + 1}`,
      SMART_EMBEDDED: "true",
      SMART_CLIENTS: smartClients(),
    });
  });

  test.afterAll(async () => {
    if (embedded) await stopServer(embedded);
  });

  test("the launch runs inside the EHR's iframe and the patient (registered from the EHR) opens there", async ({
    browser,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const launch = ehr.createLaunch("ada", "example");
    await page.goto(
      ehr.framePage(
        `${EMBEDDED}/smart/launch?iss=${encodeURIComponent(ehr.iss("/fhir"))}&launch=${launch}`,
      ),
    );
    const app = page.frameLocator('iframe[title="Bone–Brain Care"]');
    await expect(app.getByRole("heading", { name: "Imported from the EHR" })).toBeVisible();
    await expect(app.getByRole("heading", { name: /Baxter/ })).toBeVisible();
    const session = (await context.cookies(EMBEDDED)).find(
      (c) => c.name === "next-auth.session-token",
    );
    expect(session).toMatchObject({ sameSite: "None", secure: true, httpOnly: true });
    // Only the configured EHR origin may frame the app.
    const res = await context.request.get(`${EMBEDDED}/signin`);
    const csp = res.headers()["content-security-policy"] ?? "";
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(ehr.iss("/fhir")).origin}`);
    expect(res.headers()["x-frame-options"]).toBeUndefined();
    await context.close();
  });
});
