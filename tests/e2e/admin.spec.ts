import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { careTeamActsOnFirstPatient, credentialsSignIn } from "./pages/api";
import { SignInPage, signInAs } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";

const ADMIN = "admin@example.org";

test("the admin creates a clinician who can sign in, then disables them: their session is refused at the next request", async ({
  page,
  browser,
}) => {
  const email = `e2e-clinician-${Date.now()}@example.org`;
  const password = "a long initial passphrase";

  await signInAs(page, ADMIN, /\/users$/);
  await page.getByRole("button", { name: "New user" }).click();
  const form = page
    .locator("form")
    .filter({ has: page.getByRole("heading", { name: "New user" }) });
  await form.getByLabel("Name").fill("Erin Endtoend");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("clinician");
  await form.getByRole("checkbox", { name: "Northside Geriatrics" }).check();

  // A short password is refused with the field's message, and nothing is created.
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText("A password has at least 12 characters.")).toBeVisible();

  await form.getByLabel("Initial password").fill(password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${email}`);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Clinician");
  await expect(row).toContainText("Northside Geriatrics");
  await expect(row).toContainText("Active");

  // The same email again (any case): 409 on the email field.
  const listed = (await (await page.request.get("/api/v1/admin/users")).json()) as {
    items: { id: string; email: string }[];
    sites: { id: string }[];
  };
  const dup = await page.request.post("/api/v1/admin/users", {
    data: {
      email: email.toUpperCase(),
      name: "Dup",
      role: "clinician",
      siteIds: [listed.sites[0]!.id],
      password,
    },
  });
  expect(dup.status()).toBe(409);
  expect(((await dup.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("email");

  // The new user signs in (a separate browser context) and reads patients.
  const theirs = await browser.newContext();
  await credentialsSignIn(theirs.request, email, password);
  expect((await theirs.request.get("/api/v1/patients")).status()).toBe(200);

  // The admin disables them.
  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(page.getByRole("status")).toContainText(`Disabled ${email}`);
  await expect(row).toContainText("Disabled");

  // Their existing session is refused at the next request…
  const refused = await theirs.request.get("/api/v1/patients");
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");

  // …and stays refused when the account is enabled again: that session ended with the disable.
  const newId = (
    (await (await page.request.get("/api/v1/admin/users")).json()) as {
      items: { id: string; email: string }[];
    }
  ).items.find((u) => u.email === email)!.id;
  expect(
    (
      await page.request.patch(`/api/v1/admin/users/${newId}`, { data: { action: "enable" } })
    ).status(),
  ).toBe(200);
  expect((await theirs.request.get("/api/v1/patients")).status()).toBe(401);
  // A fresh sign-in works; a password reset then ends that session too.
  const again = await browser.newContext();
  await credentialsSignIn(again.request, email, password);
  expect((await again.request.get("/api/v1/patients")).status()).toBe(200);
  const reset = await page.request.patch(`/api/v1/admin/users/${newId}`, {
    data: { action: "reset-password", password: "another-long-password" },
  });
  expect(reset.status()).toBe(200);
  expect((await again.request.get("/api/v1/patients")).status()).toBe(401);
  await again.close();
  expect(
    (
      await page.request.patch(`/api/v1/admin/users/${newId}`, { data: { action: "disable" } })
    ).status(),
  ).toBe(200);
  await theirs.close();

  // …and they cannot sign in again.
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  const signin = new SignInPage(freshPage);
  await signin.goto();
  await signin.signIn(email, "another-long-password");
  await expect(signin.error()).toContainText("This account is disabled");
  await expect(freshPage).toHaveURL(/\/signin/);
  await fresh.close();

  // An admin cannot disable their own account (no button, and the API refuses with 409).
  const me = page.getByRole("row").filter({ hasText: ADMIN });
  await expect(me.getByRole("button", { name: /Disable/ })).toHaveCount(0);
  const myId = listed.items.find((u) => u.email === ADMIN)!.id;
  const self = await page.request.patch(`/api/v1/admin/users/${myId}`, {
    data: { action: "disable" },
  });
  expect(self.status()).toBe(409);
});

test("non-admins get 403 from the admin and audit APIs", async ({ browser }) => {
  const context = await browser.newContext();
  await credentialsSignIn(context.request, "clinician@example.org");
  expect((await context.request.get("/api/v1/admin/users")).status()).toBe(403);
  expect((await context.request.get("/api/v1/audit")).status()).toBe(403);
  expect((await context.request.get("/api/v1/audit.csv")).status()).toBe(403);
  await context.close();
});

test("the admin filters the audit log by action, loads more, and downloads exactly that as CSV", async ({
  page,
}) => {
  await signInAs(page, ADMIN, /\/users$/);
  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.getByLabel("Action").fill("auth.sign-in");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/audit\?action=auth\.sign-in$/);
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText("auth.sign-in");
  await expect(rows.first()).toContainText(ADMIN);
  const actions = await page.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.every((a) => a === "auth.sign-in")).toBe(true);

  // The filter survives a reload (it lives in the URL).
  await page.reload();
  await expect(page.getByLabel("Action")).toHaveValue("auth.sign-in");

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloadPromise;
  // The file is named after its filters.
  expect(download.suggestedFilename()).toMatch(
    /^audit-action-auth\.sign-in-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = fs.readFileSync(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  // A UTF-8 byte-order mark first, so spreadsheets read accents.
  expect(lines[0]).toMatch(/^\uFEFFid,at_utc,actor_id,actor_email,actor_role,action,outcome,/);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((l) => l.split(",")[5] === "auth.sign-in")).toBe(true);

  // "Load more" appends the next (older) page of the unfiltered log.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(rows).toHaveCount(25);
  const lastTime = await rows.nth(24).locator("time").getAttribute("datetime");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(50);
  const nextTime = await rows.nth(25).locator("time").getAttribute("datetime");
  expect(nextTime! <= lastTime!).toBe(true);

  // Keyset pages through the API: no event twice.
  const first = (await (await page.request.get("/api/v1/audit?limit=2")).json()) as {
    items: { id: number }[];
    nextCursor: string | null;
  };
  expect(first.items).toHaveLength(2);
  expect(first.nextCursor).toBeTruthy();
  const second = (await (
    await page.request.get(`/api/v1/audit?limit=2&cursor=${first.nextCursor}`)
  ).json()) as { items: { id: number }[] };
  expect(second.items.map((e) => e.id)).not.toContain(first.items[0]!.id);

  // Bad filters are a 400 with the field's path (a patient is an id, an MRN or 2+ letters of a name).
  const bad = await page.request.get("/api/v1/audit?patient=x");
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("patient");
});

test("the admin filters the audit log by a patient's MRN and reads it by name, with labelled details", async ({
  page,
  browser,
}) => {
  // The care team opens a patient: an audited read of that patient.
  const target = await careTeamActsOnFirstPatient(browser, async (request, patientId) => {
    expect((await request.get(`/api/v1/patients/${patientId}`)).status()).toBe(200);
  });

  await signInAs(page, ADMIN, /\/users$/);
  await page.goto("/audit");
  await page.getByLabel("Patient").fill(target.patient.mrn);
  await page.getByLabel("Patient").press("Enter");
  await expect(page).toHaveURL(new RegExp(`patient=${target.patient.mrn}`));
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText(`MRN ${target.patient.mrn}`);
  for (const row of await rows.all()) {
    await expect(row).toContainText(`MRN ${target.patient.mrn}`);
    await expect(row).toContainText(target.patient.familyName);
  }
  // Details are labelled fields, never raw JSON.
  await expect(page.locator("tbody")).not.toContainText('{"');
  await expectNoSeriousA11yViolations(page);
});

test("the users and audit pages have no serious accessibility violations", async ({ page }) => {
  await signInAs(page, ADMIN, /\/users$/);
  await page.getByRole("button", { name: "New user" }).click();
  await expect(page.getByRole("heading", { name: "New user" })).toBeVisible();
  await page.getByRole("button", { name: "Edit care@example.org" }).click();
  await expect(page.getByRole("heading", { name: "Edit care@example.org" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.goto("/audit");
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
