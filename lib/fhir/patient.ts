import type { Sex } from "@/lib/clinical";
import {
  LOCAL,
  mrnSystem,
  SNOMED,
  siteCodeOfMrnSystem,
  US_CORE_BIRTH_SEX,
  US_CORE_INDIVIDUAL_SEX,
  V2_IDENTIFIER_TYPE,
} from "./codes";
import type { StoredMeta } from "./fidelity";
import type { MappingIssue } from "./issues";
import type { Extension, FhirPatient, HumanName, Identifier } from "./types";
import { codeIn, codings, dateOf, extension, isRecord } from "./values";

export const US_CORE_PATIENT = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";

/**
 * What a sender said about the patient beyond our columns, kept as sent (cleaned of empty values)
 * and given back on every read: identifiers with their systems, names with their parts, and the US
 * Core Must Support telecom, address, race, ethnicity and birth sex.
 */
export interface PatientExtras {
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: Record<string, unknown>[];
  address?: Record<string, unknown>[];
  extension?: Extension[];
}

/** Our patient as the FHIR layer sees it (a subset of the patients row). */
export interface PatientRecord {
  id: string;
  siteCode: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
  postmenopausal: boolean | null;
  extras?: PatientExtras | null;
  meta?: StoredMeta;
}

/** US Core Patient with our MRN identifier (one system per site) and sex in both places. */
export function patientToFhir(p: PatientRecord): FhirPatient {
  const extensions: Extension[] = [];
  const sexCode = p.sex === "female" ? "248152002" : p.sex === "male" ? "248153007" : null;
  if (sexCode) {
    extensions.push({
      url: US_CORE_INDIVIDUAL_SEX,
      valueCoding: {
        system: SNOMED,
        code: sexCode,
        display: p.sex === "female" ? "Female (finding)" : "Male (finding)",
      },
    });
  }
  if (p.postmenopausal !== null) {
    extensions.push({ url: LOCAL.postmenopausalExtension, valueBoolean: p.postmenopausal });
  }
  const x = p.extras ?? {};
  extensions.push(...(x.extension ?? []));
  const ours: Identifier = {
    use: "usual",
    type: {
      coding: [{ system: V2_IDENTIFIER_TYPE, code: "MR", display: "Medical record number" }],
    },
    system: mrnSystem(p.siteCode),
    value: p.mrn,
  };
  const identifier = [
    ours,
    ...(x.identifier ?? []).filter((i) => !(i.system === ours.system && i.value === ours.value)),
  ];
  const builtName: HumanName = {
    use: "official",
    ...(p.familyName ? { family: p.familyName } : {}),
    ...(p.givenName ? { given: [p.givenName] } : {}),
  };
  return {
    resourceType: "Patient",
    id: p.id,
    meta: {
      ...(p.meta ? { versionId: p.meta.versionId, lastUpdated: p.meta.lastUpdated } : {}),
      profile: [US_CORE_PATIENT],
    },
    ...(extensions.length ? { extension: extensions } : {}),
    identifier,
    name: x.name?.length ? x.name : [builtName],
    ...(x.telecom?.length ? { telecom: x.telecom } : {}),
    gender: p.sex,
    birthDate: p.birthDate,
    ...(x.address?.length ? { address: x.address } : {}),
  };
}

/** A JSON value without empty strings, arrays or objects (FHIR JSON forbids them); null if empty. */
export function pruneEmpty(value: unknown): unknown {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty).filter((v) => v !== null);
    return items.length ? items : null;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, pruneEmpty(v)] as const)
      .filter(([, v]) => v !== null);
    return entries.length ? Object.fromEntries(entries) : null;
  }
  return value === undefined ? null : value;
}

/** The sender's identifiers as `system|value` (conditional update by identifier). */
export function identifierTokensOf(patient: FhirPatient): string[] {
  return (Array.isArray(patient.identifier) ? patient.identifier : [])
    .filter((i): i is Identifier => isRecord(i) && typeof i.value === "string" && i.value !== "")
    .map((i) => `${typeof i.system === "string" ? i.system : ""}|${i.value}`);
}

/** The patient's extras as sent: every element our columns do not hold. */
export function patientExtrasOf(patient: FhirPatient): PatientExtras {
  const keep = (v: unknown) => {
    const pruned = pruneEmpty(v);
    return Array.isArray(pruned) ? pruned.filter(isRecord) : [];
  };
  const extensions = keep(patient.extension).filter(
    (e) =>
      typeof e.url === "string" &&
      e.url.startsWith("http://hl7.org/fhir/us/core/StructureDefinition/") &&
      e.url !== US_CORE_INDIVIDUAL_SEX,
  ) as unknown as Extension[];
  const identifier = keep(patient.identifier).filter(
    (i) => typeof i.value === "string" && siteCodeOfMrnSystem(i.system as string) === null,
  ) as Identifier[];
  const out: PatientExtras = {};
  if (identifier.length) out.identifier = identifier;
  const name = keep(patient.name) as HumanName[];
  if (name.length) out.name = name;
  const telecom = keep(patient.telecom);
  if (telecom.length) out.telecom = telecom;
  const address = keep(patient.address);
  if (address.length) out.address = address;
  if (extensions.length) out.extension = extensions;
  return out;
}

/** What an imported Patient says, before it is matched to our patients. */
export interface PatientFromFhir {
  /** Site code from one of our MRN systems, when the sender used it. */
  siteCode: string | null;
  mrn: string | null;
  givenName: string | null;
  familyName: string | null;
  birthDate: string | null;
  sex: Sex;
  postmenopausal: boolean | null;
}

function pickName(names: HumanName[]): HumanName | undefined {
  const current = names.filter((n) => !(isRecord(n.period) && typeof n.period.end === "string"));
  return (
    current.find((n) => n.use === "official") ??
    current.find((n) => n.use === "usual") ??
    current.find((n) => n.use !== "old") ??
    names[0]
  );
}

function isMrn(identifier: Identifier): boolean {
  return codings(identifier.type).some((c) => c.system === V2_IDENTIFIER_TYPE && c.code === "MR");
}

/** Sex from gender, else the us-core-individual-sex extension, else us-core-birthsex. */
function sexOf(patient: FhirPatient): Sex {
  if (patient.gender === "female" || patient.gender === "male" || patient.gender === "other") {
    return patient.gender;
  }
  const individual = extension(patient, US_CORE_INDIVIDUAL_SEX);
  const code =
    individual?.valueCoding?.code ??
    codeIn(individual?.valueCodeableConcept, SNOMED) ??
    individual?.valueCode;
  if (code === "248152002") return "female";
  if (code === "248153007") return "male";
  const birthSex = extension(patient, US_CORE_BIRTH_SEX)?.valueCode;
  if (birthSex === "F") return "female";
  if (birthSex === "M") return "male";
  return "unknown";
}

/** Reads a Patient; issues carry FHIRPaths under `path`. */
export function patientFromFhir(
  patient: FhirPatient,
  path: string,
): { patient: PatientFromFhir; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const identifiers = (Array.isArray(patient.identifier) ? patient.identifier : []).filter(
    (i): i is Identifier => isRecord(i) && typeof i.value === "string",
  );
  const ours = identifiers.find((i) => siteCodeOfMrnSystem(i.system) !== null);
  const mrnIdentifier = ours ?? identifiers.find(isMrn) ?? identifiers[0];
  const names = (Array.isArray(patient.name) ? patient.name : []).filter(isRecord) as HumanName[];
  const name = pickName(names);
  const given = Array.isArray(name?.given)
    ? name.given.filter((g) => typeof g === "string").join(" ")
    : "";
  const birthDate = dateOf(patient.birthDate);
  if (!birthDate) {
    issues.push({
      severity: "error",
      code: "required",
      expression: `${path}.birthDate`,
      message: "The patient's birthDate (YYYY-MM-DD) is required.",
    });
  }
  const postmenopausal = extension(patient, LOCAL.postmenopausalExtension)?.valueBoolean;
  return {
    patient: {
      siteCode: ours ? siteCodeOfMrnSystem(ours.system) : null,
      mrn: mrnIdentifier?.value?.trim() || null,
      givenName: given.trim() || null,
      familyName: typeof name?.family === "string" ? name.family.trim() || null : null,
      birthDate,
      sex: sexOf(patient),
      postmenopausal: typeof postmenopausal === "boolean" ? postmenopausal : null,
    },
    issues,
  };
}
