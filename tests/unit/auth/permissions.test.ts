import { describe, expect, it } from "vitest";
import { ROLES } from "@/db/schema";
import {
  can,
  navFor,
  PERMISSIONS,
  ROLE_HOME,
  ROLE_PERMISSIONS,
  type Permission,
} from "@/lib/auth/permissions";

const PATIENT_LEVEL: Permission[] = [
  "patients.read",
  "patients.create",
  "visits.create",
  "observations.retract",
  "flags.read",
  "flags.acknowledge",
  "flags.manage",
  "worklist.read",
  "worklist.export",
];

describe("permission table", () => {
  it.each([
    ["clinician", "patients.read", true],
    ["clinician", "patients.create", true],
    ["clinician", "visits.create", true],
    ["clinician", "assess.run", true],
    ["clinician", "flags.acknowledge", true],
    ["clinician", "flags.manage", false],
    ["clinician", "worklist.export", false],
    ["clinician", "quality.read", false],
    ["clinician", "users.manage", false],
    ["care_team", "patients.read", true],
    ["care_team", "patients.create", false],
    ["care_team", "visits.create", false],
    ["care_team", "worklist.read", true],
    ["care_team", "flags.manage", true],
    ["care_team", "worklist.export", true],
    ["care_team", "assess.run", true],
    ["quality", "quality.read", true],
    ["quality", "quality.export", true],
    ["quality", "assess.run", false],
    ["admin", "users.manage", true],
    ["admin", "audit.read", true],
    ["admin", "assess.run", false],
  ] as const)("%s may %s: %s", (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it("gives quality and admin no patient-level permission", () => {
    for (const role of ["quality", "admin"] as const) {
      for (const p of PATIENT_LEVEL) expect(can(role, p), `${role} ${p}`).toBe(false);
    }
  });

  it("names only known permissions, each used by some role", () => {
    const used = new Set(Object.values(ROLE_PERMISSIONS).flat());
    for (const p of used) expect(PERMISSIONS).toContain(p);
    for (const p of PERMISSIONS) expect(used.has(p), p).toBe(true);
  });

  it("sends every role home to a page its own navigation contains", () => {
    for (const role of ROLES) {
      expect(navFor(role).map((n) => n.href)).toContain(ROLE_HOME[role]);
    }
    expect(ROLE_HOME).toEqual({
      clinician: "/patients",
      care_team: "/worklist",
      quality: "/quality",
      admin: "/users",
    });
  });
});
