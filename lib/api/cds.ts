import { z } from "zod";
import { text } from "@/lib/clinical/text";

/** Request and response bodies of the CDS Hooks 2.0 endpoints (https://cds-hooks.hl7.org/2.0/). */

/** POST /cds-services/{id}: extension members are allowed (the spec's `extension`), so not strict. */
export const cdsHookRequestSchema = z.object({
  hook: text("hook is required").min(1).max(100),
  hookInstance: text("hookInstance is required").min(1).max(200),
  fhirServer: z
    .url({ protocol: /^https?$/, error: "fhirServer must be an http(s) URL" })
    .optional(),
  fhirAuthorization: z
    .object({
      access_token: text().min(1).max(10_000),
      token_type: text().max(50),
      expires_in: z.number().optional(),
      scope: text().max(4000).optional(),
      subject: text().max(500).optional(),
      patient: text().max(500).optional(),
    })
    .nullable()
    .optional(),
  context: z.object({
    userId: text().max(500).optional(),
    patientId: text("context.patientId is required").min(1).max(200),
    encounterId: text().max(200).optional(),
  }),
  prefetch: z.record(text(), z.unknown()).nullable().optional(),
});

export type CdsHookRequest = z.infer<typeof cdsHookRequestSchema>;

const codingSchema = z.object({
  code: text().max(200),
  system: text().max(500).optional(),
  display: text().max(500).optional(),
});

/** POST /cds-services/{id}/feedback. */
export const cdsFeedbackSchema = z.object({
  feedback: z
    .array(
      z.object({
        card: text("card (the card's uuid) is required").min(1).max(200),
        outcome: z.enum(["accepted", "overridden"], "outcome must be accepted or overridden"),
        overrideReason: z
          .object({
            reason: codingSchema.optional(),
            userComment: text().max(2000).optional(),
          })
          .optional(),
        acceptedSuggestions: z
          .array(z.object({ id: text().max(200) }))
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
