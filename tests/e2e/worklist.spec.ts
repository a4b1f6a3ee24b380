import { expect, test, type Page } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { WorklistPage } from "./pages/worklist-page";

type WorklistItem = {
  patient: { familyName: string; givenName: string };
  flags: { id: string; severity: string; status: string }[];
};

/** The worklist's first page of patients with flags in `status`, as the API lists them. */
async function worklistItems(page: Page, status: "open" | "all"): Promise<WorklistItem[]> {
  const response = await page.request.get(`/api/v1/worklist?status=${status}`);
  return ((await response.json()) as { items: WorklistItem[] }).items;
}

test("the care team filters, then assigns, notes and resolves a flag from the action bar", async ({
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

  // Nothing chosen yet: every action says what is missing.
  await expect(worklist.action("Assign")).toHaveAttribute("aria-disabled", "true");
  await expect(worklist.drawer()).toContainText("Choose one or more flags first.");

  const { id, panel: flag } = await worklist.firstFlag();
  const title = (await flag.locator("label strong").first().textContent())?.trim() ?? "";
  expect(title.length).toBeGreaterThan(0);
  await worklist.choose(id);
  await worklist.action("Assign").click();
  // The field the action needs takes focus.
  await expect(worklist.drawer().getByLabel("Assign to")).toBeFocused();
  await worklist.drawer().getByLabel("Assign to").selectOption("me");
  await worklist.drawer().getByRole("button", { name: "Assign 1 flag" }).click();
  await expect(worklist.actionStatus()).toHaveText("Assignment saved on 1 flag.");
  await expect(flag).toContainText("assigned to Cara Team");

  await worklist.action("Note").click();
  const note = worklist.drawer().getByLabel("Note", { exact: true });
  await expect(note).toBeFocused();
  await note.fill("Phoned the patient; GP review booked.");
  await worklist.drawer().getByRole("button", { name: "Add note 1 flag" }).click();
  await expect(worklist.actionStatus()).toHaveText("Note added to 1 flag.");

  await worklist.action("Resolve").click();
  await expect(worklist.drawer().getByLabel("Resolution", { exact: true })).toBeFocused();
  await worklist.drawer().getByLabel("Resolution", { exact: true }).selectOption("treated");
  await expectNoSeriousA11yViolations(page);
  await worklist.drawer().getByRole("button", { name: "Resolve 1 flag" }).click();
  await expect(worklist.actionStatus()).toHaveText("Resolved 1 flag.");
  await expect(flag).toContainText("Resolved (Treated)");

  // The flag has left the list: no row of this patient still shows it.
  await page.getByLabel("Assignee").selectOption("anyone");
  const row = worklist.rows().filter({ hasText: name });
  if ((await row.count()) > 0) await expect(row.first()).not.toContainText(title);

  // Its history shows each step.
  await flag.getByText("Details and history").click();
  await flag.getByText(/^History/).click();
  const history = flag.getByRole("list", { name: /Flag history/ });
  await expect(history).toContainText("Assigned");
  await expect(history).toContainText("Phoned the patient; GP review booked.");
  await expect(history).toContainText("Resolved");
});

test("the action bar acknowledges two flags at once and says why a critical flag cannot be snoozed", async ({
  page,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const items = await worklistItems(page, "open");
  const item = items.find((i) => i.flags.filter((f) => f.status === "open").length >= 2);
  expect(item, "a patient with two open flags in the demo data").toBeDefined();
  const two = item!.flags.filter((f) => f.status === "open").slice(0, 2);

  const worklist = new WorklistPage(page);
  await worklist.goto("?status=open");
  await page
    .getByRole("button", { name: `${item!.patient.familyName}, ${item!.patient.givenName}` })
    .click();
  for (const f of two) await worklist.choose(f.id);
  if (two.some((f) => f.severity === "critical")) {
    await expect(worklist.action("Snooze")).toHaveAttribute("aria-disabled", "true");
    await expect(worklist.drawer()).toContainText("A critical flag cannot be snoozed");
  } else {
    await expect(worklist.action("Snooze")).toHaveAttribute("aria-disabled", "false");
  }
  await worklist.action("Acknowledge").click();
  await expect(worklist.actionStatus()).toHaveText("Acknowledged 2 flags.");
  for (const f of two) {
    const state = (await (await page.request.get(`/api/v1/flags/${f.id}`)).json()) as {
      status: string;
    };
    expect(state.status).toBe("acknowledged");
  }
});

test("a critical flag chosen in the drawer disables Snooze with the reason beside it", async ({
  page,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const items = await worklistItems(page, "all");
  const item = items.find((i) => i.flags.some((f) => f.severity === "critical"));
  test.skip(!item, "no critical flag on the first page of the demo worklist");
  const worklist = new WorklistPage(page);
  await worklist.goto("?status=all");
  await page
    .getByRole("button", { name: `${item!.patient.familyName}, ${item!.patient.givenName}` })
    .click();
  await worklist.choose(item!.flags.find((f) => f.severity === "critical")!.id);
  await expect(worklist.action("Snooze")).toHaveAttribute("aria-disabled", "true");
  await expect(worklist.action("Snooze")).toHaveAccessibleDescription(
    /A critical flag cannot be snoozed/,
  );
  await expectNoSeriousA11yViolations(page);
});

test("the list stays usable beside the drawer: eight rows at 1440×900, a full-screen panel under 900 px", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await expect(worklist.rows().nth(8)).toBeVisible();
  await worklist.openFirst();
  const inView = async () => {
    let n = 0;
    for (const box of await Promise.all(
      (await worklist.rows().all()).map((r) => r.boundingBox()),
    )) {
      if (box && box.y >= 0 && box.y + box.height <= 900) n++;
    }
    return n;
  };
  await page.screenshot({ path: testInfo.outputPath("split-view.png") });
  expect(await inView()).toBeGreaterThanOrEqual(8);
  const drawer = await worklist.drawer().boundingBox();
  expect(drawer!.x).toBeGreaterThan(700);

  await page.setViewportSize({ width: 800, height: 900 });
  await expect
    .poll(async () => (await worklist.drawer().boundingBox())?.width)
    .toBeGreaterThanOrEqual(800);
  await page.keyboard.press("Escape");
  await expect(worklist.drawer()).toHaveCount(0);
});

test("a change made first in another session gives a conflict message and keeps the typed note", async ({
  page,
  browser,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await worklist.goto("?priority=medium");
  await worklist.openFirst();
  const { id: flagId } = await worklist.firstFlag();
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
  await worklist.choose(flagId);
  await worklist.action("Note").click();
  await worklist.drawer().getByLabel("Note", { exact: true }).fill(note);
  await worklist.drawer().getByRole("button", { name: "Add note 1 flag" }).click();
  await expect(
    worklist.drawer().getByRole("alert").filter({ hasText: "Someone changed" }),
  ).toContainText("Cara Team");
  await expect(worklist.drawer().getByLabel("Note", { exact: true })).toHaveValue(note);
  await worklist.drawer().getByRole("button", { name: "Reload the flags" }).click();
  await worklist.drawer().getByRole("button", { name: "Add note 1 flag" }).click();
  await expect(worklist.actionStatus()).toHaveText("Note added to 1 flag.");
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
  const worklist = new WorklistPage(page);
  await worklist.openFirst();
  await expectNoSeriousA11yViolations(page);
  // With a flag chosen and the note field open (a state of its own).
  const { id } = await worklist.firstFlag();
  await worklist.choose(id);
  await worklist.action("Note").click();
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
