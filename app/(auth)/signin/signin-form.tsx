"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/field";
import { IconHigh } from "@/components/ui/icons";
import { sameOriginPath } from "@/lib/auth/redirect";

type LocalSignIn = "on" | "breakglass" | "off";

/**
 * next-auth's own error codes and our single sign-on refusals (`Sso…`, lib/auth/sso.ts), in
 * words; our authorize() errors arrive as plain sentences.
 */
function describeError(error: string, ssoName: string | null): string {
  const provider = ssoName ?? "your hospital's sign-in";
  switch (error) {
    case "CredentialsSignin":
      return "Email or password is incorrect.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "SsoNoAccount":
      return `${provider} signed you in, but no Bone–Brain Care account has your email address. Ask an administrator to create one: accounts, roles and sites are granted in this app.`;
    case "SsoUnverifiedEmail":
      return `${provider} did not confirm your email address, so it cannot be matched to an account here. Ask your IT team to verify the email of your hospital account.`;
    case "SsoNoEmail":
      return `${provider} did not send your email address, so you cannot be matched to an account here. Ask your IT team to release the email claim to this app.`;
    case "SsoDisabled":
      return "This account is disabled. Ask an administrator.";
    case "SsoIssuer":
      return "The sign-in came from an identity provider this app is not set up to trust. Tell your IT team.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthCreateAccount":
    case "Callback":
      return ssoName
        ? `Sign-in with ${ssoName} could not be completed. Try again; if it keeps failing, tell your IT team.`
        : "Sign-in is unavailable right now. Try again in a minute.";
    case "AccessDenied":
      return "Sign-in was refused.";
    case "Configuration":
      return "Sign-in is unavailable right now. Try again in a minute.";
    default:
      return error.length < 200 ? error : "Sign-in failed. Try again.";
  }
}

export function SignInForm({
  initialError,
  callbackUrl,
  ssoName,
  localSignIn,
}: {
  initialError: string | null;
  callbackUrl: string | null;
  /** OIDC_NAME when single sign-on is configured. */
  ssoName: string | null;
  localSignIn: LocalSignIn;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    initialError ? describeError(initialError, ssoName) : null,
  );
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = (data.get("email") as string | null)?.trim() ?? "";
    const password = (data.get("password") as string | null) ?? "";
    if (!email || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error || !result.ok) {
        setError(describeError(result?.error ?? "Callback", ssoName));
        setBusy(false);
        return;
      }
      // Only a target on this origin is followed (`/\host` is another host to a browser).
      router.replace(sameOriginPath(callbackUrl, window.location.origin) ?? "/");
      router.refresh();
    } catch {
      setError("Sign-in is unavailable right now. Check your connection and try again.");
      setBusy(false);
    }
  }

  async function onSso() {
    setBusy(true);
    setError(null);
    try {
      // next-auth answers with the provider's authorization URL (PKCE, state and nonce set in
      // cookies) and the browser goes there: a top-level navigation, as the provider expects.
      await signIn("oidc", {
        callbackUrl: sameOriginPath(callbackUrl, window.location.origin) ?? "/",
      });
    } catch {
      setError("Sign-in is unavailable right now. Check your connection and try again.");
      setBusy(false);
    }
  }

  const passwordForm = (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-describedby={error ? "signin-error" : undefined}
    >
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus={localSignIn === "on" && !ssoName}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <button
        type="submit"
        className={ssoName ? "btn" : "btn btn-primary"}
        disabled={busy}
        style={{ width: "100%" }}
      >
        {busy ? "Signing in…" : ssoName ? "Sign in with password" : "Sign in"}
      </button>
    </form>
  );

  return (
    <>
      {error ? (
        <div
          className="alert alert-error"
          role="alert"
          id="signin-error"
          style={{ marginBottom: "1rem" }}
        >
          <IconHigh />
          <span>{error}</span>
        </div>
      ) : null}
      {ssoName ? (
        <button
          type="button"
          className="btn btn-primary signin-sso"
          onClick={() => void onSso()}
          disabled={busy}
          autoFocus
          aria-describedby={error ? "signin-error" : undefined}
        >
          Sign in with {ssoName}
        </button>
      ) : null}
      {localSignIn === "on" ? (
        <>
          {ssoName ? <p className="signin-or">or</p> : null}
          {passwordForm}
        </>
      ) : null}
      {localSignIn === "breakglass" ? (
        <details className="signin-breakglass">
          <summary>Break-glass administrator sign-in</summary>
          <p className="muted">
            Passwords are switched off except for one named administrator, for when{" "}
            {ssoName ?? "single sign-on"} is unavailable.
          </p>
          {passwordForm}
        </details>
      ) : null}
      {localSignIn === "off" ? (
        <p className="muted signin-note">
          Password sign-in is switched off here: use your hospital account.
        </p>
      ) : null}
    </>
  );
}
