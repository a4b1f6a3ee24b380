import { z } from "zod";

/*
 * What the care registries' API shares (bone, depression): the query's site and order, and the
 * patient and contact fields of every item.
 */

/**
 * A registry's query: its own `filters`, then the site, the sort (one of `sorts`, `defaultSort`
 * unless asked) and the direction. Unknown parameters are refused.
 */
export function registryQuerySchema<
  F extends z.ZodRawShape,
  const S extends readonly [string, ...string[]],
>(filters: F, sorts: S, defaultSort: S[number]) {
  return z.strictObject({
    ...filters,
    site: z.uuid("site must be a site id").optional(),
    sort: z.enum(sorts, `sort must be one of: ${sorts.join(", ")}`).default(defaultSort as never),
    dir: z.enum(["asc", "desc"], "dir must be asc or desc").optional(),
  });
}

/** The patient and the contacts, as every registry item has them. */
export interface RegistryPatientItem {
  patientId: string;
  givenName: string;
  familyName: string;
  mrn: string;
  siteCode: string;
  /** The site's IANA time zone: times about this patient are shown in it. */
  timeZone: string;
  lastContactAt: string | null;
  nextContactDue: string | null;
}
