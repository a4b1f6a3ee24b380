import { z } from "zod";
import { isoDateSchema } from "@/lib/clinical";
import { CONTACT_KINDS, CONTACT_OUTCOMES, PHONE_USES } from "./contact-values";
import type { ContactKind, ContactOutcome } from "./contact-values";

export * from "./contact-values";

export const MAX_CONTACT_NOTE_LENGTH = 2000;

/** POST /api/v1/patients/:id/contacts body. `nextDueOn` overrides the scheduled day. */
export const createContactSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS, `kind must be one of: ${CONTACT_KINDS.join(", ")}`),
  outcome: z.enum(CONTACT_OUTCOMES, `outcome must be one of: ${CONTACT_OUTCOMES.join(", ")}`),
  note: z
    .string()
    .trim()
    .max(MAX_CONTACT_NOTE_LENGTH, `A note is at most ${MAX_CONTACT_NOTE_LENGTH} characters.`)
    .optional()
    .transform((v) => (v ? v : null)),
  nextDueOn: isoDateSchema.optional(),
});
export type CreateContactInput = z.infer<typeof createContactSchema>;

export interface ContactItem {
  id: string;
  kind: ContactKind;
  outcome: ContactOutcome;
  note: string | null;
  /** When it happened (ISO timestamp). */
  at: string;
  /** The day the next contact is due (ISO date). */
  nextDueOn: string | null;
  /** Who logged it (name). */
  by: string | null;
}

export interface ContactList {
  items: ContactItem[];
}

/** A patient's phone numbers, as registration takes them. */
export const phonesSchema = z
  .array(
    z.strictObject({
      use: z.enum(PHONE_USES, `use must be one of: ${PHONE_USES.join(", ")}`),
      value: z
        .string()
        .trim()
        .min(3, "Enter a phone number")
        .max(40, "A phone number is at most 40 characters")
        .regex(/^[+0-9()\-.\s/]+$/, "A phone number has digits, spaces and + ( ) - . / only"),
    }),
  )
  .max(5, "At most 5 phone numbers");
