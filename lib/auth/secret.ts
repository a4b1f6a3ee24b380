import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

export const DEMO_SECRET_FILE = path.join(".data", "auth-secret");

/** Reads the demo's generated secret, creating it (mode 0600) on first use. */
export function readOrCreateDemoSecret(file = DEMO_SECRET_FILE): string {
  try {
    const existing = fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(/*turbopackIgnore: true*/ file, secret + "\n", { mode: 0o600 });
  return secret;
}

/** The key that signs session JWTs: AUTH_SECRET, or outside production the demo's generated one. */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  // env() already refuses production without AUTH_SECRET.
  return readOrCreateDemoSecret();
}
