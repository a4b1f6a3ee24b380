import { isIsoDate } from "@/lib/clinical";
import type { CodeableConcept, Coding, Extension, Quantity } from "./types";

/** Small readers for FHIR JSON that may be malformed: they never throw. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function codings(concept: CodeableConcept | undefined): Coding[] {
  if (!isRecord(concept) || !Array.isArray(concept.coding)) return [];
  return concept.coding.filter((c): c is Coding => isRecord(c) && typeof c.code === "string");
}

/** The code of the first coding of `system`, else undefined. */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | undefined {
  return codings(concept).find((c) => c.system === system)?.code;
}

export function codesIn(concept: CodeableConcept | undefined, system: string): string[] {
  return codings(concept)
    .filter((c) => c.system === system)
    .map((c) => c.code!)
    .filter(Boolean);
}

/** "system|code" of every coding, for messages. */
export function describeCodes(concept: CodeableConcept | undefined): string {
  const list = codings(concept).map((c) => `${c.system ?? "(no system)"}|${c.code}`);
  if (list.length) return list.join(", ");
  return isRecord(concept) && typeof concept.text === "string" ? `"${concept.text}"` : "(no code)";
}

/**
 * The calendar date of a FHIR date or dateTime as written (the sender's local date: no time-zone
 * shift), or null when it is not a full date.
 */
export function dateOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const date = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && isIsoDate(date) ? date : null;
}

export function extensionsOf(value: unknown): Extension[] {
  if (!isRecord(value) || !Array.isArray(value.extension)) return [];
  return value.extension.filter((e): e is Extension => isRecord(e) && typeof e.url === "string");
}

export function extension(value: unknown, url: string): Extension | undefined {
  return extensionsOf(value).find((e) => e.url === url);
}

export function quantityOf(value: unknown): Quantity | undefined {
  return isRecord(value) ? value : undefined;
}

/** A whole number from valueInteger, valueQuantity.value or a numeric valueString ("12"). */
export function integerValue(source: {
  valueInteger?: unknown;
  valueQuantity?: unknown;
  valueString?: unknown;
  valueDecimal?: unknown;
}): { value: number; field: string } | { error: string; field: string } | null {
  if (source.valueInteger !== undefined) {
    return Number.isInteger(source.valueInteger)
      ? { value: source.valueInteger as number, field: "valueInteger" }
      : { error: "must be a whole number", field: "valueInteger" };
  }
  if (source.valueQuantity !== undefined) {
    const q = quantityOf(source.valueQuantity);
    return typeof q?.value === "number" && Number.isInteger(q.value)
      ? { value: q.value, field: "valueQuantity.value" }
      : { error: "must be a whole number", field: "valueQuantity.value" };
  }
  if (source.valueString !== undefined) {
    const text = typeof source.valueString === "string" ? source.valueString.trim() : "";
    return /^\d+$/.test(text)
      ? { value: Number(text), field: "valueString" }
      : {
          error: `${JSON.stringify(source.valueString)} is not a whole number`,
          field: "valueString",
        };
  }
  if (source.valueDecimal !== undefined) {
    return Number.isInteger(source.valueDecimal)
      ? { value: source.valueDecimal as number, field: "valueDecimal" }
      : { error: "must be a whole number", field: "valueDecimal" };
  }
  return null;
}

/** The UCUM code of a quantity, else its unit text. */
export function unitOf(q: Quantity | undefined): string | undefined {
  if (!q) return undefined;
  if (typeof q.code === "string" && q.code) return q.code;
  return typeof q.unit === "string" && q.unit ? q.unit : undefined;
}

/** A yes/no from valueBoolean, or valueString "yes"/"no", or valueCodeableConcept Y/N. */
export function booleanValue(source: {
  valueBoolean?: unknown;
  valueString?: unknown;
  valueCodeableConcept?: unknown;
}): boolean | null {
  if (typeof source.valueBoolean === "boolean") return source.valueBoolean;
  if (typeof source.valueString === "string") {
    const v = source.valueString.trim().toLowerCase();
    if (v === "yes" || v === "true") return true;
    if (v === "no" || v === "false") return false;
  }
  const code = codings(source.valueCodeableConcept as CodeableConcept | undefined)[0]?.code;
  if (code === "Y" || code === "LA33-6") return true;
  if (code === "N" || code === "LA32-8") return false;
  return null;
}
