import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { RegistrationPage, VisitEntryPage } from "./pages/clinician-pages";
import { signInAs } from "./pages/signin-page";

/*
 * The visit at the speed of the clinic, with the keyboard only: answers and typed values are free,
 * every other key (Tab, Shift+Tab, Enter, Alt+Down, Ctrl+Enter) is counted. Every page a test here
 * visits is watched: a console error (a hydration error among them) fails the test.
 */

const CLINICIAN = "clinician@example.org";

/** Console errors of every page of a test, and the few a test expects (an API's refusal). */
const consoleErrors = new WeakMap<Page, { errors: string[]; expected: RegExp[] }>();

function expectConsoleError(page: Page, pattern: RegExp): void {
  consoleErrors.get(page)?.expected.push(pattern);
}

test.beforeEach(({ page }) => {
  const watch = { errors: [] as string[], expected: [] as RegExp[] };
  consoleErrors.set(page, watch);
  page.on("console", (message) => {
    const url = message.location().url;
    // The browser asks for /favicon.ico on its own; the app has none to give.
    if (message.type() === "error" && !url.endsWith("/favicon.ico")) {
      watch.errors.push(`${message.text()} (${url})`);
    }
  });
  page.on("pageerror", (error) => watch.errors.push(error.message));
});

test.afterEach(({ page }) => {
  const watch = consoleErrors.get(page);
  if (!watch) return;
  expect(
    watch.errors.filter((e) => !watch.expected.some((pattern) => pattern.test(e))),
    "console errors",
  ).toEqual([]);
});

async function siteOfFirstPatient(page: Page): Promise<string> {
  const list = await page.request.get("/api/v1/patients?limit=1");
  return ((await list.json()) as { items: { siteId: string }[] }).items[0]!.siteId;
}

async function newPatient(page: Page, familyName: string): Promise<string> {
  const created = await page.request.post("/api/v1/patients", {
    data: {
      siteId: await siteOfFirstPatient(page),
      mrn: `KEY-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`,
      givenName: "Kay",
      familyName,
      birthDate: "1950-06-01",
      sex: "female",
      postmenopausal: true,
    },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** Presses navigation keys, counting them. */
class Keys {
  count = 0;
  constructor(readonly page: Page) {}
  async nav(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      await this.page.keyboard.press(key);
      this.count += 1;
    }
  }
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }
}

const PHQ9 = "221111101"; // total 10, item 9 = 1
const GDS15 = "ynnnyyyyynnnnyy";

/**
 * The full visit from the loaded form to the saved visit, keyboard only: PHQ-9 and item 10,
 * GDS-15, two DXA sites, vitamin D, one fracture (its date typed in the one date field), falls with
 * the STEADI questions, one medication. Returns the navigation keys pressed.
 */
async function keyboardVisit(page: Page, patientId: string): Promise<number> {
  await page.goto(`/patients/${patientId}/visits/new`);
  const visit = new VisitEntryPage(page);
  // The form opens on PHQ-9 item 1.
  await expect(visit.phq9Item(1).getByRole("radio").first()).toBeFocused();
  const keys = new Keys(page);

  await keys.type(PHQ9.slice(0, 8));
  await expect(visit.suicideBanner()).toHaveCount(0);
  await keys.type(PHQ9.slice(8));
  // The moment item 9 is above 0 the banner is there, on screen while the answer is in view.
  await expect(visit.suicideBanner()).toBeInViewport();
  await expect(visit.suicideBanner()).toContainText("Suicide risk");
  await expect(visit.phq9Item(9)).toBeInViewport();
  await keys.type("1"); // item 10, difficulty
  await keys.type(GDS15);
  // Bone density: lumbar spine T, then on to the femoral neck T-score.
  await expect(visit.tScore("Lumbar spine")).toBeFocused();
  await keys.type("-1.2");
  await keys.nav("Enter", 4);
  await expect(visit.tScore("Femoral neck")).toBeFocused();
  await keys.type("-2.7");
  // Skip FRAX: two sections on, vitamin D.
  await keys.nav("Alt+ArrowDown", 2);
  await expect(page.getByRole("textbox", { name: "25(OH)D" })).toBeFocused();
  await keys.type("18");
  // Fractures & falls: the section's first field is the falls count; the Add button is before it.
  await keys.nav("Alt+ArrowDown");
  await expect(page.getByLabel("Falls in the past 12 months")).toBeFocused();
  await keys.nav("Shift+Tab");
  await expect(page.getByRole("button", { name: "Add fracture" })).toBeFocused();
  await keys.nav("Enter");
  const fracture = page.getByRole("group", { name: "Fracture 1" });
  await expect(fracture.getByLabel("Site")).toBeFocused();
  await keys.type("Hip");
  await keys.nav("Enter");
  // One field, one Tab stop: typed day first, the date understood shown beside it.
  const date = fracture.getByRole("textbox", { name: "Date of fracture" });
  await expect(date).toBeFocused();
  await keys.type("1/10/2026");
  await expect(date).toHaveAccessibleDescription(/^= 1 Oct 2026/);
  await keys.nav("Enter");
  await keys.type("y"); // fragility: Yes
  await keys.nav("Enter");
  await expect(page.getByLabel("Falls in the past 12 months")).toBeFocused();
  await keys.type("2");
  for (let i = 0; i < 3; i += 1) {
    await keys.nav("Enter");
    await keys.type("y"); // injurious, unsteady, worried: Yes
  }
  // Nothing after the last falls question is a field: Enter stays and never saves.
  await keys.nav("Enter");
  await expect(visit.saved()).toHaveCount(0);
  await keys.nav("Tab", 2);
  await expect(page.getByRole("button", { name: "Add medication" })).toBeFocused();
  await keys.nav("Enter");
  const medication = page.getByRole("group", { name: "Medication 1" });
  await expect(medication.getByLabel("Drug name")).toBeFocused();
  await keys.type("alendronate");
  await keys.nav("Control+Enter");

  await expect(visit.saved()).toBeVisible();
  const contents = page.getByRole("region", { name: "What was saved" });
  await expect(contents).toContainText("PHQ-9: total 10");
  await expect(contents).toContainText("GDS-15");
  await expect(contents).toContainText("Lumbar spine · T-score −1.2");
  await expect(contents).toContainText("Femoral neck · T-score −2.7");
  await expect(contents).toContainText("18 ng/mL");
  await expect(contents).toContainText(
    "2 falls in 12 months; injurious: yes; unsteady: yes; worried about falling: yes",
  );
  await expect(contents).toContainText("hip fracture on 1 Oct 2026, fragility");
  await expect(contents).toContainText("alendronate");
  // FRAX was skipped: saved as not assessed, not as "none".
  await expect(contents.getByText("not assessed")).toHaveCount(1);

  // What the server stored, section by section (not only what the page says it sent).
  const stored = (await (
    await page.request.get(`/api/v1/patients/${patientId}/observations`)
  ).json()) as { items: { kind: string; effective: string; payload: Record<string, unknown> }[] };
  const of = (kind: string) => stored.items.filter((o) => o.kind === kind);
  expect(of("phq9").map((o) => [o.payload.items, o.payload.difficulty])).toEqual([
    [[2, 2, 1, 1, 1, 1, 1, 0, 1], 1],
  ]);
  expect(of("gds15")).toHaveLength(1);
  expect(
    of("bmd")
      .map((o) => [o.payload.site, o.payload.tScore])
      .sort(),
  ).toEqual([
    ["femoral_neck", -2.7],
    ["lumbar_spine", -1.2],
  ]);
  expect(of("vitaminD").map((o) => o.payload.value)).toEqual([18]);
  expect(of("fracture").map((o) => [o.payload.site, o.effective, o.payload.fragility])).toEqual([
    ["hip", "2026-10-01", true],
  ]);
  expect(of("falls").map((o) => o.payload)).toEqual([
    expect.objectContaining({
      countPast12Months: 2,
      injurious: true,
      unsteady: true,
      worriedAboutFalling: true,
    }),
  ]);
  expect(of("medication").map((o) => [o.payload.name, o.payload.class])).toEqual([
    ["alendronate", "bisphosphonate"],
  ]);
  expect(of("frax")).toHaveLength(0);
  return keys.count;
}

test("a full visit with the keyboard only: at most 25 navigation keys, every section saved", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, CLINICIAN, /\/patients$/);
  const id = await newPatient(page, `Keyboard${Date.now().toString(36)}`);
  expect(await keyboardVisit(page, id)).toBeLessThanOrEqual(25);
});

test.describe("at 390 × 844", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the same visit: at most 25 navigation keys, the suicide-risk banner on screen at item 9", async ({
    page,
  }) => {
    await signInAs(page, CLINICIAN, /\/patients$/);
    const id = await newPatient(page, `Phone${Date.now().toString(36)}`);
    expect(await keyboardVisit(page, id)).toBeLessThanOrEqual(25);
  });
});

test("Enter never saves; Ctrl+Enter does", async ({ page }) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const id = await newPatient(page, `Enter${Date.now().toString(36)}`);
  await page.goto(`/patients/${id}/visits/new`);
  const visit = new VisitEntryPage(page);
  await visit.tScore("Femoral neck").fill("-2.7");
  await visit.tScore("Femoral neck").focus();
  for (let i = 0; i < 40; i += 1) await page.keyboard.press("Enter");
  await page.getByLabel("Falls in the past 12 months").focus();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press("Enter");
  await expect(visit.saved()).toHaveCount(0);
  await page.keyboard.press("Control+Enter");
  await expect(visit.saved()).toBeVisible();
});

test("errors show where they happen and the summary's links move focus", async ({ page }) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const id = await newPatient(page, `Errors${Date.now().toString(36)}`);
  await page.goto(`/patients/${id}/visits/new`);
  const visit = new VisitEntryPage(page);
  // A 7 on a 0–3 item is refused, and says why.
  await expect(visit.phq9Item(1).getByRole("radio").first()).toBeFocused();
  await page.keyboard.press("7");
  await expect(visit.phq9Item(1)).toContainText("7 is not an answer here");
  const tScore = visit.tScore("Femoral neck");
  await tScore.fill("-12");
  await tScore.press("Enter");
  await expect(tScore).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("textbox", { name: "25(OH)D" }).fill("-5");
  await expect(visit.livePanel()).toContainText("Femoral neck DXA:");
  // A date that is no day: named on leaving the field, in the parser's words.
  const dxaDate = page.getByRole("textbox", { name: "DXA date" });
  await dxaDate.fill("31/4/2026");
  await dxaDate.press("Tab");
  await expect(dxaDate).toHaveAttribute("aria-invalid", "true");
  await expect(dxaDate).toHaveAccessibleDescription(/There is no such day: 31\/4\/2026/);
  await page.getByRole("button", { name: "Save visit" }).click();
  const summary = page.getByRole("region", { name: /Not saved yet/ });
  await expect(summary).toBeVisible();
  await summary.getByRole("link", { name: /^25\(OH\)D:/ }).click();
  await expect(page.getByRole("textbox", { name: "25(OH)D" })).toBeFocused();
  await summary.getByRole("link", { name: /^Femoral neck T-score:/ }).click();
  await expect(tScore).toBeFocused();
  await summary.getByRole("link", { name: /^DXA date:/ }).click();
  await expect(dxaDate).toBeFocused();
  await expect(visit.saved()).toHaveCount(0);
});

test("a clinician acknowledges and resolves the suicide-risk flag from the patient page", async ({
  page,
}) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const id = await newPatient(page, `Flag${Date.now().toString(36)}`);
  const visit = await page.request.post(`/api/v1/patients/${id}/visits`, {
    data: {
      occurredOn: new Date().toISOString().slice(0, 10),
      observations: [{ kind: "phq9", items: [2, 2, 1, 1, 1, 1, 1, 0, 1] }],
    },
  });
  expect(visit.status()).toBe(201);
  const detail = (await (await page.request.get(`/api/v1/patients/${id}`)).json()) as {
    patient: { mrn: string };
  };
  // The patient list shows the critical flag nobody has acknowledged yet.
  await page.goto(`/patients?q=${encodeURIComponent(detail.patient.mrn)}`);
  await expect(
    page.getByRole("row").filter({ hasText: "Critical flag not acknowledged" }),
  ).toHaveCount(1);

  await page.goto(`/patients/${id}`);
  const card = page
    .getByRole("region", { name: /Open flags/ })
    .getByRole("article", { name: "Suicide risk: PHQ-9 item 9 positive", exact: true });
  await card.getByRole("button", { name: "Acknowledge" }).click();
  await expect(card.getByRole("status")).toHaveText("Acknowledged.");
  await expect(card).toContainText("Status: Acknowledged");
  await card.getByRole("button", { name: "Safety plan done" }).click();
  await expect(card).toHaveCount(0);
  await page.goto(`/patients?q=${encodeURIComponent(detail.patient.mrn)}`);
  await expect(page.getByRole("row").filter({ hasText: detail.patient.mrn })).toHaveCount(1);
  await expect(page.getByText("Critical flag not acknowledged")).toHaveCount(0);
});

test("registering the same person twice at a site shows the match and asks first", async ({
  page,
}) => {
  await signInAs(page, CLINICIAN, /\/patients$/);
  const family = `Twice${Date.now().toString(36)}`;
  const firstId = await newPatient(page, family);
  const siteId = await siteOfFirstPatient(page);
  await page.goto("/patients/new");
  const form = new RegistrationPage(page);
  await form.fill({
    mrn: `TWICE-${Date.now().toString(36)}`,
    givenName: "kay",
    familyName: family,
    birthDate: "1950-06-01",
    sex: "Female",
  });
  await page.getByLabel("Site").selectOption(siteId);
  // The API's 409 is the expected answer here; the browser logs it as a failed request.
  expectConsoleError(page, /status of 409/);
  await form.submit();
  const match = page.getByRole("region", { name: "Already registered?" });
  await expect(match).toBeFocused();
  await expect(match.getByRole("link", { name: new RegExp(`Kay ${family}`) })).toHaveAttribute(
    "href",
    `/patients/${firstId}`,
  );
  await expect(page).toHaveURL(/\/patients\/new$/);
  await expectNoSeriousA11yViolations(page);
  // Another person after all: registered on request, on to the new patient's visit.
  await match.getByRole("button", { name: "Register as another person" }).click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}\/visits\/new$/);
  expect(page.url()).not.toContain(firstId);
});

test("no console errors on the patient list, registration, the visit form and the patient page", async ({
  page,
}) => {
  // The watch of every test here fails it on a console error; this test visits each page once.
  await signInAs(page, CLINICIAN, /\/patients$/);
  await page.goto("/patients/new");
  await expect(page.getByRole("button", { name: "Register and start a visit" })).toBeVisible();
  const id = await newPatient(page, `Console${Date.now().toString(36)}`);
  await page.goto(`/patients/${id}/visits/new`);
  await expect(new VisitEntryPage(page).phq9Item(1).getByRole("radio").first()).toBeFocused();
  await page.goto(`/patients/${id}`);
  await expect(page.getByRole("heading", { name: "Visit history" })).toBeVisible();
  await page.goto("/patients");
  await expect(page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
});

test.describe("accessibility of the visit form (axe)", () => {
  for (const width of [1440, 390]) {
    test(`empty, with errors and saved at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await signInAs(page, CLINICIAN, /\/patients$/);
      const id = await newPatient(page, `Axe${width}${Date.now().toString(36)}`);
      await page.goto(`/patients/${id}/visits/new`);
      const visit = new VisitEntryPage(page);
      await expect(visit.phq9Item(1).getByRole("radio").first()).toBeFocused();
      await expectNoSeriousA11yViolations(page);

      await page.keyboard.press("7");
      await visit.tScore("Femoral neck").fill("-12");
      const dxaDate = page.getByRole("textbox", { name: "DXA date" });
      await dxaDate.fill("6/13/2026");
      await page.keyboard.press("Control+Enter");
      await expect(page.getByRole("region", { name: /Not saved yet/ })).toBeVisible();
      await expect(dxaDate).toHaveAttribute("aria-invalid", "true");
      await expectNoSeriousA11yViolations(page);

      await visit.tScore("Femoral neck").fill("-2.7");
      await dxaDate.fill("t-30");
      await page.keyboard.press("Control+Enter");
      await expect(visit.saved()).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    });
  }
});
