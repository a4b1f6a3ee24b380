import { z } from "zod";

/** Request and response bodies of the CDS Hooks 2.0 endpoints (https://cds-hooks.hl7.org/2.0/). */

/** POST /cds-services/{id}: extension members are allowed (the spec's `extension`), so not strict. */
export const cdsHookRequestSchema = z.object({
  hook: z.string("hook is required").min(1).max(100),
  hookInstance: z.string("hookInstance is required").min(1).max(200),
  fhirServer: z
    .url({ protocol: /^https?$/, error: "fhirServer must be an http(s) URL" })
    .optional(),
  fhirAuthorization: z
    .object({
      access_token: z.string().min(1).max(10_000),
      token_type: z.string().max(50),
      expires_in: z.number().optional(),
      scope: z.string().max(4000).optional(),
      subject: z.string().max(500).optional(),
      patient: z.string().max(500).optional(),
    })
    .nullable()
    .optional(),
  context: z.object({
    userId: z.string().max(500).optional(),
    patientId: z.string("context.patientId is required").min(1).max(200),
    encounterId: z.string().max(200).optional(),
  }),
  prefetch: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type CdsHookRequest = z.infer<typeof cdsHookRequestSchema>;

const codingSchema = z.object({
  code: z.string().max(200),
  system: z.string().max(500).optional(),
  display: z.string().max(500).optional(),
});

/** POST /cds-services/{id}/feedback. */
export const cdsFeedbackSchema = z.object({
  feedback: z
    .array(
      z.object({
        card: z.string("card (the card's uuid) is required").min(1).max(200),
        outcome: z.enum(["accepted", "overridden"], "outcome must be accepted or overridden"),
        overrideReason: z
          .object({
            reason: codingSchema.optional(),
            userComment: z.string().max(2000).optional(),
          })
          .optional(),
        acceptedSuggestions: z
          .array(z.object({ id: z.string().max(200) }))
          .max(50)
          .optional(),
        outcomeTimestamp: z.iso.datetime({
          offset: true,
          error: "outcomeTimestamp must be an ISO date-time",
        }),
      }),
      "feedback must be a list",
    )
    .min(1, "feedback needs at least one entry")
    .max(100, "at most 100 feedback entries per request"),
});

export type CdsFeedbackRequest = z.infer<typeof cdsFeedbackSchema>;

/** Headers for browser-based CDS clients (the public sandbox calls services from the browser). */
export const CDS_CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
  "access-control-max-age": "600",
};
