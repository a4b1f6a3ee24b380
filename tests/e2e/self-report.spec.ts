import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Browser,
  type Locator,
  type Page,
} from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { signInAs, SignInPage } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";

/*
 * The patient answers for themselves: the clinic tablet (by touch-sized taps and by keyboard), the
 * one-time link (birth date, lock, reuse), and an item 9 answer from the screen to the worklist.
 * Every self-report screen is scanned with axe at 390 px and 1024 px.
 */

const CLINICIAN = "clinician@example.org";
const CARE = "care@example.org";
const BIRTH_DATE = "1944-07-09";
const TABLET = { width: 1024, height: 768 };

let clinicianApi: APIRequestContext;
let careApi: APIRequestContext;
let siteId = "";

test.beforeAll(async ({ baseURL }) => {
  clinicianApi = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(clinicianApi, CLINICIAN);
  careApi = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(careApi, CARE);
  const list = (await (await clinicianApi.get("/api/v1/patients?limit=100")).json()) as {
    items: { siteId: string; siteCode: string }[];
  };
  siteId = list.items.find((p) => p.siteCode === "north")!.siteId;
});

test.afterAll(async () => {
  await clinicianApi.dispose();
  await careApi.dispose();
});

async function newPatient(familyName: string): Promise<string> {
  const res = await clinicianApi.post("/api/v1/patients", {
    data: {
      siteId,
      mrn: `SR-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`,
      givenName: "Edith",
      familyName,
      birthDate: BIRTH_DATE,
      sex: "female",
    },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function startSelfReport(
  patientId: string,
  instruments: string[],
  mode: "tablet" | "link",
): Promise<{ id: string; url: string; expiresAt: string }> {
  const res = await clinicianApi.post(`/api/v1/patients/${patientId}/self-reports`, {
    data: { instruments, mode },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; url: string; expiresAt: string };
}

/** axe at phone width and at tablet width, back to the tablet afterwards. */
async function axeBoth(page: Page): Promise<void> {
  for (const size of [{ width: 390, height: 844 }, TABLET]) {
    await page.setViewportSize(size);
    await expectNoSeriousA11yViolations(page);
  }
}

/** A screen the patient reaches: its heading is shown, and it passes axe at both widths. */
async function showsScreen(page: Page, heading: string): Promise<void> {
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  await axeBoth(page);
}

/** Counts the patient's interactions; every target is at least 44 px square. */
class Interactions {
  count = 0;
  constructor(private readonly how: "tap" | "click") {}

  async on(target: Locator): Promise<void> {
    const box = await target.boundingBox();
    expect(box, "target is on screen").not.toBeNull();
    expect(box!.width).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    if (this.how === "tap") await target.tap();
    else await target.click();
    this.count += 1;
  }
}

async function fontSize(target: Locator): Promise<number> {
  return target.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

/** Waits for question `n` of `total` and answers it with the button named `answer`. */
async function answerQuestion(
  page: Page,
  taps: Interactions,
  n: number,
  total: number,
  answer: string,
): Promise<void> {
  await expect(page.getByText(`Question ${n} of ${total}`, { exact: true })).toBeVisible();
  const question = page.getByRole("heading", { level: 1 });
  expect(await fontSize(question)).toBeGreaterThanOrEqual(24);
  const button = page.getByRole("button", { name: answer, exact: true });
  expect(await fontSize(button)).toBeGreaterThanOrEqual(24);
  await taps.on(button);
}

test("tablet: all three instruments by taps at 1024×768, a locked screen, one-action accept", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const patientId = await newPatient("Tablet");
  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  const page = await context.newPage();
  await signInAs(page, CLINICIAN, /\/patients$/);
  await page.goto(`/patients/${patientId}`);
  await page.getByRole("button", { name: "Hand this tablet to the patient" }).click();
  await expect(page).toHaveURL(/\/self-report$/);

  // Patient mode: the first name only, no navigation, no staff session.
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Edith" })).toBeVisible();
  await expect(page.getByText("Tablet")).toHaveCount(0);
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await axeBoth(page);

  const taps = new Interactions("tap");
  await taps.on(page.getByRole("button", { name: "Start" }));
  for (let n = 1; n <= 9; n += 1) {
    await answerQuestion(page, taps, n, 27, n === 9 ? "Not at all" : "Several days");
    if (n === 1) await axeBoth(page);
  }
  const gds = ["No", "Yes", "Yes", "No", "No", "No", "No", "No", "No", "No", "No", "No", "No"];
  for (let i = 0; i < 15; i += 1) {
    await answerQuestion(page, taps, 10 + i, 27, gds[i] ?? "No");
    if (i === 0) await axeBoth(page);
  }
  // One fall: the question about injury is asked too (28 questions from here).
  await answerQuestion(page, taps, 25, 27, "1");
  await axeBoth(page);
  await answerQuestion(page, taps, 26, 28, "No");
  await answerQuestion(page, taps, 27, 28, "Yes");
  await answerQuestion(page, taps, 28, 28, "Yes");
  await expect(page.getByRole("heading", { name: "You have reached the end" })).toBeVisible();
  await expect(page.getByText("You have answered every question.")).toBeVisible();
  await axeBoth(page);
  await taps.on(page.getByRole("button", { name: "Send my answers" }));

  // The locked screen: only a staff sign-in leads away.
  await expect(page.getByRole("heading", { name: "Thank you. You are done." })).toBeVisible();
  await axeBoth(page);
  test.info().annotations.push({
    type: "interactions",
    description: `${taps.count} taps to complete PHQ-9, GDS-15 and the falls questions`,
  });
  console.log(`self-report tablet: ${taps.count} patient interactions for all three instruments`);
  // Start, 9 + 15 + 4 answers, send: one interaction per question and two more.
  expect(taps.count).toBe(30);
  await page.goto(`/patients/${patientId}`);
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/self-report");
  await page.getByRole("link", { name: "Staff sign-in" }).click();
  await new SignInPage(page).signIn(CLINICIAN);
  await expect(page).toHaveURL(/\/patients$/);

  // Into the visit: pending on the patient page, pre-filling the visit form, accepted in one action.
  await page.goto(`/patients/${patientId}`);
  const pending = page.getByTestId("pending-self-report");
  await expect(pending).toContainText("Pending self-report · patient-reported");
  await expect(pending).toContainText("PHQ-9 total 8, item 9 = 0");
  await page.goto(`/patients/${patientId}/visits/new`);
  await expect(page.getByTestId("visit-prefill")).toContainText("patient-reported");
  await page.goto(`/patients/${patientId}`);
  await page.getByRole("button", { name: "Accept into a visit" }).click();
  await expect(page.getByText("No self-report waiting for review.")).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole("region", { name: "Visit history" }).getByText("(patient-reported)").first(),
  ).toBeVisible();
  const list = (await (
    await clinicianApi.get(`/api/v1/patients/${patientId}/self-reports`)
  ).json()) as { items: { status: string; submittedAt: string | null }[] };
  expect(list.items[0]?.status).toBe("accepted");
  await context.close();
});

test("tablet: the same questions by keyboard alone, with back", async ({ browser }) => {
  const patientId = await newPatient("Keyboard");
  const created = await startSelfReport(patientId, ["phq9"], "tablet");
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  await page.goto(created.url);
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Edith" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Start" })).toBeFocused();
  await page.keyboard.press("Enter");
  for (let n = 1; n <= 9; n += 1) {
    await expect(page.getByText(`Question ${n} of 9`, { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Not at all" })).toBeFocused();
    await page.keyboard.press("Enter");
    if (n === 1) {
      // Back by keyboard: past the four answers to the Back button.
      await expect(page.getByText("Question 2 of 9", { exact: true })).toBeVisible();
      for (let i = 0; i < 5; i += 1) await page.keyboard.press("Tab");
      await expect(page.getByRole("button", { name: "Back" })).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(page.getByText("Question 1 of 9", { exact: true })).toBeVisible();
      await expect(page.getByRole("button", { name: "Not at all" })).toHaveAttribute(
        "aria-pressed",
        "true",
      );
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      n = 1;
    }
  }
  await expect(page.getByRole("heading", { name: "You have reached the end" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Send my answers" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Thank you. You are done." })).toBeVisible();
  await context.close();
});

async function confirmBirthDate(page: Page, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split("-");
  await page.getByLabel("Day").fill(String(Number(day)));
  await page.getByLabel("Month").selectOption(month!);
  await page.getByLabel("Year").fill(year!);
  await page.getByRole("button", { name: "Continue" }).click();
}

async function patientBrowser(browser: Browser) {
  // The patient's own device: no staff session, phone or tablet width.
  const context = await browser.newContext({ viewport: TABLET });
  return { context, page: await context.newPage() };
}

test("link: birth date first, first name only, used once (410)", async ({ browser, request }) => {
  const patientId = await newPatient("Linkfamily");
  const created = await startSelfReport(patientId, ["steadi"], "link");
  expect(created.url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  const { context, page } = await patientBrowser(browser);
  await page.goto(created.url);
  await expect(page).toHaveURL(/\/self-report$/);
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Edith" })).toBeVisible();
  // Nothing about the patient but the first name.
  await expect(page.getByText("Linkfamily")).toHaveCount(0);
  await expect(page.getByText(/1944/)).toHaveCount(0);
  await axeBoth(page);
  await confirmBirthDate(page, "1944-07-10");
  await expect(page.getByRole("alert").filter({ hasText: "does not match" })).toContainText(
    "4 tries left",
  );
  await axeBoth(page);
  await confirmBirthDate(page, BIRTH_DATE);
  await page.getByRole("button", { name: "Start" }).click();
  const clicks = new Interactions("click");
  await answerQuestion(page, clicks, 1, 3, "None");
  await answerQuestion(page, clicks, 2, 3, "No");
  await answerQuestion(page, clicks, 3, 3, "No");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await showsScreen(page, "Thank you. Your answers were sent.");

  // Used: the link answers 410, to a browser with a page and to anything else with problem+json.
  const again = await page.goto(created.url);
  expect(again?.status()).toBe(410);
  await showsScreen(page, "This link cannot be used");
  const api = await request.get(created.url, { maxRedirects: 0 });
  expect(api.status()).toBe(410);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
  await context.close();

  // Without the link's cookie the questionnaire page says only where to start.
  const { context: fresh, page: blank } = await patientBrowser(browser);
  await blank.goto("/self-report");
  await expect(blank.getByText("Please open the link your clinic sent you")).toBeVisible();
  await axeBoth(blank);
  await fresh.close();
});

test("link: five wrong birth dates lock it (410 from then on)", async ({ browser }) => {
  const patientId = await newPatient("Locked");
  const created = await startSelfReport(patientId, ["phq9"], "link");
  const { context, page } = await patientBrowser(browser);
  await page.goto(created.url);
  for (let i = 1; i <= 4; i += 1) {
    await confirmBirthDate(page, "1950-01-01");
    await expect(page.getByRole("alert").filter({ hasText: "does not match" })).toContainText(
      `${5 - i} ${i === 4 ? "try" : "tries"} left`,
    );
  }
  await confirmBirthDate(page, "1950-01-01");
  await showsScreen(page, "This questionnaire cannot be used any more");
  const again = await page.goto(created.url);
  expect(again?.status()).toBe(410);
  const list = (await (
    await clinicianApi.get(`/api/v1/patients/${patientId}/self-reports`)
  ).json()) as { items: { status: string; locked: boolean }[] };
  expect(list.items[0]).toMatchObject({ status: "expired", locked: true });
  await context.close();
});

test("item 9: the crisis line on the next screen, the patient urgent on the worklist with the source", async ({
  browser,
}) => {
  const patientId = await newPatient("Ninefamily");
  const created = await startSelfReport(patientId, ["phq9", "gds15"], "link");
  const { context, page } = await patientBrowser(browser);
  await page.goto(created.url);
  await confirmBirthDate(page, BIRTH_DATE);
  await page.getByRole("button", { name: "Start" }).click();
  const clicks = new Interactions("click");
  for (let n = 1; n <= 8; n += 1) await answerQuestion(page, clicks, n, 24, "Not at all");
  await answerQuestion(page, clicks, 9, 24, "Several days");
  const crisis = page.getByRole("heading", { level: 1, name: "Your safety comes first" });
  await expect(crisis).toBeVisible();
  await expect(page.getByText(/call or text 988/)).toBeVisible();
  await axeBoth(page);

  // The session stops here. The flag is already there: read at once, without waiting or retrying.
  const top = (await (await careApi.get("/api/v1/worklist")).json()) as {
    items: { priority: string }[];
  };
  expect(top.items[0]?.priority).toBe("urgent");
  const worklist = (await (
    await careApi.get("/api/v1/worklist?code=safety.suicide-risk&limit=100")
  ).json()) as {
    items: {
      patientId: string;
      priority: string;
      flags: { code: string; severity: string; source?: string }[];
    }[];
  };
  const mine = worklist.items.find((i) => i.patientId === patientId);
  expect(mine?.priority).toBe("urgent");
  expect(mine?.flags.find((f) => f.code === "safety.suicide-risk")).toMatchObject({
    severity: "critical",
    source: "self-report",
  });
  await context.close();

  const care = await browser.newPage();
  await signInAs(care, CARE, /\/worklist/);
  await care.goto("/worklist?code=safety.suicide-risk");
  const row = care.getByRole("row").filter({ hasText: "Ninefamily, Edith" });
  await expect(row).toContainText("(patient-reported, self-report)");
  await care.close();

  const clinician = await browser.newPage();
  await signInAs(clinician, CLINICIAN, /\/patients$/);
  await clinician.goto(`/patients/${patientId}`);
  await expect(clinician.getByTestId("risk-source")).toContainText("patient-reported");
  await clinician.close();
});
