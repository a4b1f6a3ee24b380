import { z } from "zod";
import { GDS_ANSWERS } from "@/lib/clinical/constants";
import { isoDateSchema } from "@/lib/clinical";
import {
  DEFAULT_EXPIRES_IN_DAYS,
  MAX_EXPIRES_IN_DAYS,
  SELF_REPORT_INSTRUMENTS,
  SELF_REPORT_MODES,
  type SelfReportAnswers,
  type SelfReportInstrument,
  type SelfReportMode,
  type SelfReportStatus,
} from "./self-report-values";

export * from "./self-report-values";

/** POST /api/v1/patients/:id/self-reports body. */
export const createSelfReportSchema = z.strictObject({
  instruments: z
    .array(
      z.enum(
        SELF_REPORT_INSTRUMENTS,
        `each instrument must be one of: ${SELF_REPORT_INSTRUMENTS.join(", ")}`,
      ),
      "instruments must be a list",
    )
    .min(1, "Choose at least one instrument.")
    .max(SELF_REPORT_INSTRUMENTS.length)
    .refine((list) => new Set(list).size === list.length, "Choose each instrument once."),
  mode: z.enum(SELF_REPORT_MODES, `mode must be one of: ${SELF_REPORT_MODES.join(", ")}`),
  expiresInDays: z
    .number("expiresInDays must be a whole number of days")
    .int("expiresInDays must be a whole number of days")
    .min(1, "A link lasts at least 1 day.")
    .max(MAX_EXPIRES_IN_DAYS, `A link lasts at most ${MAX_EXPIRES_IN_DAYS} days.`)
    .default(DEFAULT_EXPIRES_IN_DAYS),
});
export type CreateSelfReportInput = z.infer<typeof createSelfReportSchema>;

/** POST /api/v1/self-reports/:id/accept body: the visit date (default: today at the site). */
export const acceptSelfReportSchema = z.strictObject({
  occurredOn: isoDateSchema.optional(),
});
export type AcceptSelfReportInput = z.infer<typeof acceptSelfReportSchema>;

/** The patient's birth date, asked before the questions of a link. */
export const verifyBirthDateSchema = z.strictObject({
  birthDate: isoDateSchema,
});

const phqValue = z
  .number("must be a whole number from 0 to 3")
  .int("must be a whole number from 0 to 3")
  .min(0, "must be a whole number from 0 to 3")
  .max(3, "must be a whole number from 0 to 3");

/** One answer, saved as soon as it is given (null takes an answer back). */
export const saveAnswerSchema = z.discriminatedUnion(
  "instrument",
  [
    z.strictObject({
      instrument: z.literal("phq9"),
      item: z.number().int().min(0).max(8),
      value: phqValue.nullable(),
    }),
    z.strictObject({
      instrument: z.literal("gds15"),
      item: z.number().int().min(0).max(14),
      value: z.enum(GDS_ANSWERS, 'must be "yes" or "no"').nullable(),
    }),
    // The falls questions: the count is a number, the others yes or no.
    z.discriminatedUnion("item", [
      z.strictObject({
        instrument: z.literal("steadi"),
        item: z.literal("countPast12Months"),
        value: z
          .number("must be a whole number of 0 or more")
          .int("must be a whole number of 0 or more")
          .min(0, "must be a whole number of 0 or more")
          .max(100, "must be at most 100")
          .nullable(),
      }),
      z.strictObject({
        instrument: z.literal("steadi"),
        item: z.enum(["injurious", "unsteady", "worriedAboutFalling"]),
        value: z.boolean("must be true or false").nullable(),
      }),
    ]),
  ],
  { error: `instrument must be one of: ${SELF_REPORT_INSTRUMENTS.join(", ")}` },
);
export type SaveAnswerInput = z.infer<typeof saveAnswerSchema>;

// Response bodies.

export interface CreatedSelfReport {
  id: string;
  mode: SelfReportMode;
  /** `<PUBLIC_URL>/r/<token>`: the only time the token is shown. */
  url: string;
  expiresAt: string;
}

export interface SelfReportItem {
  id: string;
  mode: SelfReportMode;
  status: SelfReportStatus;
  instruments: SelfReportInstrument[];
  createdAt: string;
  expiresAt: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  visitId: string | null;
  /** Locked after too many wrong birth dates (its status reads expired). */
  locked: boolean;
  /** When an item 9 answer above 0 was assessed, before review. */
  riskRaisedAt: string | null;
  answers: SelfReportAnswers;
}

export interface SelfReportList {
  items: SelfReportItem[];
}

export interface AcceptedSelfReport {
  id: string;
  status: "accepted";
  visitId: string;
  occurredOn: string;
  observations: number;
}
