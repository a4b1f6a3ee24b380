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

/** Client-side check of the shaped observations (the same rules the server applies). */
export function validateVisit(
  state: VisitFormState,
  today: string,
): { shaped: ShapedVisit; errors: Record<FieldKey, string> } {
  const shaped = shapeVisit(state);
  const errors: Record<FieldKey, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(state.occurredOn)) {
    errors.occurredOn = "Enter the visit date";
  } else if (state.occurredOn > today) {
    errors.occurredOn = "The visit date cannot be in the future";
  }
  if (shaped.observations.length === 0) {
    errors.form = "Enter at least one result before saving.";
    return { shaped, errors };
  }
  if (errors.occurredOn) return { shaped, errors };
  const result = validateObservations(shaped.observations, state.occurredOn);
  if (result.status === "invalid") {
    Object.assign(errors, mapErrorsToFields(result.errors, shaped.targets));
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
