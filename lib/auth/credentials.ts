import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";
import { recordAudit } from "@/lib/server/audit";
import {
  findUserByEmail,
  lockedUntil,
  normalizeEmail,
  recordLoginAttempt,
} from "@/lib/server/users";
import { DUMMY_HASH, verifyPassword } from "./password";

export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email.")
    .max(320)
    .email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
  /** users.session_version when the session was issued (see db/schema.ts). */
  sessionVersion: number;
}

export type SignInResult =
  | { status: "ok"; user: SessionUser }
  | { status: "invalid"; message: string }
  | { status: "locked"; message: string; retryAfterSeconds: number }
  | { status: "disabled"; message: string };

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";

/** Checks a sign-in: throttling (in the database), password, disabled state; audits the outcome. */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  now: Date,
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  const email = normalizeEmail(String(input.email ?? "")).slice(0, 320);
  const auditBase = { actorEmail: email, ip: input.ip, userAgent: input.userAgent };
  if (!parsed.success) {
    return { status: "invalid", message: INVALID_CREDENTIALS_MESSAGE };
  }
  const until = await lockedUntil(db, email, now);
  if (until) {
    const retryAfterSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { reason: "locked-out" },
    });
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    return {
      status: "locked",
      retryAfterSeconds,
      message: `Too many failed sign-ins for this account. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, parsed.data.password);
  if (!user || !ok) {
    await recordLoginAttempt(db, { email, success: false, ip: input.ip, at: now });
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "failure",
      detail: { reason: user ? "wrong-password" : "unknown-account" },
    });
    return { status: "invalid", message: INVALID_CREDENTIALS_MESSAGE };
  }
  if (user.disabledAt) {
    await recordAudit(db, null, {
      ...auditBase,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { reason: "disabled" },
    });
    return { status: "disabled", message: "This account is disabled. Ask an administrator." };
  }
  await recordLoginAttempt(db, { email, success: true, ip: input.ip, at: now });
  await recordAudit(
    db,
    {
      userId: user.id,
      email: user.email,
      role: user.role,
      ip: input.ip,
      userAgent: input.userAgent,
    },
    { action: "auth.sign-in" },
  );
  return {
    status: "ok",
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      siteIds: user.siteIds,
      sessionVersion: user.sessionVersion,
    },
  };
}
