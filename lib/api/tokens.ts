import { z } from "zod";
import { text } from "@/lib/clinical/text";

/** Scopes an API token can carry (FHIR R4 endpoints). */
export const TOKEN_SCOPES = ["fhir.read", "fhir.write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const TOKEN_SCOPE_LABEL: Readonly<Record<TokenScope, string>> = {
  "fhir.read": "Read (Patient, Observation, $everything)",
  "fhir.write": "Import (transaction Bundles)",
};

/** Longest lifetime an admin can give a token. */
export const MAX_TOKEN_DAYS = 730;
/** The lifetime of a token issued without one: every token ends. */
export const DEFAULT_TOKEN_DAYS = 90;

/** POST /api/v1/admin/tokens body. */
export const issueTokenSchema = z.strictObject({
  name: text("Name is required")
    .trim()
    .min(3, "Name must be at least 3 characters")
    .max(80, "Name must be at most 80 characters")
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "Name cannot contain control characters"),
  scopes: z
    .array(
      z.enum(TOKEN_SCOPES, "Scope must be fhir.read or fhir.write"),
      "Choose at least one scope",
    )
    .min(1, "Choose at least one scope")
    .max(TOKEN_SCOPES.length)
    .transform((s) => [...new Set(s)]),
  siteIds: z
    .array(z.uuid("Choose a site"), "Choose at least one site")
    .min(1, "Choose at least one site")
    .max(50)
    .transform((s) => [...new Set(s)]),
  expiresInDays: z
    .number("Expiry must be a number of days")
    .int("Expiry must be a whole number of days")
    .min(1, "Expiry must be at least 1 day")
    .max(MAX_TOKEN_DAYS, `Expiry must be at most ${MAX_TOKEN_DAYS} days`)
    .nullish()
    .transform((days) => days ?? DEFAULT_TOKEN_DAYS),
});

export type IssueTokenInput = z.infer<typeof issueTokenSchema>;

export interface ApiTokenItem {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  sites: { id: string; code: string; name: string }[];
  serviceUserEmail: string;
  createdAt: string;
  createdByEmail: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to issuing: the token itself, shown once, and the stored item. */
export interface IssuedToken {
  token: string;
  item: ApiTokenItem;
}
