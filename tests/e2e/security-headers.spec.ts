import { expect, test } from "@playwright/test";
import { signInAs } from "./pages/signin-page";

test("pages and APIs carry the security headers; the CSP has no unsafe-eval and no inline scripts", async ({
  request,
}) => {
  for (const path of ["/signin", "/api/health", "/api/v1/patients"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    const csp = h["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).not.toContain("unsafe-eval");
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc, path).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc, path).not.toContain("unsafe-inline");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"], path).toContain("camera=()");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
});

test("the session cookie is HttpOnly and SameSite=Lax; sign-out clears it", async ({
  page,
  context,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text()))
      violations.push(m.text());
  });
  await signInAs(page, "clinician@example.org", /\/patients$/);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  // Served over plain HTTP here; behind HTTPS (NEXTAUTH_URL https://…) next-auth adds Secure and the __Secure- prefix.
  await page.goto("/evidence");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await context.cookies()).some((c) => c.name.endsWith("next-auth.session-token"))).toBe(
    false,
  );
});
