import "server-only";
import { z } from "zod";
import { text } from "@/lib/clinical/text";
import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";
import { recordAudit } from "@/lib/server/audit";
import {
  recordLoginAttempt,
  signInThrottle,
  type Throttled,
  type ThrottleScope,
} from "@/lib/server/sign-in-throttle";
import { findUserByEmail, normalizeEmail, type UserWithSites } from "@/lib/server/users";
import {
  LOCAL_SIGNIN_ON,
  localSignInRefusal,
  localSignInRefusalMessage,
  type LocalSignInPolicy,
  type SignInProvider,
} from "./local-signin";
import { DUMMY_HASH, verifyPassword } from "./password";

export const signInSchema = z.object({
  email: text().trim().min(1, "Enter your email.").max(320).email("Enter a valid email address."),
  password: text().min(1, "Enter your password.").max(1024),
});

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
  /** users.session_version when the session was issued (see db/schema.ts). */
  sessionVersion: number;
  /** How the session was opened (absent in sessions issued before single sign-on: local). */
  provider?: SignInProvider;
}

export type SignInResult =
  | { status: "ok"; user: SessionUser }
  | { status: "invalid"; message: string }
  | { status: "throttled"; message: string; retryAfterSeconds: number; scope: ThrottleScope }
  | { status: "disabled"; message: string }
  | { status: "refused"; message: string };

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

function throttledMessage({ scope, retryAfterSeconds }: Throttled): string {
  const wait =
    retryAfterSeconds < 60
      ? plural(retryAfterSeconds, "second")
      : plural(Math.ceil(retryAfterSeconds / 60), "minute");
  const from = scope === "address" ? "from this network" : "for this account";
  return `Too many failed sign-ins ${from}. Try again in ${wait}.`;
}

/** Audit detail of every password sign-in: which provider (single sign-on writes `oidc`). */
const LOCAL = { provider: "local" } as const;

/**
 * Checks a sign-in: the local sign-in policy (LOCAL_SIGNIN, before the password is looked at),
 * throttling (growing delays, in the database: lib/server/sign-in-throttle.ts), password,
 * disabled state; audits the outcome, a throttled or refused attempt included.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  now: Date,
  policy: LocalSignInPolicy = LOCAL_SIGNIN_ON,
  ssoName?: string,
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  const email = normalizeEmail(String(input.email ?? "")).slice(0, 320);
  const auditBase = { actorEmail: email, ip: input.ip, userAgent: input.userAgent };
  if (!parsed.success) {
    return { status: "invalid", message: INVALID_CREDENTIALS_MESSAGE };
  }
  const refusal = localSignInRefusal(policy, email);
  if (refusal) {
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { ...LOCAL, reason: refusal },
    });
    return { status: "refused", message: localSignInRefusalMessage(ssoName) };
  }
  const throttled = await signInThrottle(db, email, input.ip, now);
  if (throttled) {
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { ...LOCAL, reason: "throttled", ...throttled },
    });
    return { status: "throttled", ...throttled, message: throttledMessage(throttled) };
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, parsed.data.password);
  if (!user || !ok) {
    await recordLoginAttempt(db, { email, success: false, ip: input.ip, at: now });
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "failure",
      detail: { ...LOCAL, reason: user ? "wrong-password" : "unknown-account" },
    });
    return { status: "invalid", message: INVALID_CREDENTIALS_MESSAGE };
  }
  if (user.disabledAt) {
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { ...LOCAL, reason: "disabled" },
    });
    return { status: "disabled", message: "This account is disabled. Ask an administrator." };
  }
  // Break-glass is an administrator's way in; a password that names anyone else is refused.
  if (policy.mode === "breakglass" && user.role !== "admin") {
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { ...LOCAL, reason: "breakglass-not-admin" },
    });
    return { status: "refused", message: localSignInRefusalMessage(ssoName) };
  }
  return {
    status: "ok",
    user: await completeSignIn(
      db,
      user,
      { email, ip: input.ip, userAgent: input.userAgent },
      LOCAL,
      now,
    ),
  };
}

/**
 * A sign-in that passed every check, by password or single sign-on: a success is a login attempt
 * (it clears the throttle's account lanes), audited with the provider's detail; returns the
 * session's user (the local account's role and sites, never the provider's).
 */
export async function completeSignIn(
  db: Db,
  user: UserWithSites,
  request: { email: string; ip: string | null; userAgent: string | null },
  detail: Record<string, unknown>,
  now: Date,
): Promise<SessionUser> {
  await recordLoginAttempt(db, { email: request.email, success: true, ip: request.ip, at: now });
  await recordAudit(
    db,
    {
      userId: user.id,
      email: user.email,
      role: user.role,
      ip: request.ip,
      userAgent: request.userAgent,
    },
    { action: "auth.sign-in", detail },
  );
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: user.siteIds,
    sessionVersion: user.sessionVersion,
  };
}
