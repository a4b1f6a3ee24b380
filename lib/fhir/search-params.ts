import type { MappingIssue } from "./issues";
import { conceptOf, matchesConcepts, parseTokens, type Token } from "./search";
import type { CodeableConcept, Resource } from "./types";

/**
 * The search parameters each resource type answers (FHIR R4 search, as US Core asks for them),
 * and their parsing. Unknown parameters are listed, not refused: the server ignores them and says
 * so, unless the client asks for `Prefer: handling=strict`.
 */
export type SearchType = "Patient" | "Observation" | "Condition" | "MedicationRequest";
type ParamKind = "reference" | "token" | "date" | "string" | "id";

const COMMON: Record<string, ParamKind> = { _id: "id", _lastUpdated: "date" };
const CLINICAL: Record<string, ParamKind> = { patient: "reference", subject: "reference" };

export const SEARCH_PARAMETERS: Readonly<Record<SearchType, Readonly<Record<string, ParamKind>>>> =
  {
    Patient: {
      ...COMMON,
      identifier: "token",
      name: "string",
      family: "string",
      given: "string",
      birthdate: "date",
      gender: "token",
    },
    Observation: {
      ...COMMON,
      ...CLINICAL,
      category: "token",
      code: "token",
      date: "date",
      status: "token",
    },
    Condition: {
      ...COMMON,
      ...CLINICAL,
      code: "token",
      category: "token",
      "clinical-status": "token",
      // Not an R4 Condition parameter; taken as clinical-status, which is what clients mean.
      status: "token",
      "onset-date": "date",
    },
    MedicationRequest: {
      ...COMMON,
      ...CLINICAL,
      status: "token",
      intent: "token",
      code: "token",
      authoredon: "date",
    },
  };

/** Result parameters every search takes. */
const CONTROL = new Set(["_count", "_offset", "_sort", "_format", "_total"]);

export type DatePrefix = "eq" | "ne" | "gt" | "lt" | "ge" | "le" | "sa" | "eb" | "ap";

export interface DateFilter {
  readonly prefix: DatePrefix;
  /** [start, end) in epoch milliseconds. */
  readonly range: readonly [number, number];
}

export interface ParsedSearch {
  readonly type: SearchType;
  readonly tokens: Readonly<Record<string, Token[]>>;
  readonly dates: Readonly<Record<string, DateFilter[]>>;
  readonly strings: Readonly<Record<string, string[]>>;
  readonly references: readonly string[];
  readonly ids: readonly string[];
  readonly sort: "date" | "-date";
  readonly count: number;
  readonly offset: number;
  /** The parameters given (known ones only), for self and next links. */
  readonly used: readonly [string, string][];
  readonly unknown: readonly string[];
  readonly errors: readonly MappingIssue[];
}

export const MAX_COUNT = 500;
export const DEFAULT_COUNT = 100;

/** [start, end) of a FHIR date, dateTime or instant at its precision; null when not one. */
export function dateRange(value: string): [number, number] | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.*)?)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, time] = m;
  if (time) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return null;
    const precise = /\.\d+/.test(time) ? 1 : /T\d{2}:\d{2}:\d{2}/.test(time) ? 1000 : 60_000;
    return [ms, ms + precise];
  }
  const year = Number(y);
  if (mo === undefined) return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
  const month = Number(mo) - 1;
  if (month < 0 || month > 11) return null;
  if (d === undefined) return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
  const start = Date.UTC(year, month, Number(d));
  if (new Date(start).getUTCDate() !== Number(d)) return null;
  return [start, start + 86_400_000];
}

export function parseDateFilter(raw: string): DateFilter | null {
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.+)$/.exec(raw.trim());
  if (!m) return null;
  const range = dateRange(m[2]!);
  return range ? { prefix: (m[1] ?? "eq") as DatePrefix, range } : null;
}

/** Whether a resource's date (its own range) satisfies the filter, as FHIR defines the prefixes. */
export function matchesDate(value: string | undefined, filter: DateFilter): boolean {
  const r = value ? dateRange(value) : null;
  if (!r) return false;
  const [lo, hi] = filter.range;
  const within = r[0] >= lo && r[1] <= hi;
  switch (filter.prefix) {
    case "eq":
      return within;
    case "ne":
      return !within;
    case "gt":
      return r[1] > hi;
    case "lt":
      return r[0] < lo;
    case "ge":
      return r[1] > hi || within;
    case "le":
      return r[0] < lo || within;
    case "sa":
      return r[0] >= hi;
    case "eb":
      return r[1] <= lo;
    case "ap":
      return r[0] < hi && r[1] > lo;
  }
}

function fail(errors: MappingIssue[], expression: string, message: string): void {
  errors.push({ severity: "error", code: "value", expression, message });
}

/** Parses a query string for `type`; `errors` are a 400, `unknown` are reported or ignored. */
export function parseSearch(type: SearchType, params: URLSearchParams): ParsedSearch {
  const known = SEARCH_PARAMETERS[type];
  const tokens: Record<string, Token[]> = {};
  const dates: Record<string, DateFilter[]> = {};
  const strings: Record<string, string[]> = {};
  const references: string[] = [];
  const ids: string[] = [];
  const used: [string, string][] = [];
  const unknown: string[] = [];
  const errors: MappingIssue[] = [];
  let sort: "date" | "-date" = "-date";
  let count = DEFAULT_COUNT;
  let offset = 0;
  for (const [rawName, value] of params) {
    // Modifiers are not supported: `code:text` is an unknown parameter.
    const name = rawName;
    if (value === "") continue;
    if (CONTROL.has(name)) {
      if (name === "_count") {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT)
          fail(errors, "_count", `_count must be a whole number from 1 to ${MAX_COUNT}.`);
        else count = n;
      } else if (name === "_offset") {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0)
          fail(errors, "_offset", "_offset must be a whole number.");
        else offset = n;
      } else if (name === "_sort") {
        if (value !== "date" && value !== "-date")
          fail(errors, "_sort", "_sort must be date or -date.");
        else sort = value;
      }
      if (name !== "_offset" && name !== "_format") used.push([name, value]);
      continue;
    }
    const kind = known[name];
    if (!kind) {
      unknown.push(name);
      continue;
    }
    used.push([name, value]);
    if (kind === "token") (tokens[name] ??= []).push(...parseTokens(value));
    else if (kind === "string")
      (strings[name] ??= []).push(...value.split(",").map((v) => v.trim().toLowerCase()));
    else if (kind === "id") ids.push(...value.split(",").map((v) => v.trim()));
    else if (kind === "reference") references.push(value.trim());
    else {
      const filter = parseDateFilter(value);
      if (!filter)
        fail(
          errors,
          name,
          `${name} must be a FHIR date with an optional prefix (e.g. ge2022-01-01).`,
        );
      else (dates[name] ??= []).push(filter);
    }
  }
  return {
    type,
    tokens,
    dates,
    strings,
    references,
    ids,
    sort,
    count,
    offset,
    used,
    unknown,
    errors,
  };
}

/** The query string of a page: the parameters used, `_count`, and `_offset` when not the first. */
export function pageQuery(search: ParsedSearch, offset: number): string {
  const q = new URLSearchParams(search.used.filter(([k]) => k !== "_count"));
  q.set("_count", String(search.count));
  if (offset > 0) q.set("_offset", String(offset));
  return q.toString();
}

/** A code-valued element as a token target (`status` is a code, not a CodeableConcept). */
function codeAsConcept(value: unknown): CodeableConcept | undefined {
  return typeof value === "string" ? { coding: [{ code: value }] } : undefined;
}

const DATE_FIELD: Readonly<Record<string, string>> = {
  date: "effectiveDateTime",
  "onset-date": "onsetDateTime",
  authoredon: "authoredOn",
};

/** Whether a clinical resource matches every parameter of a parsed search (AND of ORs). */
export function matchesSearch(resource: Resource, search: ParsedSearch): boolean {
  if (search.ids.length && !search.ids.includes(String(resource.id))) return false;
  for (const [name, tokens] of Object.entries(search.tokens)) {
    const target =
      name === "code"
        ? [conceptOf(resource)]
        : name === "category"
          ? Array.isArray(resource.category)
            ? (resource.category as CodeableConcept[])
            : []
          : name === "clinical-status" ||
              (name === "status" && resource.resourceType === "Condition")
            ? [resource.clinicalStatus as CodeableConcept | undefined]
            : [codeAsConcept(resource[name])];
    if (!matchesConcepts(target, tokens)) return false;
  }
  for (const [name, filters] of Object.entries(search.dates)) {
    const value =
      name === "_lastUpdated"
        ? resource.meta?.lastUpdated
        : (resource[DATE_FIELD[name] ?? ""] as string | undefined);
    if (!filters.every((f) => matchesDate(value, f))) return false;
  }
  return true;
}
