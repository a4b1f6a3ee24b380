import { describe, expect, it } from "vitest";
import { localSignInRefusal } from "@/lib/auth/local-signin";
import { isVerifiedEmail, ssoConfig, ssoProvider } from "@/lib/auth/sso";
import { EnvError, isHttpsOrLoopback, parseEnv } from "@/lib/env";

const SSO = {
  OIDC_ISSUER: "https://login.hospital.example/realms/staff",
  OIDC_CLIENT_ID: "bone-brain-care",
  OIDC_CLIENT_SECRET: "a-client-secret",
  OIDC_NAME: "Hospital sign-in",
};

const issuesOf = (source: Record<string, string>): string[] => {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return error.issues.map((i) => i.path);
  }
};

describe("single sign-on configuration (lib/env.ts)", () => {
  it("is off by default, with local passwords on", () => {
    const env = parseEnv({});
    expect(ssoConfig(env)).toBeNull();
    expect(env.LOCAL_SIGNIN).toBe("on");
  });

  it("takes all four OIDC variables, or none", () => {
    expect(ssoConfig(parseEnv(SSO))).toEqual({
      issuer: SSO.OIDC_ISSUER,
      clientId: SSO.OIDC_CLIENT_ID,
      clientSecret: SSO.OIDC_CLIENT_SECRET,
      name: SSO.OIDC_NAME,
    });
    const { OIDC_CLIENT_SECRET: _secret, OIDC_NAME: _name, ...partial } = SSO;
    expect(issuesOf(partial).sort()).toEqual(["OIDC_CLIENT_SECRET", "OIDC_NAME"]);
  });

  it("requires an https issuer, except on loopback hosts", () => {
    expect(issuesOf({ ...SSO, OIDC_ISSUER: "http://login.hospital.example" })).toEqual([
      "OIDC_ISSUER",
    ]);
    expect(issuesOf({ ...SSO, OIDC_ISSUER: "http://127.0.0.1:4103" })).toEqual([]);
    expect(issuesOf({ ...SSO, OIDC_ISSUER: "http://localhost:8080/realms/x" })).toEqual([]);
    expect(isHttpsOrLoopback("http://127.0.0.1.evil.example")).toBe(false);
    expect(isHttpsOrLoopback("ftp://localhost")).toBe(false);
    expect(isHttpsOrLoopback("not a url")).toBe(false);
  });

  it("accepts LOCAL_SIGNIN on, breakglass and off only", () => {
    expect(issuesOf({ ...SSO, LOCAL_SIGNIN: "sometimes" })).toEqual(["LOCAL_SIGNIN"]);
    expect(parseEnv({ ...SSO, LOCAL_SIGNIN: "off" }).LOCAL_SIGNIN).toBe("off");
  });

  it("refuses passwords off without single sign-on (no one could sign in)", () => {
    expect(issuesOf({ LOCAL_SIGNIN: "off" })).toEqual(["LOCAL_SIGNIN"]);
    expect(issuesOf({ LOCAL_SIGNIN: "breakglass", BREAKGLASS_EMAIL: "a@b.example" })).toEqual([
      "LOCAL_SIGNIN",
    ]);
  });

  it("requires BREAKGLASS_EMAIL for breakglass, as a lower-case email", () => {
    expect(issuesOf({ ...SSO, LOCAL_SIGNIN: "breakglass" })).toEqual(["BREAKGLASS_EMAIL"]);
    expect(issuesOf({ ...SSO, LOCAL_SIGNIN: "breakglass", BREAKGLASS_EMAIL: "admin" })).toEqual([
      "BREAKGLASS_EMAIL",
    ]);
    const env = parseEnv({
      ...SSO,
      LOCAL_SIGNIN: "breakglass",
      BREAKGLASS_EMAIL: "Admin@Example.org",
    });
    expect(env.BREAKGLASS_EMAIL).toBe("admin@example.org");
  });
});

describe("the oidc provider", () => {
  it("is an OpenID Connect provider with PKCE, state and nonce, verifying the id_token", () => {
    const provider = ssoProvider(ssoConfig(parseEnv(SSO))!);
    expect(provider.id).toBe("oidc");
    expect(provider.name).toBe("Hospital sign-in");
    expect(provider.wellKnown).toBe(
      "https://login.hospital.example/realms/staff/.well-known/openid-configuration",
    );
    expect(provider.idToken).toBe(true);
    expect(provider.checks).toEqual(["pkce", "state", "nonce"]);
  });
});

describe("local sign-in policy", () => {
  it("on: everyone", () => {
    expect(localSignInRefusal({ mode: "on" }, "clinician@example.org")).toBeNull();
  });

  it("off: no one, not even an administrator", () => {
    expect(localSignInRefusal({ mode: "off" }, "admin@example.org")).toBe("local-signin-off");
  });

  it("breakglass: only the named email", () => {
    const policy = { mode: "breakglass", breakglassEmail: "admin@example.org" } as const;
    expect(localSignInRefusal(policy, "admin@example.org")).toBeNull();
    expect(localSignInRefusal(policy, "clinician@example.org")).toBe(
      "local-signin-breakglass-only",
    );
    expect(localSignInRefusal({ mode: "breakglass" }, "admin@example.org")).toBe(
      "local-signin-breakglass-only",
    );
  });
});

describe("verified email", () => {
  it("counts only a true email_verified (or Entra ID's xms_edov)", () => {
    expect(isVerifiedEmail({ email_verified: true })).toBe(true);
    expect(isVerifiedEmail({ xms_edov: true })).toBe(true);
    expect(isVerifiedEmail({ email_verified: false })).toBe(false);
    expect(isVerifiedEmail({ email_verified: "true" })).toBe(false);
    expect(isVerifiedEmail({})).toBe(false);
  });
});
