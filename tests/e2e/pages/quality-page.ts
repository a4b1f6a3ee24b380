import { expect, type Locator, type Page } from "@playwright/test";

/** The /quality page, driven by its labels and headings. */
export class QualityPage {
  constructor(readonly page: Page) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`/quality${search ? `?${search}` : ""}`);
    await this.waitForMetrics();
  }

  /** Waits until the tiles (or the empty state) replace the skeleton. */
  async waitForMetrics(): Promise<void> {
    await expect(
      this.page
        .locator("[data-metric]")
        .first()
        .or(this.page.getByRole("heading", { name: "No patients match these filters" })),
    ).toBeVisible();
  }

  tile(title: string | RegExp): Locator {
    return this.page.locator("article[data-metric]").filter({
      has: this.page.getByRole("heading", { level: 3, name: title }),
    });
  }

  tiles(): Locator {
    return this.page.locator("article[data-metric]");
  }

  figure(title: string | RegExp): Locator {
    return this.page.locator("figure").filter({
      has: this.page.getByRole("heading", { level: 3, name: title }),
    });
  }

  async setPeriod(from: string, to: string): Promise<void> {
    await this.page.getByLabel("From").fill(from);
    await this.page.getByLabel("To", { exact: true }).fill(to);
  }

  async chooseSite(name: string): Promise<void> {
    await this.page.getByLabel("Site").selectOption({ label: name });
  }

  async apply(): Promise<void> {
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }
}
