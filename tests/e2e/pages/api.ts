import { expect, type APIRequestContext, type Browser } from "@playwright/test";
import { DEMO_PASSWORD } from "./signin-page";

/** Signs an API request context in through next-auth's credentials flow (csrf, then callback). */
export async function credentialsSignIn(
  request: APIRequestContext,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
  });
  expect(res.status()).toBeLessThan(400);
  const session = (await (await request.get("/api/auth/session")).json()) as {
    user?: { email: string };
  };
  expect(session.user?.email).toBe(email);
}

export interface WorklistPatient {
  patientId: string;
  patient: { mrn: string; familyName: string };
}

/**
 * The first patient of the care team's worklist, after the care team did `act` about them (in a
 * browser context of its own, closed afterwards): an audited event for the administrator to find.
 */
export async function careTeamActsOnFirstPatient(
  browser: Browser,
  act: (request: APIRequestContext, patientId: string) => Promise<unknown>,
): Promise<WorklistPatient> {
  const care = await browser.newContext();
  await credentialsSignIn(care.request, "care@example.org");
  const { items } = (await (await care.request.get("/api/v1/worklist")).json()) as {
    items: WorklistPatient[];
  };
  const patient = items[0]!;
  await act(care.request, patient.patientId);
  await care.close();
  return patient;
}
