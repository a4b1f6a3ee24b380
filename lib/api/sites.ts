import { z } from "zod";

/** An IANA time zone name the platform knows ("America/New_York"). */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, "Enter a time zone")
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: (issue) => `Unknown time zone: ${String(issue.input)} (use an IANA name)` },
  );

/** PATCH /api/v1/admin/sites/:id body. */
export const updateSiteSchema = z.strictObject({ timeZone: timeZoneSchema });

export type UpdateSiteInput = z.infer<typeof updateSiteSchema>;

/** A site as the administration lists it; `timeZone` is its own or the deployment's default. */
export interface AdminSite {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}
