import { expect, type APIRequestContext } from "@playwright/test";
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
