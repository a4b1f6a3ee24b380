import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "bonebrain-demo";

/** The sign-in page, driven by its labels. */
export class SignInPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/signin");
    await expect(this.page.getByRole("heading", { name: "Bone–Brain Care" })).toBeVisible();
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  error() {
    return this.page.getByRole("alert").filter({ hasText: /incorrect|Too many|disabled|Enter/ });
  }
}

/** Signs in through the form and waits for the role's home. */
export async function signInAs(page: Page, email: string, home: string | RegExp): Promise<void> {
  const signin = new SignInPage(page);
  await signin.goto();
  await signin.signIn(email);
  await expect(page).toHaveURL(home);
}
