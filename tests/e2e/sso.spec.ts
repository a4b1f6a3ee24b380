import { expect, request, test, type APIRequestContext, type Page } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { DEMO_PASSWORD } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { startServer, stopServer, type ServerProcess } from "./support/server-process";
import {
  startAuthorizationServer,
  type AuthorizationServer,
  type TestAccount,
} from "../support/oidc-server";

/**
 * Hospital single sign-on against a real OpenID Connect server (oidc-provider, started here):
 * an app server of our own configured with OIDC_* signs a hospital user in as the local account
 * with the same verified email; an unknown user, an unverified email and id_tokens for another
 * audience, from another issuer or expired are refused with a clear page and audited; local
 * passwords follow LOCAL_SIGNIN (breakglass, then off).
 */
const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// Offsets no other spec uses (cluster +50, crash safety +40…, operations +60).
const APP_PORT = E2E_PORT + 70;
const IDP_PORT = E2E_PORT + 1000;
const APP_URL = `http://localhost:${APP_PORT}`;
const SSO_NAME = "Hospital sign-in";
const CLIENT = {
  client_id: "bone-brain-care",
  client_secret: "e2e-only-client-secret",
  redirect_uris: [`${APP_URL}/api/auth/callback/oidc`],
};
const PASSWORD = "idp-password";

const ACCOUNTS = {
  clinician: {
    id: "idp-0001",
    login: "ana.clinician",
    password: PASSWORD,
    claims: { email: "Clinician@Example.org", email_verified: true, name: "Ana Clinician" },
  },
  unverified: {
    id: "idp-0002",
    login: "carl.unverified",
    password: PASSWORD,
    claims: { email: "care@example.org", email_verified: false, name: "Carl Care" },
  },
  unknown: {
    id: "idp-0003",
    login: "sam.stranger",
    password: PASSWORD,
    claims: { email: "sam.stranger@hospital.example", email_verified: true, name: "Sam" },
  },
} satisfies Record<string, TestAccount>;

let idp: AuthorizationServer;
/** The break-glass administrator's password session, opened before passwords are switched off. */
let breakglassSession: Awaited<ReturnType<APIRequestContext["storageState"]>> | undefined;
/** The clinician's single sign-on session, which the switch leaves alone. */
let ssoSession: Awaited<ReturnType<APIRequestContext["storageState"]>> | undefined;
let app: ServerProcess | undefined;

async function startApp(localSignIn: "breakglass" | "off"): Promise<void> {
  if (app) await stopServer(app);
  app = await startServer(APP_PORT, {
    E2E_DATA_DIR: `.data/e2e-sso-${APP_PORT}`,
    // The second start keeps the data (and the audit events) of the first.
    ...(localSignIn === "off" ? { E2E_KEEP_DATA: "1" } : {}),
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.client_id,
    OIDC_CLIENT_SECRET: CLIENT.client_secret,
    OIDC_NAME: SSO_NAME,
    LOCAL_SIGNIN: localSignIn,
    ...(localSignIn === "breakglass" ? { BREAKGLASS_EMAIL: "admin@example.org" } : {}),
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  idp = await startAuthorizationServer({
    port: IDP_PORT,
    clients: [CLIENT],
    accounts: Object.values(ACCOUNTS),
    signIn: "form",
  });
  await startApp("breakglass");
});

test.afterAll(async () => {
  if (app) await stopServer(app);
  await idp?.close();
});

test.use({ baseURL: APP_URL });

/** From the app's sign-in page through the provider's login page, back to the app. */
async function ssoSignIn(page: Page, account: Required<TestAccount>): Promise<void> {
  await page.goto("/signin");
  const button = page.getByRole("button", { name: `Sign in with ${SSO_NAME}` });
  // The button has the focus: Enter starts the sign-in, no pointer needed.
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.getByLabel("Username").fill(account.login);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function adminApi(): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: APP_URL });
  await credentialsSignIn(api, "admin@example.org");
  return api;
}

interface SignInEvent {
  actorEmail: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

async function signInEvents(api: APIRequestContext): Promise<SignInEvent[]> {
  const res = await api.get("/api/v1/audit?action=auth.sign-in&limit=100");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: SignInEvent[] }).items;
}

test.describe.configure({ mode: "serial" });

test("lists the oidc provider with its label", async ({ request: api }) => {
  const providers = (await (await api.get("/api/auth/providers")).json()) as Record<
    string,
    { id: string; name: string; callbackUrl: string }
  >;
  expect(providers.oidc).toMatchObject({
    id: "oidc",
    name: SSO_NAME,
    callbackUrl: `${APP_URL}/api/auth/callback/oidc`,
  });
});

test("signs a hospital user in as the local account with the same verified email", async ({
  page,
}) => {
  await ssoSignIn(page, ACCOUNTS.clinician);
  await expect(page).toHaveURL(`${APP_URL}/patients`);
  const session = (await (await page.request.get("/api/auth/session")).json()) as {
    user: { email: string; role: string; siteIds: string[] };
  };
  expect(session.user).toMatchObject({ email: "clinician@example.org", role: "clinician" });
  expect(session.user.siteIds.length).toBeGreaterThan(0);
  // The session works for the API like a password session.
  expect((await page.request.get("/api/v1/patients?limit=1")).status()).toBe(200);
  ssoSession = await page.context().storageState();
});

test("refuses a hospital user without a local account, with a clear page", async ({ page }) => {
  await ssoSignIn(page, ACCOUNTS.unknown);
  await expect(page).toHaveURL(/\/signin\?error=SsoNoAccount/);
  await expect(page.locator("#signin-error")).toContainText(
    "no Bone–Brain Care account has your email address",
  );
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
});

test("refuses an email the provider did not verify", async ({ page }) => {
  await ssoSignIn(page, ACCOUNTS.unverified);
  await expect(page).toHaveURL(/\/signin\?error=SsoUnverifiedEmail/);
  await expect(page.locator("#signin-error")).toContainText("did not confirm your email address");
});

const TAMPERED: [string, string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
  ["for another audience", "audience", (c) => ({ ...c, aud: "another-client" })],
  ["from another issuer", "issuer", (c) => ({ ...c, iss: "http://127.0.0.1:1" })],
  ["that has expired", "token-time", (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 })],
];

for (const [name, cause, tamper] of TAMPERED) {
  test(`refuses an id_token ${name}`, async ({ page }) => {
    idp.tamperNextIdToken(tamper);
    try {
      await ssoSignIn(page, ACCOUNTS.clinician);
      await expect(page).toHaveURL(/\/signin\?.*error=OAuthCallback/);
      await expect(page.locator("#signin-error")).toContainText(
        `Sign-in with ${SSO_NAME} could not be completed`,
      );
      expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
      // The log says why in one word, and never quotes the token's claims.
      await expect.poll(() => app!.output()).toContain(`next-auth OAUTH_CALLBACK_ERROR (${cause})`);
      expect(app!.output()).not.toContain(ACCOUNTS.clinician.claims.name);
    } finally {
      idp.tamperNextIdToken(null);
    }
  });
}

test("refuses a callback whose state is not this browser's", async ({ page }) => {
  // The authorization request leaves with another state than the one in this browser's cookie,
  // so the provider's answer comes back with it (a forged or crossed-over response).
  await page.route(`${APP_URL}/api/auth/signin/oidc*`, async (route) => {
    const response = await route.fetch();
    const { url } = (await response.json()) as { url: string };
    const forged = new URL(url);
    forged.searchParams.set("state", "forged-state");
    await route.fulfill({ response, json: { url: forged.toString() } });
  });
  await ssoSignIn(page, ACCOUNTS.clinician);
  await expect(page).toHaveURL(/\/signin\?.*error=OAuthCallback/);
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
  await expect.poll(() => app!.output()).toContain("next-auth OAUTH_CALLBACK_ERROR (state)");
});

test("refuses a replayed callback (its code and state were used once)", async ({
  page,
  browser,
}) => {
  let callback: string | null = null;
  page.on("request", (req) => {
    if (req.url().startsWith(`${APP_URL}/api/auth/callback/oidc?`)) callback = req.url();
  });
  await ssoSignIn(page, ACCOUNTS.clinician);
  await expect(page).toHaveURL(`${APP_URL}/patients`);
  expect(callback).not.toBeNull();
  // Another browser replaying the same redirect (as from a leaked URL) gets no session.
  const other = await browser.newContext({ baseURL: APP_URL });
  const replay = await other.newPage();
  await replay.goto(callback!);
  await expect(replay).toHaveURL(/\/signin\?.*error=OAuthCallback/);
  expect(await (await replay.request.get("/api/auth/session")).json()).toEqual({});
  await other.close();
});

test("an app without OIDC_* offers no single sign-on", async () => {
  const plain = await request.newContext({ baseURL: `http://localhost:${E2E_PORT}` });
  const providers = (await (await plain.get("/api/auth/providers")).json()) as object;
  expect(Object.keys(providers)).toEqual(["credentials"]);
  await plain.dispose();
});

test("breakglass: passwords only for the named administrator", async ({ page }) => {
  await page.goto("/signin");
  // The password form is folded away, and says whom it is for.
  await expect(page.getByLabel("Email")).toBeHidden();
  await page.getByText("Break-glass administrator sign-in").click();
  await expect(page.getByText("except for one named administrator")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("Email").fill("clinician@example.org");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in with password" }).click();
  await expect(page.locator("#signin-error")).toContainText(
    "Password sign-in is switched off here",
  );
  await page.getByLabel("Email").fill("admin@example.org");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in with password" }).click();
  await expect(page).toHaveURL(`${APP_URL}/users`);
});

test("audits every single sign-on with provider and issuer, and password refusals as local", async () => {
  const api = await adminApi();
  const events = await signInEvents(api);
  const sso = events.filter((e) => e.detail.provider === "oidc");
  expect(sso.every((e) => e.detail.issuer === idp.issuer)).toBe(true);
  expect(sso).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        outcome: "success",
        actorEmail: "clinician@example.org",
        detail: expect.objectContaining({ subject: ACCOUNTS.clinician.id }),
      }),
      expect.objectContaining({
        outcome: "denied",
        actorEmail: "sam.stranger@hospital.example",
        detail: expect.objectContaining({ reason: "no-account" }),
      }),
      expect.objectContaining({
        outcome: "denied",
        actorEmail: "care@example.org",
        detail: expect.objectContaining({ reason: "email-unverified" }),
      }),
    ]),
  );
  // The three refused id_tokens, the forged state and the replay: failures before any identity
  // was accepted.
  expect(
    sso.filter((e) => e.outcome === "failure" && e.detail.reason === "OAuthCallback"),
  ).toHaveLength(5);
  expect(events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        outcome: "denied",
        actorEmail: "clinician@example.org",
        detail: { provider: "local", reason: "local-signin-breakglass-only" },
      }),
      expect.objectContaining({
        outcome: "success",
        actorEmail: "admin@example.org",
        detail: { provider: "local" },
      }),
    ]),
  );
  breakglassSession = await api.storageState();
  await api.dispose();
});

test("off: no password sign-in at all, single sign-on still works", async ({ page }) => {
  test.setTimeout(180_000);
  await startApp("off");
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/signin");
  await expect(page.getByText("Password sign-in is switched off here")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveCount(0);
  await expect(page.getByText("Demo accounts")).toHaveCount(0);
  // Small screens: the button fits, nothing scrolls sideways.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(overflow).toBe(false);
  await expectNoSeriousA11yViolations(page);

  // A password posted straight to next-auth is refused too, the administrator's included.
  const api = await request.newContext({ baseURL: APP_URL });
  const csrf = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await api.post("/api/auth/callback/credentials", {
    form: {
      csrfToken: csrf.csrfToken,
      email: "admin@example.org",
      password: DEMO_PASSWORD,
      json: "true",
    },
  });
  expect(await (await api.get("/api/auth/session")).json()).toEqual({});
  await api.dispose();

  // A password session opened while break-glass allowed it ends with the switch.
  const earlier = await request.newContext({ baseURL: APP_URL, storageState: breakglassSession });
  expect((await earlier.get("/api/v1/audit?limit=1")).status()).toBe(401);
  await earlier.dispose();
  const sso = await request.newContext({ baseURL: APP_URL, storageState: ssoSession });
  expect((await sso.get("/api/v1/patients?limit=1")).status()).toBe(200);
  await sso.dispose();

  await ssoSignIn(page, ACCOUNTS.clinician);
  await expect(page).toHaveURL(`${APP_URL}/patients`);
});
