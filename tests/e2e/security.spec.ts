import { expect, request as playwrightRequest, test } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { SignInPage } from "./pages/signin-page";

/*
 * The outside review's findings, end to end on the production build behind the app's own server
 * (scripts/lib/server.ts, TRUST_PROXY off): SECURITY.md lists what each test proves.
 */

const EVIL = "https://evil.example";

test("sign-in follows a callbackUrl on this origin only: /\\host is another host", async ({
  page,
  baseURL,
}) => {
  const signin = new SignInPage(page);
  await page.goto("/signin?callbackUrl=/%5Cevil.example/page");
  await signin.signIn("clinician@example.org");
  await expect(page).toHaveURL(/\/patients$/);
  expect(new URL(page.url()).origin).toBe(baseURL);

  await page.context().clearCookies();
  await page.goto("/signin?callbackUrl=/evidence%3Fq%3Dvitamin");
  await signin.signIn("clinician@example.org");
  await expect(page).toHaveURL(/\/evidence\?q=vitamin$/);
});

test("next-auth's credentials callback answers a callbackUrl with a bad host without failing", async ({
  request,
  baseURL,
}) => {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: {
      csrfToken: csrf.csrfToken,
      email: "clinician@example.org",
      password: "bonebrain-demo",
      callbackUrl: "http://127.0.0.1:3000.evil.example/",
      json: "true",
    },
  });
  expect(res.status()).toBe(200);
  const { url } = (await res.json()) as { url: string };
  expect(new URL(url).origin).toBe(baseURL);
});

test("after sign-out a copy of the session cookie gets 401", async ({ page, context, baseURL }) => {
  const signin = new SignInPage(page);
  await signin.goto();
  await signin.signIn("care@example.org");
  await expect(page).toHaveURL(/\/worklist$/);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("session-token"))!;
  const copy = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` },
  });
  try {
    expect((await copy.get("/api/v1/worklist")).status()).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    const after = await copy.get("/api/v1/patients");
    expect(after.status()).toBe(401);
    expect((await copy.get("/api/v1/worklist")).status()).toBe(401);
  } finally {
    await copy.dispose();
  }
});

test.describe("as a clinician and an administrator", () => {
  test("writes from another site are refused; patient JSON is never cached; bad text is a 422", async ({
    request,
  }) => {
    await credentialsSignIn(request, "clinician@example.org");
    const list = (await (await request.get("/api/v1/patients?limit=1")).json()) as {
      items: { id: string }[];
    };
    const id = list.items[0]!.id;
    const detail = await request.get(`/api/v1/patients/${id}`);
    expect(detail.status()).toBe(200);
    expect(detail.headers()["cache-control"]).toContain("no-store");

    const visit = {
      occurredOn: new Date().toISOString().slice(0, 10),
      observations: [{ kind: "falls", countPast12Months: 0 }],
    };
    const foreign: Record<string, string>[] = [
      { origin: EVIL },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreign) {
      const res = await request.post(`/api/v1/patients/${id}/visits`, { data: visit, headers });
      expect(res.status()).toBe(403);
    }
    const search = await request.get("/api/v1/patients?q=a%00b");
    expect(search.status()).toBe(422);
    expect(await search.json()).toMatchObject({ errors: [{ path: "q" }] });
  });

  test("X-Real-IP, X-Forwarded-For and a forged address header do not change the audited address", async ({
    request,
  }) => {
    await credentialsSignIn(request, "clinician@example.org");
    const list = (await (await request.get("/api/v1/patients?limit=1")).json()) as {
      items: { id: string }[];
    };
    const read = await request.get(`/api/v1/patients/${list.items[0]!.id}`, {
      headers: {
        "x-real-ip": "198.51.100.1",
        "x-forwarded-for": "198.51.100.2",
        "x-bbc-client-address": "198.51.100.3",
      },
    });
    expect(read.status()).toBe(200);

    await request.post("/api/auth/signout");
    await credentialsSignIn(request, "admin@example.org");
    const audit = (await (
      await request.get("/api/v1/audit?action=patients.read&user=clinician@example.org&limit=1")
    ).json()) as { items: { ip: string | null }[] };
    expect(audit.items[0]?.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  test("an administrator's token cannot be revoked from another site", async ({ request }) => {
    await credentialsSignIn(request, "admin@example.org");
    const sites = (
      (await (await request.get("/api/v1/admin/users")).json()) as { sites: { id: string }[] }
    ).sites;
    const issued = await request.post("/api/v1/admin/tokens", {
      data: { name: `Cross-site ${Date.now()}`, scopes: ["fhir.read"], siteIds: [sites[0]!.id] },
    });
    expect(issued.status()).toBe(201);
    const { item } = (await issued.json()) as { item: { id: string; expiresAt: string } };
    expect(new Date(item.expiresAt).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    const refused = await request.post(`/api/v1/admin/tokens/${item.id}/revoke`, {
      headers: { origin: EVIL, "sec-fetch-site": "cross-site" },
    });
    expect(refused.status()).toBe(403);
    const revoked = await request.post(`/api/v1/admin/tokens/${item.id}/revoke`);
    expect(revoked.status()).toBe(200);
  });
});

test("failed sign-ins slow an account down; an administrator unlocks it from the users screen", async ({
  page,
  request,
}) => {
  const email = "quality@example.org";
  const attempt = async (password: string) => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
    });
    return decodeURIComponent(((await res.json()) as { url: string }).url);
  };
  // Quick failures: after five, each waits twice as long as the one before (not counted when early).
  for (let i = 0; i < 10; i++) await attempt("not-the-password");
  expect(await attempt("bonebrain-demo")).toMatch(/Too many failed sign-ins for this account/);

  const signin = new SignInPage(page);
  await signin.goto();
  await signin.signIn("admin@example.org");
  await expect(page).toHaveURL(/\/users$/);
  await page.getByRole("button", { name: `Unlock sign-in for ${email}` }).click();
  await expect(page.getByRole("status")).toContainText(`Cleared the sign-in delays of ${email}`);
  await credentialsSignIn(request, email);
});
