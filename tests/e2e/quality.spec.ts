import { expect, test } from "@playwright/test";
import { QualityPage } from "./pages/quality-page";
import { signInAs } from "./pages/signin-page";
import { expectNoSeriousA11yViolations } from "./support/a11y";

const QUALITY = "quality@example.org";

test("the quality user sees every metric with its definition, and charts", async ({ page }) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const quality = new QualityPage(page);
  await quality.waitForMetrics();
  await expect(page.getByRole("heading", { level: 1, name: "Quality" })).toBeVisible();

  for (const section of [
    "Screening coverage",
    "Prevalence",
    "Time to action",
    "Fracture liaison (IOF KPIs)",
    "Depression outcomes",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  expect(await quality.tiles().count()).toBe(18);

  // A tile: a value (a number or a suppression marker), and "how this is counted".
  const tile = quality.tile("Depression screening (65+)");
  await expect(tile.locator("p").first()).toHaveText(/(\d+(\.\d)? %|<11|hidden|No data)/);
  await tile.getByText("How this is counted").click();
  await expect(tile.getByText(/Counted: patients with a complete depression screen/)).toBeVisible();
  await expect(page.getByText("No patient-level data is shown here.")).toBeVisible();

  // The charts load on this page, each with a summary or table and an export link.
  for (const title of [
    "Screening coverage by month",
    "Prevalence by month (rolling 12 months)",
    "Fracture liaison KPIs by month of fracture",
    "Depression outcomes at 6 months",
    "Time to action by severity (median days)",
    "Depression band × bone category",
    "Rule performance",
  ]) {
    const figure = quality.figure(title);
    await expect(figure).toBeVisible();
    await expect(figure.getByRole("link", { name: /Export CSV/ }).first()).toBeVisible();
  }
  await expect(
    quality.figure("Screening coverage by month").locator(".recharts-surface").first(),
  ).toBeVisible();
  const heatmap = quality.figure("Depression band × bone category").getByRole("table");
  await expect(heatmap.getByRole("columnheader", { name: "No DXA" })).toBeVisible();
  await expect(heatmap.getByRole("rowheader", { name: "Moderately severe" })).toBeVisible();
  const rules = quality.figure("Rule performance").getByRole("table");
  expect(await rules.getByRole("row").count()).toBeGreaterThan(3);

  // A table alternative for a chart.
  const screening = quality.figure("Screening coverage by month");
  await screening.getByText("Show as a table").click();
  await expect(screening.getByRole("rowheader").first()).toBeVisible();

  // Never patient-level data: no MRN of the demo cohort anywhere on the page.
  await expect(page.locator("body")).not.toContainText(/\b[NR]0\d{6}\b/);
});

test("filters live in the URL: date range and site", async ({ page }) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const quality = new QualityPage(page);
  await quality.waitForMetrics();
  const today = new Date().toISOString().slice(0, 10);
  const sixMonthsAgo = new Date(Date.now() - 182 * 86_400_000).toISOString().slice(0, 10);
  await quality.setPeriod(sixMonthsAgo, today);
  await quality.apply();
  await expect(page).toHaveURL(new RegExp(`from=${sixMonthsAgo}&to=${today}`));
  await quality.waitForMetrics();

  await quality.chooseSite("Northside Geriatrics");
  await quality.apply();
  await expect(page).toHaveURL(/site=[0-9a-f-]{36}/);
  await expect(page.locator("p[aria-live]").getByText("Northside Geriatrics")).toBeVisible();
  await quality.waitForMetrics();

  // The shared link opens the same view.
  const url = page.url();
  await page.goto(url);
  await expect(page.getByLabel("From")).toHaveValue(sixMonthsAgo);
  await expect(page.getByLabel("Site")).toHaveValue(/[0-9a-f-]{36}/);

  // A filter nobody matches shows the empty state.
  await page.getByLabel("Age band").selectOption({ label: "Under 65" });
  await page.getByLabel("Sex").selectOption({ label: "Unknown" });
  await quality.apply();
  await expect(page).toHaveURL(/ageBand=%3C65/);
  await expect(
    page.getByRole("heading", { name: "No patients match these filters" }),
  ).toBeVisible();
});

test("a metric downloads as CSV with its context, for the filters on screen", async ({ page }) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const quality = new QualityPage(page);
  await quality.waitForMetrics();
  await quality.chooseSite("Northside Geriatrics");
  // Changed but not applied: the page says the exports are still for the applied filters.
  await expect(page.getByRole("status").filter({ hasText: "Not applied yet" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await quality.apply();
  await expect(page).toHaveURL(/site=[0-9a-f-]{36}/);
  await expect(page.getByRole("status").filter({ hasText: "Not applied yet" })).toHaveCount(0);
  const exportLink = quality
    .tile("Depression screening (65+)")
    .getByRole("link", { name: /Export CSV/ });
  // The tiles show the new filters' figures (and export links) once they have loaded.
  await expect(exportLink).toHaveAttribute("href", /site=[0-9a-f-]{36}/);
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  // The file name carries the metric and the filters (the site by its code).
  expect(download.suggestedFilename()).toMatch(
    /^quality-screening\.depression-from-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-site-[A-Za-z0-9_-]+-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const path = await download.path();
  const fs = await import("node:fs");
  const text = fs.readFileSync(path, "utf8");
  // A UTF-8 byte-order mark first, so spreadsheets read accents; then the context on each row.
  const [header, first] = text.split("\r\n");
  expect(header).toBe(
    "\uFEFFmetric,metric_name,from,to,sites,site_codes,age_band,sex,row,month,group,value,unit,numerator,denominator,filters,generated_at,time_zone",
  );
  expect(first).toMatch(
    /^screening\.depression,Depression screening \(65\+\),\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},Northside Geriatrics,[^,]+,all,all,period,/,
  );
  expect(first).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,UTC$/);
});

test("charts label what they withhold and name rules, with the code on hover", async ({ page }) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const quality = new QualityPage(page);
  await quality.waitForMetrics();
  const rules = quality.figure("Rule performance").getByRole("table");
  const firstRule = rules.getByRole("rowheader").first();
  await expect(firstRule).toHaveAttribute("title", /^Rule [a-z]+\.[a-z0-9.-]+$/);
  await expect(firstRule).not.toHaveText(/^[a-z]+\.[a-z-]+ \(/);
  // Time to action: each bar carries its figure or what the small-cell rule withheld.
  const tta = quality.figure("Time to action by severity (median days)");
  await expect(tta.locator(".recharts-label-list").first()).toBeVisible();
  const labels = await tta.locator(".recharts-label-list text").allTextContents();
  for (const l of labels) expect(l).toMatch(/^(\d+(\.\d+)? d|<11|hidden|—)$/);
  // Axis text at 12 px or more.
  const sizes = await page
    .locator(".recharts-cartesian-axis-tick-labels text")
    .evaluateAll((nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize)));
  expect(sizes.length).toBeGreaterThan(0);
  for (const size of sizes) expect(size).toBeGreaterThanOrEqual(12);
});

test("the API answers aggregates to the quality user and refuses patient-level routes", async ({
  page,
}) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const patients = await page.request.get("/api/v1/patients");
  expect(patients.status()).toBe(403);
  const metrics = await page.request.get("/api/v1/quality/metrics?ageBand=85%2B");
  expect(metrics.status()).toBe(200);
  const body = (await metrics.json()) as { metrics: unknown[]; filters: { ageBand: string } };
  expect(body.filters.ageBand).toBe("85+");
  expect(body.metrics.length).toBe(20);
  const bad = await page.request.get("/api/v1/quality/metrics?from=2026-02-30&sex=x");
  expect(bad.status()).toBe(400);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  expect(await bad.json()).toMatchObject({
    errors: expect.arrayContaining([
      expect.objectContaining({ path: "from" }),
      expect.objectContaining({ path: "sex" }),
    ]),
  });
  const otherSite = await page.request.get(
    "/api/v1/quality/metrics?site=00000000-0000-4000-8000-000000000000",
  );
  expect(otherSite.status()).toBe(403);
  const csv = await page.request.get("/api/v1/quality/metrics.csv?metric=rule-performance");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(csv.headers()["content-disposition"]).toMatch(
    /^attachment; filename="quality-rule-performance-/,
  );
});

test("/quality has no serious or critical accessibility violations", async ({ page }, testInfo) => {
  await signInAs(page, QUALITY, /\/quality$/);
  const quality = new QualityPage(page);
  await quality.waitForMetrics();
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: testInfo.outputPath("quality-page.png"), fullPage: true });
});
