import { z } from "zod";
import { text } from "@/lib/clinical/text";

/**
 * The roles an administrator can give. Mirrors `ROLES` of db/schema.ts (lib/api may not import
 * db/); lib/server/user-admin.ts checks at compile time that the two lists agree.
 */
export const USER_ROLES = ["clinician", "care_team", "quality", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles that work with patient data of their sites: they need at least one site. */
export const SITE_ROLES: readonly UserRole[] = ["clinician", "care_team", "quality"];

/** Password policy for accounts an administrator sets up */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
export const NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 320;
export const MAX_SITES_PER_USER = 100;

const email = text("email is required")
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address.")
  .max(EMAIL_MAX_LENGTH, `An email address is at most ${EMAIL_MAX_LENGTH} characters.`)
  .pipe(z.email("Enter a valid email address."));

const name = text("name is required")
  .trim()
  .min(1, "Enter the person's name.")
  .max(NAME_MAX_LENGTH, `A name is at most ${NAME_MAX_LENGTH} characters.`);

const role = z.enum(USER_ROLES, `role must be one of: ${USER_ROLES.join(", ")}`);

const siteIds = z
  .array(z.uuid("Each site must be a site id."), "siteIds must be a list of site ids")
  .max(MAX_SITES_PER_USER, `At most ${MAX_SITES_PER_USER} sites.`)
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);

/** Not trimmed: spaces are allowed in a passphrase. Length counts characters, not bytes. */
export const passwordSchema = text("password is required")
  .min(PASSWORD_MIN_LENGTH, `A password has at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters.`);

/** POST /api/v1/admin/users body. */
export const createUserSchema = z.strictObject({
  email,
  name,
  role,
  siteIds: siteIds.default([]),
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** PATCH /api/v1/admin/users/:id body: one action. */
export const updateUserSchema = z.discriminatedUnion(
  "action",
  [
    z.strictObject({ action: z.literal("disable") }),
    z.strictObject({ action: z.literal("enable") }),
    z
      .strictObject({
        action: z.literal("update"),
        name: name.optional(),
        role: role.optional(),
        siteIds: siteIds.optional(),
      })
      .refine((v) => v.name !== undefined || v.role !== undefined || v.siteIds !== undefined, {
        message: "Give at least one of name, role or siteIds.",
      }),
    z.strictObject({ action: z.literal("reset-password"), password: passwordSchema }),
    // Clears the account's sign-in throttling (lib/server/sign-in-throttle.ts).
    z.strictObject({ action: z.literal("unlock") }),
  ],
  { error: "action must be one of: disable, enable, update, reset-password, unlock" },
);
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** One account as the administrator sees it (never the password hash). */
export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  /** The account an API token acts through: managed under API tokens, not here. */
  serviceAccount: boolean;
  sites: { id: string; code: string; name: string }[];
}

export interface AdminSite {
  id: string;
  code: string;
  name: string;
}

/** GET /api/v1/admin/users response. */
export interface AdminUserList {
  items: AdminUser[];
  sites: AdminSite[];
}
