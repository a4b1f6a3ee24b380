import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { signInAs } from "./pages/signin-page";

test("the evidence page lists every source and rule at a stable anchor, and filters", async ({
  page,
}) => {
  await signInAs(page, "clinician@example.org", /\/patients$/);
  await page.goto("/evidence#bhof-2022");
  await expect(page.getByRole("heading", { level: 1, name: "Evidence and rules" })).toBeVisible();
  await expect(page.locator("#bhof-2022")).toBeVisible();
  await expect(page.locator("#bhof-2022")).toContainText("Osteoporos Int");
  await expect(page.locator("#rule-safety-suicide-risk")).toBeVisible();
  await page.getByLabel("Search rules and sources").fill("vitamin d");
  await expect(page.locator("#rule-safety-suicide-risk")).toBeHidden();
  await expect(page.locator("#iom-2011-vitamin-d")).toBeVisible();
});

test("the evidence page shows ruleset 2026.12.0 with its corrected citations", async ({ page }) => {
  await signInAs(page, "clinician@example.org", /\/patients$/);
  await page.goto("/evidence");
  await expect(page.getByText("2026.12.0").first()).toBeVisible();
  await expect(page.locator("#holick-2007-vitamin-d")).toContainText("N Engl J Med 2007");
  await expect(page.locator("#ags-beers-2023")).toContainText("J Am Geriatr Soc 2023");
  await expect(page.locator("#osteoporosis-drug-labels")).toContainText("Unverified");
  await expect(page.locator("#heaney-2008-vitamin-d-toxicity")).toHaveCount(0);
});

test.describe("POST /api/v1/assess", () => {
  const example = JSON.parse(
    fs.readFileSync(path.join(process.cwd(), "tests", "fixtures", "assess-input.json"), "utf8"),
  ) as Record<string, unknown>;

  test("assesses the design example and stores nothing", async ({ request }) => {
    await credentialsSignIn(request, "care@example.org");
    const res = await request.post("/api/v1/assess", { data: example });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as {
      rulesetVersion: string;
      priority: string;
      flags: { code: string; sources: string[] }[];
    };
    expect(body.rulesetVersion).toMatch(/^\d{4}\.\d+\.\d+$/);
    expect(body.flags.length).toBeGreaterThan(0);
    expect(body.flags.every((f) => f.sources.length > 0)).toBe(true);
  });

  test("answers 422 with field paths for invalid input and 400 for malformed JSON", async ({
    request,
  }) => {
    await credentialsSignIn(request, "clinician@example.org");
    const bad = await request.post("/api/v1/assess", {
      data: {
        ...example,
        observations: [{ kind: "phq9", effective: "2026-11-01", items: [1, 2] }],
      },
    });
    expect(bad.status()).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.some((e) => e.path.startsWith("observations.0"))).toBe(true);
    const malformed = await request.post("/api/v1/assess", {
      data: Buffer.from("{not json"),
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status()).toBe(400);
  });

  test("is refused to the quality role", async ({ request }) => {
    await credentialsSignIn(request, "quality@example.org");
    const res = await request.post("/api/v1/assess", { data: example });
    expect(res.status()).toBe(403);
  });
});
