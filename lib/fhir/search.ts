import type { CodeableConcept, Resource } from "./types";
import { codings, dateOf, isRecord } from "./values";

/** One token of a FHIR token search: `system|code`, `|code` (no system) or `code` (any system). */
export interface Token {
  /** undefined: any system; "": no system. */
  readonly system?: string;
  readonly code: string;
}

/** Parses `code=a|b,c` (comma = OR). Empty parts are dropped. */
export function parseTokens(param: string): Token[] {
  return param
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const bar = part.indexOf("|");
      if (bar < 0) return { code: part };
      return { system: part.slice(0, bar), code: part.slice(bar + 1) };
    })
    .filter((t) => t.code !== "");
}

export function conceptOf(resource: Resource): CodeableConcept | undefined {
  const concept = resource.code ?? resource.medicationCodeableConcept;
  return isRecord(concept) ? concept : undefined;
}

/** True when any coding of the resource's code matches any token (or there are no tokens). */
export function matchesTokens(resource: Resource, tokens: readonly Token[]): boolean {
  return matchesConcepts([conceptOf(resource)], tokens);
}

/** True when any coding of the concepts matches any token (or there are no tokens). */
export function matchesConcepts(
  concepts: readonly (CodeableConcept | undefined)[],
  tokens: readonly Token[],
): boolean {
  if (tokens.length === 0) return true;
  const all = concepts.flatMap((c) => codings(c));
  return tokens.some((t) =>
    all.some(
      (c) =>
        c.code === t.code &&
        (t.system === undefined || (t.system === "" ? !c.system : c.system === t.system)),
    ),
  );
}

/** The clinically relevant date of a resource, for `_sort=date`. */
export function resourceDate(resource: Resource): string {
  for (const field of ["effectiveDateTime", "onsetDateTime", "authoredOn", "birthDate"]) {
    const d = dateOf(resource[field]);
    if (d) return d;
  }
  return "";
}

/** Sorts by date; `-date` newest first. Stable for equal dates. */
export function sortByDate<T extends Resource>(
  resources: readonly T[],
  sort: "date" | "-date",
): T[] {
  const sign = sort === "-date" ? -1 : 1;
  return resources
    .map((r, i) => ({ r, i, d: resourceDate(r) }))
    .sort((a, b) => (a.d === b.d ? a.i - b.i : a.d < b.d ? -sign : sign))
    .map((x) => x.r);
}

/**
 * The patient id of `patient=123`, `patient=Patient/123`, `subject=Patient/123` or an absolute
 * reference on this server (`<base>/Patient/123`); null for anything else.
 */
export function patientIdOf(param: string | null, baseUrl?: string): string | null {
  if (!param) return null;
  let value = param.trim();
  if (baseUrl && value.startsWith(`${baseUrl}/`)) value = value.slice(baseUrl.length + 1);
  const match = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(value);
  return match ? match[1]! : null;
}
