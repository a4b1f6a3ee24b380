import { expect, test } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { WorklistPage } from "./pages/worklist-page";

test("the care team filters, assigns, notes and resolves a flag, which leaves the list", async ({
  page,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await worklist.chip("High").click();
  await expect(page).toHaveURL(/priority=high/);
  await page.getByLabel("Assignee").selectOption("unassigned");
  await expect(page).toHaveURL(/assignee=unassigned/);
  await expect(worklist.rows().first()).toBeVisible();
  const name = await worklist.openFirst();

  const { panel: flag } = await worklist.firstFlag();
  const title = (await flag.locator("h3").first().textContent())?.trim() ?? "";
  expect(title.length).toBeGreaterThan(0);
  await flag.getByRole("button", { name: "Assign to me" }).click();
  await expect(flag.getByRole("status")).toHaveText("Assigned to you.");
  await flag.getByLabel("Note", { exact: true }).fill("Phoned the patient; GP review booked.");
  await flag.getByRole("button", { name: "Add note" }).click();
  await expect(flag.getByRole("status")).toHaveText("Note added.");
  await flag.getByLabel("Resolution", { exact: true }).selectOption("treated");
  await flag.getByRole("button", { name: "Resolve" }).click();
  await expect(flag).toContainText(`${title} was resolved (treated)`);

  // The flag has left the list: no row of this patient still shows it.
  await page.getByLabel("Assignee").selectOption("anyone");
  const row = worklist.rows().filter({ hasText: name });
  if ((await row.count()) > 0) await expect(row.first()).not.toContainText(title);

  // Its history shows each step.
  await flag.getByText(/History/).click();
  const history = flag.getByRole("list");
  await expect(history).toContainText("Assigned");
  await expect(history).toContainText("Phoned the patient; GP review booked.");
  await expect(history).toContainText("Resolved");
});

test("a change made first in another session gives a conflict message and keeps the typed note", async ({
  page,
  browser,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await worklist.goto("?priority=medium");
  await worklist.openFirst();
  const { id: flagId, panel: flag } = await worklist.firstFlag();
  await expect(flag.getByText(/History \(\d+\)/)).toBeVisible();
  expect(flagId).toMatch(/^[0-9a-f-]{36}$/);

  // A colleague, in another browser, adds a note first.
  const other = await browser.newContext();
  await credentialsSignIn(other.request, "care@example.org");
  const current = (await (await other.request.get(`/api/v1/flags/${flagId}`)).json()) as {
    version: number;
  };
  const res = await other.request.patch(`/api/v1/flags/${flagId}`, {
    data: { action: "note", version: current.version, note: "Colleague got there first." },
  });
  expect(res.status()).toBe(200);
  await other.close();

  const note = "My own careful note";
  await flag.getByLabel("Note", { exact: true }).fill(note);
  await flag.getByRole("button", { name: "Add note" }).click();
  await expect(
    flag.getByRole("alert").filter({ hasText: "Someone changed this flag first" }),
  ).toContainText("Cara Team");
  await expect(flag.getByLabel("Note", { exact: true })).toHaveValue(note);
  await flag.getByRole("button", { name: "Reload this flag" }).click();
  await flag.getByRole("button", { name: "Add note" }).click();
  await expect(flag.getByRole("status")).toHaveText("Note added.");
});

test("the API refuses a stale version with 409, a snooze of a critical flag with 422, and clinicians' management actions with 403", async ({
  request,
}) => {
  await credentialsSignIn(request, "care@example.org");
  const list = (await (await request.get("/api/v1/worklist?priority=urgent")).json()) as {
    items: { flags: { id: string; severity: string; version: number }[] }[];
    counts: Record<string, number>;
  };
  expect(Object.keys(list.counts).sort()).toEqual(["high", "low", "medium", "none", "urgent"]);
  const critical = list.items.flatMap((i) => i.flags).find((f) => f.severity === "critical");
  if (critical) {
    const snooze = await request.patch(`/api/v1/flags/${critical.id}`, {
      data: { action: "snooze", version: critical.version, until: "2099-01-01", reason: "later" },
    });
    expect(snooze.status()).toBe(422);
  }
  const any =
    list.items[0]?.flags[0] ??
    (
      (await (await request.get("/api/v1/worklist")).json()) as {
        items: { flags: { id: string; version: number }[] }[];
      }
    ).items[0]!.flags[0]!;
  const stale = await request.patch(`/api/v1/flags/${any.id}`, {
    data: { action: "note", version: any.version + 99, note: "x" },
  });
  expect(stale.status()).toBe(409);
  expect(stale.headers()["content-type"]).toContain("application/problem+json");
  const bad = await request.patch(`/api/v1/flags/${any.id}`, {
    data: { action: "explode", version: 1 },
  });
  expect(bad.status()).toBe(422);
  const csv = await request.get("/api/v1/worklist.csv?priority=urgent");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  // A UTF-8 byte-order mark first, so spreadsheets read accents.
  expect((await csv.text()).split("\r\n")[0]).toMatch(/^\uFEFFpriority,family_name/);
});

test("clinicians may acknowledge but not manage flags, and may not export", async ({ request }) => {
  await credentialsSignIn(request, "clinician@example.org");
  expect((await request.get("/api/v1/worklist")).status()).toBe(403);
  expect((await request.get("/api/v1/worklist.csv")).status()).toBe(403);
});

test("the worklist has no serious or critical accessibility violations", async ({ page }) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  await new WorklistPage(page).openFirst();
  await expectNoSeriousA11yViolations(page);
});

test("Load more appends the next page without repeating a patient", async ({ page }) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await expect(worklist.rows().first()).toBeVisible();
  const first = await worklist.rows().count();
  const more = page.getByRole("button", { name: "Load more" });
  test.skip((await more.count()) === 0, "the demo cohort fits on one page");
  await more.click();
  await expect.poll(() => worklist.rows().count()).toBeGreaterThan(first);
  const names = await worklist.rows().locator("td:nth-child(2) .small").allTextContents();
  expect(new Set(names).size).toBe(names.length);
});
