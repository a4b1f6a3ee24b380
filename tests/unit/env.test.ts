import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("environment", () => {
  it("defaults to the embedded database on port 3000 with the demo password", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe("./.data/pglite");
    expect(env.PORT).toBe(3000);
    expect(env.DEMO_PASSWORD).toBe("bonebrain-demo");
    expect(env.DEMO_MODE).toBe(false);
    expect(env.TRUST_PROXY).toBe(false);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).DATABASE_URL).toBeUndefined();
  });

  it("accepts a PostgreSQL URL and rejects another scheme", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }).DATABASE_URL).toBe(
      "postgres://u@127.0.0.1:5432/db",
    );
    expect(parseEnv({ DATABASE_URL: "postgresql://u@h/db" }).DATABASE_URL).toBe(
      "postgresql://u@h/db",
    );
    expect(() => parseEnv({ DATABASE_URL: "mysql://u@h/db" })).toThrow(EnvError);
  });

  it("requires AUTH_SECRET in production, and a long one", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      /AUTH_SECRET is required in production/,
    );
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: "short" })).toThrow(/at least 16/);
    expect(
      parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }).AUTH_SECRET,
    ).toHaveLength(32);
    expect(parseEnv({ NODE_ENV: "development" }).AUTH_SECRET).toBeUndefined();
  });

  it("rejects a bad port and names the variable", () => {
    try {
      parseEnv({ PORT: "70000" });
      expect.fail("should throw");
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).issues[0]?.path).toBe("PORT");
    }
  });

  it("parses boolean switches", () => {
    expect(parseEnv({ TRUST_PROXY: "true", DEMO_MODE: "1" })).toMatchObject({
      TRUST_PROXY: true,
      DEMO_MODE: true,
    });
    expect(() => parseEnv({ TRUST_PROXY: "yes" })).toThrow(EnvError);
  });
});
