import { z } from "zod";
import {
  BMD_SITES,
  FRACTURE_SITES,
  GDS_ANSWERS,
  MAX_MEDICATION_NAME_LENGTH,
  MAX_OBSERVATIONS,
  MEDICATION_CLASSES,
  OBSERVATION_KINDS,
  SEXES,
  VITAMIN_D_UNITS,
} from "./constants";
import type { GdsAnswer } from "./constants";
import { dayNumber, isIsoDate } from "./dates";
import { gds15Total, phq2Total, phq9Total } from "./instruments";
import { THRESHOLDS } from "./policy";
import { text } from "./text";

/*
 * zod schemas of the assess contract (docs/CLINICAL-RULES.md §1). Strict objects: an unknown or
 * misspelt field is an error, so a typo never silently drops a value. Messages are plain language;
 * `validate` turns issues into `{ path: "observations.0.items.3", message }`.
 */

type IssueInput = { readonly input?: unknown };

/** Message for a missing value or a value of the wrong type. */
function expected(what: string): (issue: IssueInput) => string {
  return (issue) => (issue.input === undefined ? "is required" : `must be ${what}`);
}

function oneOf(values: readonly string[]): (issue: IssueInput) => string {
  return expected(`one of: ${values.join(", ")}`);
}

/** An integer in [min, max] with one plain message for every way to miss. */
function intBetween(min: number, max: number): z.ZodNumber {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .number({ error: expected(`a whole number from ${min} to ${max}`) })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

function numberBetween(min: number, max: number): z.ZodNumber {
  const message = `must be a number from ${min} to ${max}`;
  return z
    .number({ error: expected(`a number from ${min} to ${max}`) })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** An ISO calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const isoDateSchema = z
  .string({ error: expected("a date written YYYY-MM-DD") })
  .refine(isIsoDate, { error: "must be a real calendar date written YYYY-MM-DD" });

const booleanField = z.boolean({ error: expected("true or false") });

const phq9ItemSchema = intBetween(0, 3).nullable();

/**
 * Shared items/total rule of the questionnaires: one of them is required; both are allowed only when
 * every item is answered and the total equals their sum. A total next to unanswered items is
 * rejected: with no prorating (policy) such a total cannot be checked, and accepting it would let an
 * unverifiable number decide a screen.
 */
function checkItemsAndTotal(
  value: { items?: readonly unknown[] | undefined; total?: unknown },
  ctx: z.RefinementCtx,
  itemsField: string,
  score: (items: readonly unknown[]) => number | null,
): void {
  const hasItems = value.items !== undefined;
  const hasTotal = value.total !== undefined;
  if (!hasItems && !hasTotal) {
    ctx.addIssue({
      code: "custom",
      path: [itemsField],
      message: `needs either ${itemsField} or a total`,
    });
    return;
  }
  if (!hasItems || !hasTotal || !Array.isArray(value.items) || typeof value.total !== "number") {
    return;
  }
  const items = value.items;
  if (items.some((item) => item === null)) {
    ctx.addIssue({
      code: "custom",
      path: ["total"],
      message: `a total cannot be given with unanswered ${itemsField} (no prorating): answer every item or give the total alone`,
    });
    return;
  }
  const sum = score(items);
  if (sum !== null && sum !== value.total) {
    ctx.addIssue({
      code: "custom",
      path: ["total"],
      message: `total ${value.total} does not match the ${itemsField} (which score ${sum})`,
    });
  }
}

/** The instrument's own score, of well-typed answers only (the check may see malformed input). */
function scoreOfNumbers(
  score: (items: readonly number[]) => number | null,
): (items: readonly unknown[]) => number | null {
  return (items) => (items.every((item) => typeof item === "number") ? score(items) : null);
}

function scoreOfGdsAnswers(answers: readonly unknown[]): number | null {
  return answers.every((answer): answer is GdsAnswer => answer === "yes" || answer === "no")
    ? gds15Total(answers)
    : null;
}

/** PHQ-9 and PHQ-2: `count` items of 0–3 (null for an unanswered one), or their total alone. */
function phqShape<Kind extends "phq9" | "phq2">(
  kind: Kind,
  name: string,
  count: number,
  max: number,
) {
  return {
    kind: z.literal(kind),
    effective: isoDateSchema,
    items: z
      .array(phq9ItemSchema, { error: expected(`a list of ${count} answers (0–3 or null)`) })
      .length(count, {
        error: `${name} needs exactly ${count} items (null for an unanswered item)`,
      })
      .optional(),
    total: intBetween(0, max).optional(),
  };
}

export const phq9ObservationSchema = z
  .strictObject({
    ...phqShape("phq9", "PHQ-9", 9, THRESHOLDS.phq9.max),
    difficulty: intBetween(0, 3).nullable().optional(),
  })
  .superRefine((value, ctx) => {
    checkItemsAndTotal(value, ctx, "items", scoreOfNumbers(phq9Total));
  });

export const phq2ObservationSchema = z
  .strictObject(phqShape("phq2", "PHQ-2", 2, THRESHOLDS.phq2.max))
  .superRefine((value, ctx) => {
    checkItemsAndTotal(value, ctx, "items", scoreOfNumbers(phq2Total));
  });

export const gds15ObservationSchema = z
  .strictObject({
    kind: z.literal("gds15"),
    effective: isoDateSchema,
    answers: z
      .array(z.enum(GDS_ANSWERS, { error: oneOf(["yes", "no", "null"]) }).nullable(), {
        error: expected('a list of 15 answers ("yes", "no" or null)'),
      })
      .length(15, { error: "GDS-15 needs exactly 15 answers (null for an unanswered item)" })
      .optional(),
    total: intBetween(0, THRESHOLDS.gds15.max).optional(),
  })
  .superRefine((value, ctx) => {
    checkItemsAndTotal(
      { items: value.answers, total: value.total },
      ctx,
      "answers",
      scoreOfGdsAnswers,
    );
  });

const scoreSchema = numberBetween(-7, 7);

export const bmdObservationSchema = z
  .strictObject({
    kind: z.literal("bmd"),
    effective: isoDateSchema,
    site: z.enum(BMD_SITES, { error: oneOf(BMD_SITES) }),
    tScore: scoreSchema.optional(),
    zScore: scoreSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.tScore === undefined && value.zScore === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["tScore"],
        message: "a bone density result needs a tScore or a zScore",
      });
    }
  });

export const fraxObservationSchema = z.strictObject({
  kind: z.literal("frax"),
  effective: isoDateSchema,
  majorOsteoporoticPct: numberBetween(0, 100),
  hipPct: numberBetween(0, 100),
  withBmd: booleanField,
});

export const vitaminDObservationSchema = z.strictObject({
  kind: z.literal("vitaminD"),
  effective: isoDateSchema,
  value: z
    .number({ error: expected("a positive number") })
    .positive({ error: "must be greater than 0" }),
  unit: z.enum(VITAMIN_D_UNITS, { error: oneOf(VITAMIN_D_UNITS) }),
});

export const fractureObservationSchema = z.strictObject({
  kind: z.literal("fracture"),
  effective: isoDateSchema,
  site: z.enum(FRACTURE_SITES, { error: oneOf(FRACTURE_SITES) }),
  fragility: booleanField,
});

export const fallsObservationSchema = z
  .strictObject({
    kind: z.literal("falls"),
    effective: isoDateSchema,
    countPast12Months: z
      .number({ error: expected("a whole number of 0 or more") })
      .int({ error: "must be a whole number of 0 or more" })
      .min(0, { error: "must be a whole number of 0 or more" }),
    injurious: booleanField.optional(),
    unsteady: booleanField.optional(),
    worriedAboutFalling: booleanField.optional(),
  })
  .superRefine((value, ctx) => {
    // An injurious fall is a fall: with a count of 0 one of the two answers is wrong.
    if (value.injurious === true && value.countPast12Months === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["injurious"],
        message: "an injurious fall needs countPast12Months of at least 1",
      });
    }
  });

export const medicationObservationSchema = z
  .strictObject({
    kind: z.literal("medication"),
    effective: isoDateSchema,
    class: z.enum(MEDICATION_CLASSES, { error: oneOf(MEDICATION_CLASSES) }),
    name: text({ error: expected("text") })
      .trim()
      .min(1, { error: "must not be empty" })
      .max(MAX_MEDICATION_NAME_LENGTH, {
        error: `must be at most ${MAX_MEDICATION_NAME_LENGTH} characters`,
      })
      .optional(),
    prednisoloneMgPerDay: z
      .number({ error: expected("a positive number of mg per day") })
      .positive({ error: "must be greater than 0" })
      .optional(),
    startedOn: isoDateSchema.optional(),
    /** A glucocorticoid course planned for 3 months or more (counts from its start). */
    plannedLongTerm: z.boolean({ error: expected("true or false") }).optional(),
    stoppedOn: isoDateSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (
      value.startedOn !== undefined &&
      value.stoppedOn !== undefined &&
      isIsoDate(value.startedOn) &&
      isIsoDate(value.stoppedOn) &&
      dayNumber(value.stoppedOn) < dayNumber(value.startedOn)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["stoppedOn"],
        message: "must not be before startedOn",
      });
    }
    if (value.plannedLongTerm !== undefined && value.class !== "glucocorticoid") {
      ctx.addIssue({
        code: "custom",
        path: ["plannedLongTerm"],
        message: "applies only to class glucocorticoid",
      });
    }
    // A dose on another class is almost certainly a data-entry error (wrong row or wrong class).
    if (value.prednisoloneMgPerDay !== undefined && value.class !== "glucocorticoid") {
      ctx.addIssue({
        code: "custom",
        path: ["prednisoloneMgPerDay"],
        message: "applies only to class glucocorticoid",
      });
    }
  });

/** One observation of any kind, discriminated on `kind`. */
export const observationSchema = z.discriminatedUnion(
  "kind",
  [
    phq9ObservationSchema,
    phq2ObservationSchema,
    gds15ObservationSchema,
    bmdObservationSchema,
    fraxObservationSchema,
    vitaminDObservationSchema,
    fractureObservationSchema,
    fallsObservationSchema,
    medicationObservationSchema,
  ],
  {
    error: (issue) => {
      const input: unknown = issue.input;
      const kind =
        typeof input === "object" && input !== null && "kind" in input ? input.kind : undefined;
      if (typeof input !== "object" || input === null) return "must be an observation object";
      if (kind === undefined) return `is required (one of: ${OBSERVATION_KINDS.join(", ")})`;
      return `unknown kind ${JSON.stringify(kind)}: must be one of ${OBSERVATION_KINDS.join(", ")}`;
    },
  },
);

export const observationListSchema = z
  .array(observationSchema, { error: expected("a list of observations") })
  .max(MAX_OBSERVATIONS, { error: `must hold at most ${MAX_OBSERVATIONS} observations` });

export const patientSchema = z.strictObject(
  {
    birthDate: isoDateSchema,
    sex: z.enum(SEXES, { error: oneOf(SEXES) }),
    postmenopausal: booleanField.nullable().optional(),
    weightKg: z
      .number({ error: expected("a positive number (kg)") })
      .positive({ error: "must be greater than 0" })
      .optional(),
    heightCm: z
      .number({ error: expected("a positive number (cm)") })
      .positive({ error: "must be greater than 0" })
      .optional(),
  },
  { error: expected("an object with birthDate and sex") },
);

type DatedFields = {
  effective?: unknown;
  startedOn?: unknown;
  stoppedOn?: unknown;
};

/**
 * Adds an issue for every date of `observations` after `asOf` (effective, startedOn, stoppedOn).
 * Exported so that an API layer validating `{ occurredOn, observations }` applies the same rule.
 */
export function checkObservationDatesNotAfter(
  observations: readonly unknown[],
  asOf: string,
  ctx: z.RefinementCtx,
  pathPrefix: readonly (string | number)[],
  asOfLabel: string,
): void {
  if (!isIsoDate(asOf)) return;
  const limit = dayNumber(asOf);
  observations.forEach((observation, index) => {
    if (typeof observation !== "object" || observation === null) return;
    const dated = observation as DatedFields;
    for (const field of ["effective", "startedOn", "stoppedOn"] as const) {
      const value = dated[field];
      if (typeof value === "string" && isIsoDate(value) && dayNumber(value) > limit) {
        ctx.addIssue({
          code: "custom",
          path: [...pathPrefix, index, field],
          message: `must not be after ${asOfLabel} (${asOf})`,
        });
      }
    }
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const assessInputSchema = z
  .strictObject(
    {
      asOf: isoDateSchema,
      patient: patientSchema,
      observations: observationListSchema,
    },
    { error: expected("an object with asOf, patient and observations") },
  )
  .superRefine(
    (value, ctx) => {
      // Runs even when other fields failed (see `when`), so every date error is reported at once;
      // the value may therefore be partly malformed and is read defensively.
      const raw: unknown = value;
      if (!isRecord(raw) || typeof raw.asOf !== "string" || !isIsoDate(raw.asOf)) return;
      const asOf = raw.asOf;
      const patient = raw.patient;
      if (
        isRecord(patient) &&
        typeof patient.birthDate === "string" &&
        isIsoDate(patient.birthDate) &&
        patient.birthDate > asOf
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["patient", "birthDate"],
          message: `must not be after asOf (${asOf})`,
        });
      }
      if (Array.isArray(raw.observations)) {
        checkObservationDatesNotAfter(raw.observations, asOf, ctx, ["observations"], "asOf");
      }
    },
    { when: (payload) => isRecord(payload.value) },
  );

export type AssessInput = z.infer<typeof assessInputSchema>;
export type Patient = z.infer<typeof patientSchema>;
export type Observation = z.infer<typeof observationSchema>;
export type Phq9Observation = z.infer<typeof phq9ObservationSchema>;
export type Phq2Observation = z.infer<typeof phq2ObservationSchema>;
export type Gds15Observation = z.infer<typeof gds15ObservationSchema>;
export type BmdObservation = z.infer<typeof bmdObservationSchema>;
export type FraxObservation = z.infer<typeof fraxObservationSchema>;
export type VitaminDObservation = z.infer<typeof vitaminDObservationSchema>;
export type FractureObservation = z.infer<typeof fractureObservationSchema>;
export type FallsObservation = z.infer<typeof fallsObservationSchema>;
export type MedicationObservation = z.infer<typeof medicationObservationSchema>;

export interface ValidationError {
  /** Dotted path into the input, e.g. `observations.0.items.3`; empty for the whole input. */
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly status: "valid"; readonly input: T }
  | { readonly status: "invalid"; readonly errors: ValidationError[] };

/** Plain-language, path-addressed errors from zod issues (one per unknown field). */
export function toValidationErrors(issues: readonly z.core.$ZodIssue[]): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push({
          path: [...path, key].join("."),
          message: "unknown field (check the spelling)",
        });
      }
      continue;
    }
    errors.push({ path: path.join("."), message: issue.message });
  }
  return errors;
}

/** Validates an AssessInput (docs/CLINICAL-RULES.md §1): field paths and plain messages, never throws. */
export function validate(input: unknown): ValidationResult<AssessInput> {
  const result = assessInputSchema.safeParse(input);
  if (result.success) return { status: "valid", input: result.data };
  return { status: "invalid", errors: toValidationErrors(result.error.issues) };
}

/**
 * Validates a list of observations recorded on `asOf` (for example a visit's `occurredOn`): the same
 * rules as inside an AssessInput, with paths relative to the list ("0.items.3").
 */
export function validateObservations(
  observations: unknown,
  asOf: string,
): ValidationResult<Observation[]> {
  const schema = observationListSchema.superRefine((value, ctx) => {
    checkObservationDatesNotAfter(value, asOf, ctx, [], "the visit date");
  });
  const result = schema.safeParse(observations);
  if (result.success) return { status: "valid", input: result.data };
  return { status: "invalid", errors: toValidationErrors(result.error.issues) };
}
