import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { credentialsSignIn } from "./pages/api";
import { SignInPage, signInAs } from "./pages/signin-page";

test.beforeAll(async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
  expect(await health.json()).toMatchObject({ status: "ok", db: "ok" });
});

const HOMES = [
  { email: "clinician@example.org", path: "/patients", heading: "Patients", role: "Clinician" },
  { email: "care@example.org", path: "/worklist", heading: "Worklist", role: "Care team" },
  { email: "quality@example.org", path: "/quality", heading: "Quality", role: "Quality" },
  { email: "admin@example.org", path: "/users", heading: "Users", role: "Administrator" },
];

for (const home of HOMES) {
  test(`${home.email} signs in and lands on ${home.path}`, async ({ page }) => {
    await signInAs(page, home.email, new RegExp(`${home.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: home.heading })).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(home.role);
    // `/` sends the role home too.
    await page.goto("/");
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
  });
}

test("a wrong password shows an error and stays on sign-in", async ({ page }) => {
  const signin = new SignInPage(page);
  await signin.goto();
  await signin.signIn("care@example.org", "not-the-password");
  await expect(signin.error()).toContainText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/signin/);
});

test("a signed-out visit to a protected page goes to sign-in", async ({ page }) => {
  await page.goto("/patients");
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/signin/);
});

test("sign-out ends the session", async ({ page }) => {
  await signInAs(page, "clinician@example.org", /\/patients$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/patients");
  await expect(page).toHaveURL(/\/signin/);
});

test("a role cannot open another role's page", async ({ page }) => {
  await signInAs(page, "quality@example.org", /\/quality$/);
  await page.goto("/patients?q=smith");
  // The refused page goes along, so the page can say which it was.
  await expect(page).toHaveURL(/\/forbidden\?from=%2Fpatients%3Fq%3Dsmith$/);
  await expect(
    page.getByRole("heading", { name: "This page is not part of your role" }),
  ).toBeVisible();
  await expect(page.getByRole("main")).toContainText("/patients?q=smith");
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "Back to your home page" }).click();
  await expect(page).toHaveURL(/\/quality$/);
});

test("the clinician sees seeded patients of their sites", async ({ page }) => {
  await signInAs(page, "clinician@example.org", /\/patients$/);
  await expect(page.getByRole("table")).toBeVisible();
  expect(await page.getByRole("row").count()).toBeGreaterThan(5);
});

test.describe("API", () => {
  test("answers 401 problem+json without a session", async ({ request }) => {
    const res = await request.get("/api/v1/patients");
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 401, title: "Sign-in required" });
  });

  test("signs in through /api/auth/csrf and /api/auth/callback/credentials and lists patients", async ({
    request,
  }) => {
    await credentialsSignIn(request, "clinician@example.org");
    const res = await request.get("/api/v1/patients?limit=5");
    expect(res.status()).toBe(200);
    const body = (await res.json()) as {
      items: { id: string; mrn: string }[];
      nextCursor: string | null;
    };
    expect(body.items).toHaveLength(5);
    expect(body.nextCursor).toEqual(expect.any(String));
    const next = await request.get(
      `/api/v1/patients?limit=5&cursor=${encodeURIComponent(body.nextCursor!)}`,
    );
    const page2 = (await next.json()) as { items: { id: string }[] };
    expect(page2.items.map((i) => i.id)).not.toContain(body.items[0]!.id);
    const bad = await request.get("/api/v1/patients?limit=abc");
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: "limit" })],
    });
  });

  test("answers 403 to a role without permission", async ({ request }) => {
    await credentialsSignIn(request, "quality@example.org");
    const res = await request.get("/api/v1/patients");
    expect(res.status()).toBe(403);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
  });
});
