import { expect, type Locator, type Page } from "@playwright/test";

/** The patient list (clinician home). */
export class PatientsPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/patients");
    await expect(this.page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
  }

  search(): Locator {
    return this.page.getByLabel("Find a patient");
  }

  rows(): Locator {
    return this.page.getByRole("table").getByRole("row");
  }
}

export interface NewPatient {
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: "Female" | "Male" | "Other" | "Unknown";
  postmenopausal?: "Yes" | "No" | "Not recorded";
}

/** The registration form at /patients/new. */
export class RegistrationPage {
  constructor(readonly page: Page) {}

  async fill(p: NewPatient): Promise<void> {
    const site = this.page.getByLabel("Site");
    // The first real site (index 0 is the "Choose a site" placeholder).
    const value = await site.locator("option").nth(1).getAttribute("value");
    await site.selectOption(value ?? "");
    await this.page.getByLabel("MRN").fill(p.mrn);
    await this.page.getByLabel("Given name").fill(p.givenName);
    await this.page.getByLabel("Family name").fill(p.familyName);
    await this.page.getByLabel("Birth date").fill(p.birthDate);
    await this.page.getByRole("group", { name: "Sex" }).getByLabel(p.sex, { exact: true }).check();
    if (p.postmenopausal) {
      await this.page
        .getByRole("group", { name: "Postmenopausal" })
        .getByLabel(p.postmenopausal, { exact: true })
        .check();
    }
  }

  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: "Register and start a visit" }).click();
  }
}

/** Visit entry: the paper-order form and the live panel. */
export class VisitEntryPage {
  constructor(readonly page: Page) {}

  phq9Item(number: number): Locator {
    return this.page
      .getByRole("group", { name: "PHQ-9 items" })
      .getByRole("radiogroup", { name: new RegExp(`^${number}\\.`) });
  }

  async answerPhq9ByClick(answers: readonly number[]): Promise<void> {
    for (const [index, answer] of answers.entries()) {
      await this.phq9Item(index + 1)
        .getByRole("radio", { name: new RegExp(`^${answer} `) })
        .check();
    }
  }

  /** Types the answers as digits from the first item: focus moves on by itself. */
  async answerPhq9ByKeyboard(answers: readonly number[]): Promise<void> {
    await this.phq9Item(1).getByRole("radio").first().focus();
    for (const answer of answers) await this.page.keyboard.press(String(answer));
  }

  phq9Total(): Locator {
    return this.page.getByTestId("phq9-total");
  }

  tScore(site: string): Locator {
    return this.page.getByLabel(`${site} T-score`);
  }

  suicideBanner(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "Suicide risk" });
  }

  livePanel(): Locator {
    return this.page.getByRole("complementary", { name: "Live assessment" });
  }

  liveFlag(title: string): Locator {
    return this.livePanel().getByRole("article", { name: title, exact: true });
  }

  async save(): Promise<void> {
    await this.page.getByRole("button", { name: "Save visit" }).click();
  }

  saved(): Locator {
    return this.page.getByRole("status").filter({ hasText: "Visit saved at" });
  }
}

/** The patient page. */
export class PatientPage {
  constructor(readonly page: Page) {}

  flag(title: string): Locator {
    return this.page
      .getByRole("region", { name: /Open flags/ })
      .getByRole("article", { name: title, exact: true });
  }

  chart(title: string): Locator {
    return this.page.getByRole("figure", { name: title });
  }

  async chartTable(title: string): Promise<Locator> {
    const figure = this.chart(title);
    await figure.getByText("Show as a table").click();
    return figure.getByRole("table");
  }

  historyItem(text: string | RegExp): Locator {
    return this.page
      .getByRole("region", { name: "Visit history" })
      .getByRole("listitem")
      .filter({ hasText: text });
  }

  async retract(text: string | RegExp, reason: string): Promise<void> {
    const item = this.historyItem(text);
    await item.getByRole("button", { name: /Retract…/ }).click();
    await item.getByLabel("Reason it was entered in error (required)").fill(reason);
    await item.getByRole("button", { name: "Retract", exact: true }).click();
  }
}
