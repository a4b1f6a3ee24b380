import { z } from "zod";
import { isoDateSchema, OBSERVATION_KINDS, SEXES } from "@/lib/clinical";
import { limitSchema } from "./pagination";

/** GET /api/v1/patients query. */
export const listPatientsQuerySchema = z
  .object({
    q: z.string().max(100, "q must be at most 100 characters").optional(),
    siteId: z.uuid("siteId must be a site id").optional(),
    cursor: z.string().max(500).optional(),
    limit: limitSchema,
  })
  .strict();

const nameSchema = (label: string) =>
  z
    .string(`${label} is required`)
    .trim()
    .min(1, `${label} is required`)
    .max(100, `${label} must be at most 100 characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} cannot contain control characters`);

/** POST /api/v1/patients body. */
export const createPatientSchema = z
  .strictObject({
    siteId: z.uuid("Choose a site"),
    mrn: z
      .string("MRN is required")
      .trim()
      .min(1, "MRN is required")
      .max(40, "MRN must be at most 40 characters")
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "MRN may contain letters, digits and . _ - / only"),
    givenName: nameSchema("Given name"),
    familyName: nameSchema("Family name"),
    birthDate: isoDateSchema,
    sex: z.enum(SEXES, "Sex must be female, male, other or unknown"),
    postmenopausal: z
      .boolean("Postmenopausal must be yes, no or not recorded")
      .nullable()
      .default(null),
  })
  .superRefine((value, ctx) => {
    if (value.birthDate < "1900-01-01") {
      ctx.addIssue({
        code: "custom",
        path: ["birthDate"],
        message: "Birth date must be after 1900",
      });
    }
    if (value.postmenopausal !== null && value.sex === "male") {
      ctx.addIssue({
        code: "custom",
        path: ["postmenopausal"],
        message: "Postmenopausal status applies to women only",
      });
    }
  });

export type CreatePatientInput = z.infer<typeof createPatientSchema>;

/** GET /api/v1/patients/:id/observations query. */
export const listObservationsQuerySchema = z.strictObject({
  kind: z.enum(OBSERVATION_KINDS).optional(),
  includeRetracted: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
