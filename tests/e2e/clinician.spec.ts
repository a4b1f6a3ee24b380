import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import {
  PatientPage,
  PatientsPage,
  RegistrationPage,
  VisitEntryPage,
} from "./pages/clinician-pages";
import { signInAs } from "./pages/signin-page";

const CLINICIAN = "clinician@example.org";
/** PHQ-9 with item 9 = 1 and a total of 10 (moderate). */
const PHQ9 = [2, 2, 1, 1, 1, 1, 1, 0, 1] as const;

/** Full-page screenshots for a visual check, only when E2E_SCREENSHOT_DIR is set. */
async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (!dir) return;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0, part = 1; y < height && part <= 5; y += 700, part += 1) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.screenshot({ path: `${dir}/${name}-${part}.png` });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

function uniqueMrn(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}

async function registerPatient(page: Page, familyName: string): Promise<string> {
  const list = new PatientsPage(page);
  await list.goto();
  await page.getByRole("link", { name: "New patient" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New patient" })).toBeVisible();
  const form = new RegistrationPage(page);
  await form.fill({
    mrn: uniqueMrn("E2E"),
    givenName: "Edith",
    familyName,
    birthDate: "1950-03-14",
    sex: "Female",
    postmenopausal: "Yes",
  });
  await form.submit();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}\/visits\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "New visit" })).toBeVisible();
  return page.url().split("/").at(-3)!;
}

async function checkSavedPatient(page: Page, patientId: string): Promise<void> {
  await page.getByRole("link", { name: "Open patient page" }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patientId}$`));
  const patient = new PatientPage(page);
  await expect(page.getByRole("alert").filter({ hasText: "Suicide risk" })).toBeVisible();

  const boneBrain = patient.flag("Depression and bone disease together");
  await expect(boneBrain).toBeVisible();
  await expect(boneBrain).toContainText("femoral-neck T −2.7");
  await expect(boneBrain.getByRole("link").first()).toHaveAttribute("href", /^\/evidence#/);
  const suicide = patient.flag("Suicide risk: PHQ-9 item 9 positive");
  await expect(suicide).toContainText("Critical");
  await expect(suicide.getByRole("link", { name: "Kroenke 2001" })).toHaveAttribute(
    "href",
    "/evidence#kroenke-2001-phq9",
  );
  await expect(patient.flag("Osteoporosis")).toBeVisible();

  // The points are on the charts: text summary and table alternative.
  await expect(patient.chart("PHQ-9 over time")).toContainText("PHQ-9: 1 result, 10 on");
  const tTable = await patient.chartTable("T-scores by site");
  await expect(tTable.getByRole("cell", { name: "−2.7" })).toBeVisible();
  await expect(patient.chart("T-scores by site").locator("svg.recharts-surface")).toBeVisible();
  await snap(page, "patient");

  // Retract the T-score: the bone flags resolve.
  await patient.retract(/Femoral neck · T-score −2\.7/, "Wrong patient's DXA report");
  await expect(page.getByRole("status").filter({ hasText: "retracted" })).toBeVisible();
  await expect(patient.flag("Depression and bone disease together")).toHaveCount(0);
  await expect(patient.flag("Osteoporosis")).toHaveCount(0);
  await expect(patient.historyItem(/Femoral neck · T-score −2\.7/)).toContainText(
    "Wrong patient's DXA report",
  );
  // The critical flag waits for a person.
  await expect(patient.flag("Suicide risk: PHQ-9 item 9 positive")).toBeVisible();

  await page.getByRole("link", { name: "Print plan" }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patientId}/print$`));
  await expect(page.getByRole("heading", { level: 1, name: "Your care plan" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "What we found" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Clinician summary" })).toBeVisible();
  await expect(page.getByText("988").first()).toBeVisible();
  await expect(page.locator(".shell-header")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await snap(page, "print");
}

test.beforeAll(async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
});

test("a clinician registers a patient, records a visit, sees flags live, retracts and prints", async ({
  page,
}) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  await expect(page.getByLabel("Find a patient")).toBeFocused();
  const patientId = await registerPatient(page, `Mouse${Date.now().toString(36)}`);
  const visit = new VisitEntryPage(page);

  await visit.answerPhq9ByClick(PHQ9.slice(0, 8));
  await expect(visit.suicideBanner()).toHaveCount(0);
  await visit.answerPhq9ByClick(PHQ9);
  await expect(visit.suicideBanner()).toBeVisible();
  await expect(visit.phq9Total()).toContainText("PHQ-9 total 10");
  await expect(visit.phq9Total()).toContainText("moderate");

  await visit.tScore("Femoral neck").fill("-2.7");
  await expect(visit.liveFlag("Depression and bone disease together")).toBeVisible();
  await expect(visit.liveFlag("Depression and bone disease together")).toContainText("Sources");
  await expect(visit.liveFlag("Suicide risk: PHQ-9 item 9 positive")).toBeVisible();
  await snap(page, "visit-entry");

  // Narrow screens: one column, the banner at the top of the page, the panel behind a bar pinned
  // to the bottom (flags, priority, suicide risk) that opens into the full panel.
  await page.setViewportSize({ width: 800, height: 900 });
  await expect(visit.suicideBanner()).toHaveCount(1);
  await expect(visit.suicideBanner()).toBeVisible();
  const bar = page.getByRole("button", { name: /^Live assessment/ });
  await expect(bar).toBeInViewport();
  await expect(bar).toContainText("Suicide risk");
  await expect(visit.livePanel()).toBeHidden();
  await bar.click();
  await expect(visit.liveFlag("Suicide risk: PHQ-9 item 9 positive")).toBeVisible();
  await snap(page, "visit-narrow");
  await page.getByRole("button", { name: /^Close live assessment/ }).click();
  await expect(visit.livePanel()).toBeHidden();
  await page.setViewportSize({ width: 1280, height: 720 });

  await visit.save();
  await expect(visit.saved()).toBeVisible();
  await expect(page.getByRole("region", { name: "Saved assessment" })).toContainText("Urgent");
  await checkSavedPatient(page, patientId);
});

test("the same visit entered with the keyboard only (digit keys)", async ({ page }) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const patientId = await registerPatient(page, `Keys${Date.now().toString(36)}`);
  const visit = new VisitEntryPage(page);

  await visit.answerPhq9ByKeyboard(PHQ9);
  await expect(visit.suicideBanner()).toBeVisible();
  await expect(visit.phq9Total()).toContainText("PHQ-9 total 10");
  // After item 9 the focus is on the difficulty item; a digit answers it and moves on.
  await expect(
    page.getByRole("group", { name: "PHQ-9 difficulty" }).getByRole("radio").first(),
  ).toBeFocused();
  await page.keyboard.press("1");
  await expect(
    page.getByRole("group", { name: "PHQ-9 difficulty" }).getByRole("radio", { name: /^1 / }),
  ).toBeChecked();

  // Esc asks before leaving with unsaved entries.
  await page.keyboard.press("Escape");
  const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await expect(dialog).toBeHidden();

  const tScore = visit.tScore("Femoral neck");
  await tScore.focus();
  await page.keyboard.type("-2.7");
  await expect(visit.liveFlag("Depression and bone disease together")).toBeVisible();
  await page.getByRole("button", { name: "Save visit" }).focus();
  await page.keyboard.press("Enter");
  await expect(visit.saved()).toBeVisible();
  await checkSavedPatient(page, patientId);
});

test("registration shows a duplicate MRN at the MRN field; another site's patient is not found", async ({
  page,
}) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const list = await page.request.get("/api/v1/patients?limit=1");
  const existing = ((await list.json()) as { items: { mrn: string; siteId: string }[] }).items[0]!;
  await page.goto("/patients/new");
  const form = new RegistrationPage(page);
  await form.fill({
    mrn: existing.mrn,
    givenName: "Dup",
    familyName: "Licate",
    birthDate: "1948-01-02",
    sex: "Male",
  });
  await page.getByLabel("Site").selectOption(existing.siteId);
  await form.submit();
  await expect(page.getByLabel("MRN")).toHaveAttribute("aria-invalid", "true");
  await expect(
    page.getByText("This MRN is already registered at this site", { exact: true }),
  ).toBeVisible();

  await page.goto("/patients/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Patient not found" })).toBeVisible();
});

test("the patient list searches as you type and opens a result with the keyboard", async ({
  page,
}) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const patients = new PatientsPage(page);
  await expect(patients.rows().nth(5)).toBeVisible();
  const first = await page.request.get("/api/v1/patients?limit=1");
  const target = ((await first.json()) as { items: { id: string; mrn: string }[] }).items[0]!;
  await patients.search().fill(target.mrn);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(target.mrn)}`));
  await expect(patients.rows()).toHaveCount(2);
  await patients.search().press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/patients/${target.id}$`));
});

test.describe("accessibility (axe: no serious or critical violations)", () => {
  async function scan(page: Page, label: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      bad.map(
        (v) =>
          `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      ),
    ).toEqual([]);
  }

  test("patient list, visit entry, patient page and print view", async ({ page }) => {
    await signInAs(page, CLINICIAN, /\/patients$/);
    await expect(new PatientsPage(page).rows().nth(3)).toBeVisible();
    await scan(page, "patients");

    const list = await page.request.get("/api/v1/patients?limit=1");
    const siteId = ((await list.json()) as { items: { siteId: string }[] }).items[0]!.siteId;
    const created = await page.request.post("/api/v1/patients", {
      data: {
        siteId,
        mrn: uniqueMrn("AXE"),
        givenName: "Ada",
        familyName: "Axe",
        birthDate: "1950-06-01",
        sex: "female",
        postmenopausal: true,
      },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const today = new Date().toISOString().slice(0, 10);
    const visit = await page.request.post(`/api/v1/patients/${id}/visits`, {
      data: {
        occurredOn: today,
        observations: [
          { kind: "phq9", items: [2, 2, 1, 1, 1, 1, 1, 0, 1] },
          { kind: "bmd", site: "femoral_neck", tScore: -2.7 },
          { kind: "vitaminD", value: 18, unit: "ng/mL" },
        ],
      },
    });
    expect(visit.status()).toBe(201);

    await page.goto(`/patients/${id}/visits/new`);
    const entry = new VisitEntryPage(page);
    await entry.answerPhq9ByClick([1, 1]);
    await expect(entry.livePanel()).toBeVisible();
    await scan(page, "visit entry");

    await page.goto(`/patients/${id}`);
    await expect(
      page.getByRole("figure", { name: "PHQ-9 over time" }).locator("svg.recharts-surface"),
    ).toBeVisible();
    await scan(page, "patient");

    await page.goto(`/patients/${id}/print`);
    await expect(page.getByRole("heading", { name: "Your care plan" })).toBeVisible();
    await scan(page, "print");
  });
});
