import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSession } from "@/lib/auth/session";
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
  const demo = env().DEMO_MODE;
  return (
    <main className="signin-wrap" id="main">
      <div className="card signin-card">
        <h1>Bone–Brain Care</h1>
        <p className="muted">Sign in with your work email and password.</p>
        <SignInForm initialError={error} callbackUrl={callbackUrl} />
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
