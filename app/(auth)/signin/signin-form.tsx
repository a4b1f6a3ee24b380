"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/field";
import { IconHigh } from "@/components/ui/icons";
import { sameOriginPath } from "@/lib/auth/redirect";

/** next-auth's own error codes, in words; our authorize() errors arrive as plain sentences. */
function describeError(error: string): string {
  switch (error) {
    case "CredentialsSignin":
      return "Email or password is incorrect.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "Configuration":
    case "Callback":
      return "Sign-in is unavailable right now. Try again in a minute.";
    default:
      return error.length < 200 ? error : "Sign-in failed. Try again.";
  }
}

export function SignInForm({
  initialError,
  callbackUrl,
}: {
  initialError: string | null;
  callbackUrl: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    initialError ? describeError(initialError) : null,
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
        setError(describeError(result?.error ?? "Callback"));
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

  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-describedby={error ? "signin-error" : undefined}
    >
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
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <button type="submit" className="btn btn-primary" disabled={busy} style={{ width: "100%" }}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
