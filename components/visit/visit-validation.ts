import {
  validateObservations,
  type Observation,
  type ValidationError,
} from "@/lib/clinical/schemas";
import {
  shapeVisit,
  type FieldKey,
  type FieldTarget,
  type ShapedVisit,
  type VisitFormState,
} from "./visit-form.utils";
import { fieldName } from "./visit-sections";
import { parseDateText } from "@/lib/client/parse-date";

/*
 * Checks of the visit form with the rules the server applies, and where their messages go: each
 * error path of a shaped observation back to the field it came from.
 */

/** A validation message for display beside its field: "is required" → "Required". */
export function fieldMessage(message: string): string {
  if (message === "is required") return "Required";
  const text = message.replace(/-(\d)/g, "−$1");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Maps error paths to form fields. Paths are relative to the observation list ("0.items.3") or
 * as the API sends them ("observations.0.items.3", "occurredOn"). Errors that belong to no field
 * are collected under "form". The first message per field wins.
 */
export function mapErrorsToFields(
  errors: readonly ValidationError[],
  targets: readonly FieldTarget[],
): Record<FieldKey, string> {
  const fields: Record<FieldKey, string> = {};
  const put = (key: FieldKey, message: string): void => {
    if (!(key in fields)) fields[key] = fieldMessage(message);
  };
  for (const error of errors) {
    const parts = error.path === "" ? [] : error.path.split(".");
    if (parts[0] === "observations") parts.shift();
    if (parts[0] === "occurredOn") {
      put("occurredOn", error.message);
      continue;
    }
    const index = parts.length > 0 ? Number(parts[0]) : Number.NaN;
    const target = Number.isInteger(index) ? targets[index] : undefined;
    if (target === undefined) {
      put("form", error.message);
      continue;
    }
    const rest = parts.slice(1);
    const head = rest[0];
    const alias = head !== undefined ? target.aliases?.[head] : undefined;
    if (alias !== undefined) {
      put(alias, error.message);
    } else if (head === undefined) {
      put(target.prefix, error.message);
    } else {
      put(`${target.prefix}.${rest.join(".")}`, error.message);
    }
  }
  return fields;
}

/** Every date field of the form with what it holds (a date, "", or the text as typed). */
function dateFields(state: VisitFormState): [FieldKey, string][] {
  return [
    ["occurredOn", state.occurredOn],
    ["bmd.effective", state.bmdEffective],
    ["frax.effective", state.fraxEffective],
    ["vitaminD.effective", state.vitaminDEffective],
    ...state.fractures.map((r): [FieldKey, string] => [`fractures.${r.id}.effective`, r.effective]),
    ...state.medications.flatMap((r): [FieldKey, string][] => [
      [`medications.${r.id}.startedOn`, r.startedOn],
      [`medications.${r.id}.stoppedOn`, r.stoppedOn],
    ]),
  ];
}

/**
 * Date fields holding text that is not a date, with the date parser's own words (which say how to
 * type one) rather than the schema's.
 */
function dateErrors(state: VisitFormState, today: string): Record<FieldKey, string> {
  const errors: Record<FieldKey, string> = {};
  for (const [key, value] of dateFields(state)) {
    if (value.trim() === "") continue;
    const parsed = parseDateText(value, today);
    if (parsed?.ok && parsed.iso === value) continue;
    errors[key] = parsed && !parsed.ok ? parsed.message : "Not a date";
  }
  return errors;
}

/** Client-side check of the shaped observations (the same rules the server applies). */
export function validateVisit(
  state: VisitFormState,
  today: string,
): { shaped: ShapedVisit; errors: Record<FieldKey, string> } {
  const shaped = shapeVisit(state);
  const errors: Record<FieldKey, string> = dateErrors(state, today);
  if (state.occurredOn.trim() === "") {
    errors.occurredOn = "Enter the visit date";
  } else if (!errors.occurredOn && state.occurredOn > today) {
    errors.occurredOn = "The visit date cannot be in the future";
  }
  if (shaped.observations.length === 0) {
    errors.form = "Enter at least one result before saving.";
    return { shaped, errors };
  }
  if (errors.occurredOn) return { shaped, errors };
  const result = validateObservations(shaped.observations, state.occurredOn);
  if (result.status === "invalid") {
    // A date field's own message (how to type a date) stays; the schema's fills the rest.
    for (const [key, message] of Object.entries(mapErrorsToFields(result.errors, shaped.targets))) {
      errors[key] ??= message;
    }
  }
  return { shaped, errors };
}

/**
 * The observations that are valid on their own (for the live preview: a half-typed value must not
 * hide everything else), and how many are left out.
 */
export function previewObservations(state: VisitFormState): {
  observations: Observation[];
  notCounted: number;
  /** The entries left out, named, with why ("Vitamin D: value must be at least 0"). */
  skipped: string[];
} {
  const shaped = shapeVisit(state);
  const observations: Observation[] = [];
  const skipped: string[] = [];
  const dated = /^\d{4}-\d{2}-\d{2}$/.test(state.occurredOn);
  shaped.observations.forEach((observation, index) => {
    const prefix = shaped.targets[index]?.prefix ?? "";
    const name = fieldName(prefix, state);
    if (!dated) {
      skipped.push(`${name}: needs a valid visit date`);
      return;
    }
    const result = validateObservations([observation], state.occurredOn);
    if (result.status === "valid") {
      if (result.input[0]) observations.push(result.input[0]);
    } else {
      skipped.push(`${name}: ${fieldMessage(result.errors[0]?.message ?? "not valid yet")}`);
    }
  });
  return { observations, notCounted: skipped.length, skipped };
}
