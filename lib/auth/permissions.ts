import type { Role } from "@/db/schema";

/** Every permission a route or action can require. */
export const PERMISSIONS = [
  "patients.read",
  "patients.create",
  "visits.create",
  "observations.retract",
  "assess.run",
  "flags.read",
  "flags.acknowledge",
  "flags.manage",
  "worklist.read",
  "worklist.export",
  "quality.read",
  "quality.export",
  "users.manage",
  "audit.read",
  "tokens.manage",
  "evidence.read",
  "selfreports.create",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** The one permission table (docs/ARCHITECTURE.md "Roles and permissions"). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  clinician: [
    "patients.read",
    "patients.create",
    "visits.create",
    "observations.retract",
    "assess.run",
    "flags.read",
    "flags.acknowledge",
    "evidence.read",
    "selfreports.create",
  ],
  care_team: [
    "patients.read",
    "assess.run",
    "flags.read",
    "flags.acknowledge",
    "flags.manage",
    "worklist.read",
    "worklist.export",
    "evidence.read",
    "selfreports.create",
  ],
  quality: ["quality.read", "quality.export", "evidence.read"],
  admin: ["users.manage", "audit.read", "tokens.manage", "evidence.read"],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Where `/` sends each role. */
export const ROLE_HOME: Readonly<Record<Role, string>> = {
  clinician: "/patients",
  care_team: "/worklist",
  quality: "/quality",
  admin: "/users",
};

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  clinician: "Clinician",
  care_team: "Care team",
  quality: "Quality",
  admin: "Administrator",
};

/** Navigation entries per role, each gated by the permission of its page. */
export const NAV_ITEMS: readonly { href: string; label: string; permission: Permission }[] = [
  { href: "/patients", label: "Patients", permission: "patients.read" },
  { href: "/worklist", label: "Worklist", permission: "worklist.read" },
  { href: "/quality", label: "Quality", permission: "quality.read" },
  { href: "/users", label: "Users", permission: "users.manage" },
  { href: "/users/tokens", label: "API tokens", permission: "tokens.manage" },
  { href: "/audit", label: "Audit log", permission: "audit.read" },
  { href: "/evidence", label: "Evidence", permission: "evidence.read" },
];

export function navFor(role: Role): { href: string; label: string }[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission)).map(({ href, label }) => ({
    href,
    label,
  }));
}

/** The permission each flag action needs (PATCH /api/v1/flags/:id). */
export const FLAG_ACTION_PERMISSION: Readonly<
  Record<"acknowledge" | "assign" | "note" | "snooze" | "resolve" | "reopen", Permission>
> = {
  acknowledge: "flags.acknowledge",
  assign: "flags.manage",
  note: "flags.manage",
  snooze: "flags.manage",
  resolve: "flags.manage",
  reopen: "flags.manage",
};
