import { describe, expect, it } from "vitest";
import { fieldErrorMap, toggleId } from "@/components/admin/users/users-admin.utils";
import {
  compactDetail,
  entityText,
  normalizeAuditParams,
} from "@/components/audit/audit-log.utils";
import { formatDateTime } from "@/lib/client/date-time";
import { createUserSchema, PASSWORD_MIN_LENGTH, updateUserSchema } from "@/lib/api/admin";

const SITE = "5b0c5a8e-4a1e-4d2b-9a57-1c3a2f0e9b11";

describe("user schemas", () => {
  const valid = {
    email: "  Person@Example.ORG ",
    name: " Pat Person ",
    role: "clinician",
    siteIds: [SITE, SITE.toUpperCase()],
    password: "x".repeat(PASSWORD_MIN_LENGTH),
  };
  it("normalises email and name and removes duplicate sites", () => {
    expect(createUserSchema.parse(valid)).toEqual({
      email: "person@example.org",
      name: "Pat Person",
      role: "clinician",
      siteIds: [SITE],
      password: "x".repeat(PASSWORD_MIN_LENGTH),
    });
  });
  it.each([
    [{ password: "x".repeat(PASSWORD_MIN_LENGTH - 1) }, "password"],
    [{ email: "nope" }, "email"],
    [{ role: "root" }, "role"],
    [{ siteIds: ["not-a-uuid"] }, "siteIds.0"],
    [{ name: "   " }, "name"],
    [{ extra: true }, ""],
  ])("refuses %j at %j", (patch, path) => {
    const result = createUserSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
  it("accepts each action and refuses unknown actions and empty updates", () => {
    expect(updateUserSchema.safeParse({ action: "disable" }).success).toBe(true);
    expect(updateUserSchema.safeParse({ action: "enable" }).success).toBe(true);
    expect(updateUserSchema.safeParse({ action: "update", role: "quality" }).success).toBe(true);
    expect(updateUserSchema.safeParse({ action: "update" }).success).toBe(false);
    expect(updateUserSchema.safeParse({ action: "delete" }).success).toBe(false);
    expect(
      updateUserSchema.safeParse({ action: "reset-password", password: "short" }).success,
    ).toBe(false);
  });
});

describe("admin UI helpers", () => {
  it("maps field errors to form fields, the first message winning", () => {
    expect(
      fieldErrorMap([
        { path: "siteIds.2", message: "unknown site" },
        { path: "siteIds", message: "second" },
        { path: "email", message: "used" },
        { path: "(body)", message: "general" },
      ]),
    ).toEqual({ siteIds: "unknown site", email: "used", form: "general" });
  });
  it("toggles ids in the order of the full list", () => {
    expect(toggleId(["c"], "a", ["a", "b", "c"])).toEqual(["a", "c"]);
    expect(toggleId(["a", "c"], "a", ["a", "b", "c"])).toEqual(["c"]);
  });
  it("keeps only known, non-empty audit filters in a stable order", () => {
    const params = new URLSearchParams("to=2026-11-20&junk=1&user=%20a%40b.org%20&outcome=");
    expect(normalizeAuditParams(params).toString()).toBe("user=a%40b.org&to=2026-11-20");
  });
  it("formats times, details and entities compactly", () => {
    expect(formatDateTime("2026-11-20T14:03:12.123456Z", "UTC", { seconds: true })).toBe(
      "20 Nov 2026 14:03:12 UTC",
    );
    expect(formatDateTime("2026-12-06T09:05:00.000Z")).toBe("6 Dec 2026 09:05 UTC");
    expect(compactDetail({})).toBe("");
    expect(compactDetail({ a: 1, b: ["x"] })).toBe('{"a":1,"b":["x"]}');
    expect(entityText("user", "42")).toBe("user 42");
    expect(entityText(null, null)).toBe("");
  });
});
