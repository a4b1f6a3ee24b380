import { expect, type Locator, type Page } from "@playwright/test";

/** The care team's worklist, driven by roles and labels. */
export class WorklistPage {
  constructor(readonly page: Page) {}

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/worklist${query}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Worklist" })).toBeVisible();
  }

  chip(label: string): Locator {
    return this.page
      .getByRole("group", { name: "Filter by priority" })
      .getByRole("button", { name: new RegExp(`^${label}`) });
  }

  rows(): Locator {
    return this.page.getByRole("table").locator("tbody tr");
  }

  drawer(): Locator {
    return this.page.locator("aside[aria-labelledby='drawer-title']");
  }

  /** Opens the drawer of the first row and returns the patient's name as shown. */
  async openFirst(): Promise<string> {
    const button = this.rows().first().getByRole("button").first();
    const name = (await button.textContent())?.trim() ?? "";
    await button.click();
    await expect(this.drawer().getByRole("heading", { level: 2 })).toHaveText(name);
    return name;
  }

  /** The drawer's one action bar (its buttons act on the chosen flags). */
  actionBar(): Locator {
    return this.drawer().getByRole("group", { name: "Actions on the selected flags" });
  }

  /** A button of the action bar. */
  action(name: "Acknowledge" | "Assign" | "Note" | "Snooze" | "Resolve"): Locator {
    return this.actionBar().getByRole("button", { name, exact: true });
  }

  /** What the last action of the bar said. */
  actionStatus(): Locator {
    return this.drawer().getByRole("status").filter({ hasText: /flag/ });
  }

  /** Ticks the flag's checkbox in the drawer's list. */
  async choose(flagId: string): Promise<void> {
    await this.drawer().locator(`[data-flag-id="${flagId}"] input[type=checkbox]`).check();
  }

  /** The first flag of the drawer, pinned by its id (the order may change as flags change). */
  async firstFlag(): Promise<{ id: string; panel: Locator }> {
    const id =
      (await this.drawer().locator("[data-flag-id]").first().getAttribute("data-flag-id")) ?? "";
    return { id, panel: this.drawer().locator(`[data-flag-id="${id}"]`) };
  }
}
