import { z } from "zod";
import { text } from "@/lib/clinical/text";
import { isoDateSchema, type Assessment } from "@/lib/clinical";

/** Most observations one visit may carry. */
export const MAX_OBSERVATIONS_PER_VISIT = 200;

/**
 * POST /api/v1/patients/:id/visits body. Each observation is checked against the assess contract
 * by the use-case (with the visit date as `asOf`); here only the envelope.
 */
export const recordVisitSchema = z.strictObject({
  occurredOn: isoDateSchema,
  observations: z
    .array(z.record(text(), z.unknown()), "observations must be a list")
    .min(1, "Enter at least one observation.")
    .max(
      MAX_OBSERVATIONS_PER_VISIT,
      `A visit holds at most ${MAX_OBSERVATIONS_PER_VISIT} observations.`,
    ),
});

export type RecordVisitInput = z.infer<typeof recordVisitSchema>;

/** POST /api/v1/observations/:id/retract body. */
export const retractObservationSchema = z.strictObject({
  reason: text().trim().min(3, "Say why it was entered in error.").max(500),
});

// Response bodies.

export interface FlagSummary {
  id: string;
  code: string;
  severity: string;
  status: string;
  version: number;
  openedAt: string;
  dueOn: string | null;
  assigneeId: string | null;
  snoozedUntil: string | null;
}

export interface RecordVisitResult {
  visit: { id: string; patientId: string; occurredOn: string; recordedAt: string };
  assessment: Assessment & { id: string };
  flags: FlagSummary[];
}
