import { expect, test, type Page } from "@playwright/test";
import { careTeamActsOnFirstPatient, credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";
import { WorklistPage } from "./pages/worklist-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";

const BOM = "\uFEFF";

/** The header row and first data row of a CSV body (BOM checked and removed). */
function csvHead(body: string): { header: string[]; first: string } {
  expect(body.startsWith(BOM)).toBe(true);
  const [header, first] = body.slice(1).split("\r\n");
  return { header: (header ?? "").split(","), first: first ?? "" };
}

/** Sorts a registry by the column whose header link is `name`: ascending, in the URL and the header. */
async function sortAscendingBy(page: Page, name: RegExp, url: RegExp): Promise<void> {
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(url);
  await expect(page.getByRole("columnheader", { name })).toHaveAttribute("aria-sort", "ascending");
}

/** Downloads a registry's "Export CSV" (its address holding `query`) as the file `filename`. */
async function exportShown(
  page: Page,
  query: string,
  filename: RegExp,
): Promise<{ header: string[]; first: string }> {
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toContain(query);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toMatch(filename);
  return csvHead(await csv.text());
}

test("the care team logs an unanswered call from the drawer and sees the next attempt due", async ({
  page,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await worklist.openFirst();
  const drawer = worklist.drawer();
  const contacts = drawer.getByRole("region", { name: "Contacts" });
  await expect(contacts).toBeVisible();
  await contacts.getByRole("button", { name: "Log call: no answer" }).click();
  await expect(contacts).toContainText(/No answer logged\. Next contact due \d+ \w+ \d{4}\./);
  await expect(contacts.getByRole("list", { name: /Contact log/ })).toContainText(
    "Call: No answer",
  );
  await expect(contacts.getByTestId("next-contact")).toContainText("Next contact due");
  // The row shows the contact; the order by contact is in the URL.
  await expect(worklist.rows().first()).toContainText(/last \d+ \w+ \d{4}/);
  await page.getByLabel("Order").selectOption("contact");
  await expect(page).toHaveURL(/sort=contact/);
  await expectNoSeriousA11yViolations(page);
});

test("treat to target sorts by change, filters and exports what is on screen", async ({ page }) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  await page.goto("/worklist/treat-to-target");
  await expect(page.getByRole("heading", { level: 1, name: "Treat to target" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  await sortAscendingBy(page, /^Change/, /sort=change&dir=asc/);
  const api = await page.request.get("/api/v1/worklist/treat-to-target?sort=change");
  const { items } = (await api.json()) as { items: { changePercent: number | null }[] };
  const changes = items.map((i) => i.changePercent).filter((c): c is number => c !== null);
  expect(changes).toEqual([...changes].sort((a, b) => a - b));
  await expectNoSeriousA11yViolations(page);

  const { header, first } = await exportShown(
    page,
    "sort=change",
    /filename="treat-to-target-sort-change-dir-asc-\d{4}-\d{2}-\d{2}\.csv"/,
  );
  expect(header).toEqual(
    expect.arrayContaining(["status", "status_name", "filters", "generated_at", "time_zone"]),
  );
  expect(first).toContain("sort=change");
});

test("bone treat to target: DXA due, treatment, follow-up DXA; sorted, filtered and exported", async ({
  page,
}) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  await page.getByRole("link", { name: "Bone treat to target" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bone treat to target" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  // Adherence is not something the app records: the column says so.
  await expect(rows.first()).toContainText("Not recorded");

  await sortAscendingBy(page, /^Follow-up DXA due/, /sort=follow-up&dir=asc/);
  const api = await page.request.get("/api/v1/worklist/bone-registry?sort=follow-up");
  const { items } = (await api.json()) as { items: { followUpDxaDue: string | null }[] };
  const dates = items.map((i) => i.followUpDxaDue).filter((d): d is string => d !== null);
  expect(dates).toEqual([...dates].sort());

  await page.getByLabel("Show").selectOption("on-treatment");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/show=on-treatment/);
  await expectNoSeriousA11yViolations(page);

  const { header } = await exportShown(
    page,
    "show=on-treatment",
    /filename="bone-registry-show-on-treatment-sort-follow-up-dir-asc-\d{4}-\d{2}-\d{2}\.csv"/,
  );
  expect(header).toEqual(
    expect.arrayContaining([
      "dxa_due_flag",
      "dxa_due_flag_name",
      "treatment_started_on",
      "adherence_noted",
      "follow_up_dxa_due",
      "filters",
      "generated_at",
      "time_zone",
    ]),
  );
});

test("every CSV starts with a BOM and carries its filters, time and time zone", async ({
  request,
}) => {
  await credentialsSignIn(request, "care@example.org");
  const worklist = await request.get("/api/v1/worklist.csv?priority=high");
  expect(worklist.headers()["content-disposition"]).toMatch(/worklist-priority-high-/);
  const { header, first } = csvHead(await worklist.text());
  expect(header).toEqual(
    expect.arrayContaining([
      "flags",
      "flag_names",
      "as_of",
      "filters",
      "generated_at",
      "time_zone",
    ]),
  );
  expect(first).toContain("priority=high");

  await credentialsSignIn(request, "admin@example.org");
  const audit = await request.get("/api/v1/audit.csv?action=auth.");
  expect(audit.status()).toBe(200);
  expect(csvHead(await audit.text()).header).toEqual(
    expect.arrayContaining(["filters", "generated_at", "time_zone"]),
  );
});

test("contacts are logged through the API as the contract says", async ({ request }) => {
  await credentialsSignIn(request, "care@example.org");
  const list = (await (await request.get("/api/v1/worklist")).json()) as {
    items: { patientId: string }[];
  };
  const patientId = list.items[0]!.patientId;
  const posted = await request.post(`/api/v1/patients/${patientId}/contacts`, {
    data: { kind: "message", outcome: "left-message", note: "Voicemail" },
  });
  expect(posted.status()).toBe(201);
  const contact = (await posted.json()) as Record<string, unknown>;
  expect(Object.keys(contact).sort()).toEqual(
    ["at", "by", "id", "kind", "nextDueOn", "note", "outcome"].sort(),
  );
  const bad = await request.post(`/api/v1/patients/${patientId}/contacts`, {
    data: { kind: "fax", outcome: "reached" },
  });
  expect(bad.status()).toBe(422);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  const again = (await (await request.get(`/api/v1/patients/${patientId}/contacts`)).json()) as {
    items: { id: string }[];
  };
  expect(again.items[0]!.id).toBe(contact.id);
});

test("the administrator finds a patient's audit events by MRN, shown by name", async ({
  page,
  browser,
}) => {
  const patient = await careTeamActsOnFirstPatient(browser, (request, patientId) =>
    request.post(`/api/v1/patients/${patientId}/contacts`, {
      data: { kind: "call", outcome: "reached" },
    }),
  );

  await signInAs(page, "admin@example.org", /\/users$/);
  await page.goto("/audit");
  await page.getByLabel("Patient").fill(patient.patient.mrn.toLowerCase());
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/patient=/);
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toContainText(patient.patient.familyName);
  await expect(rows.first()).toContainText(`MRN ${patient.patient.mrn}`);
  await expect(page.getByRole("table")).toContainText("contacts.create");
  await expectNoSeriousA11yViolations(page);
});

test("a refused page keeps the app's frame, a heading and the way home", async ({ page }) => {
  await signInAs(page, "quality@example.org", /\/quality$/);
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(
    page.getByRole("heading", { level: 1, name: "This page is not part of your role" }),
  ).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Quality" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "Back to your home page" }).click();
  await expect(page).toHaveURL(/\/quality$/);
});

test("the patient page shows how to reach the patient and the contact log", async ({ page }) => {
  await signInAs(page, "care@example.org", /\/worklist$/);
  const worklist = new WorklistPage(page);
  await worklist.openFirst();
  await worklist.drawer().getByRole("link", { name: "Open patient page" }).click();
  const contacts = page.getByRole("region", { name: "Contacts" });
  await expect(contacts).toBeVisible();
  await expect(page.getByText("Best time")).toBeVisible();
  await expect(contacts.getByRole("list", { name: /Contact log/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
