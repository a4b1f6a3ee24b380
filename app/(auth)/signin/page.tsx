import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSession } from "@/lib/auth/session";
import { ssoConfig } from "@/lib/auth/sso";
import { env } from "@/lib/env";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

const DEMO_ACCOUNTS = [
  { email: "clinician@example.org", role: "Clinician" },
  { email: "care@example.org", role: "Care team" },
  { email: "quality@example.org", role: "Quality" },
  { email: "admin@example.org", role: "Administrator" },
];

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await actorFromSession(await headers());
  if (actor) redirect("/");
  const params = await searchParams;
  const error = typeof params.error === "string" ? params.error : null;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : null;
  const settings = env();
  const sso = ssoConfig(settings);
  const local = settings.LOCAL_SIGNIN;
  // The demo accounts sign in with passwords: listing them where passwords are off would mislead.
  const demo = settings.DEMO_MODE && local === "on";
  return (
    <main className="signin-wrap" id="main">
      <div className="card signin-card">
        <h1>Bone–Brain Care</h1>
        <p className="muted">
          {sso
            ? local === "on"
              ? `Sign in with ${sso.name}, or with your work email and password.`
              : `Sign in with ${sso.name}.`
            : "Sign in with your work email and password."}
        </p>
        <SignInForm
          initialError={error}
          callbackUrl={callbackUrl}
          ssoName={sso?.name ?? null}
          localSignIn={local}
        />
        {demo ? (
          <div className="demo-logins">
            <p>
              <strong>Demo accounts</strong> (password from <code>DEMO_PASSWORD</code>, default{" "}
              <code>bonebrain-demo</code>):
            </p>
            <ul>
              {DEMO_ACCOUNTS.map((a) => (
                <li key={a.email}>
                  <code>{a.email}</code> — {a.role}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </main>
  );
}
