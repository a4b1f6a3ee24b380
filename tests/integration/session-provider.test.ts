import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { setDatabase } from "@/db/client";
import { actorFromRequest } from "@/lib/auth/session";
import type { SignInProvider } from "@/lib/auth/local-signin";
import { testDatabasePerFile } from "../support/db";
import { makeWorld } from "../support/fixtures";

/*
 * With passwords switched off (LOCAL_SIGNIN=off), a session stands or falls by how it was opened:
 * a password session ends, one opened through single sign-on or by an EHR's SMART launch does not.
 * lib/env reads the environment once, on first use inside these tests.
 */
const SECRET = "session-provider-secret-0123456789";
Object.assign(process.env, {
  AUTH_SECRET: SECRET,
  LOCAL_SIGNIN: "off",
  OIDC_ISSUER: "http://127.0.0.1:4999",
  OIDC_CLIENT_ID: "bone-brain-care",
  OIDC_CLIENT_SECRET: "a-client-secret-for-tests",
  OIDC_NAME: "Hospital sign-in",
});

const t = testDatabasePerFile(setDatabase);

async function requestWith(userId: string, provider: SignInProvider | undefined) {
  const token = await encode({
    token: { sub: userId, sv: 1, role: "clinician", siteIds: [], provider },
    secret: SECRET,
    maxAge: 3600,
  });
  return new NextRequest("http://localhost/api/v1/patients", {
    headers: { cookie: `next-auth.session-token=${token}`, "user-agent": "vitest" },
  });
}

describe("sessions under LOCAL_SIGNIN=off", () => {
  it("ends password sessions and keeps single sign-on and SMART launch sessions", async () => {
    const world = await makeWorld(t.db);
    const outcome = async (provider: SignInProvider | undefined) =>
      actorFromRequest(await requestWith(world.actor.userId, provider)).then(
        (actor) => actor.userId,
        () => "refused",
      );
    expect(await outcome("local")).toBe("refused");
    // A token from before providers were recorded counts as a password session.
    expect(await outcome(undefined)).toBe("refused");
    expect(await outcome("oidc")).toBe(world.actor.userId);
    expect(await outcome("smart")).toBe(world.actor.userId);
  });
});
