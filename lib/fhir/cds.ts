import {
  getEvidence,
  getRule,
  validate,
  validateObservations,
  type AssessInput,
  type Assessment,
  type Flag,
  type Observation,
  type Severity,
} from "@/lib/clinical";
import { cdsSuggestions, type CdsSuggestion } from "./cds-suggestions";
import { LOCAL, OBSERVATION_CODE_TOKENS, OVERRIDE_REASONS } from "./codes";
import { patientFromFhir } from "./patient";
import { readClinicalResources, type LocatedResource } from "./read";
import type { FhirPatient, Resource } from "./types";
import { dateOf, isRecord } from "./values";

/** CDS Hooks 2.0 service of this product (https://cds-hooks.hl7.org/2.0/). */
export const CDS_SERVICE_ID = "bone-brain-axis";
export const CDS_HOOK = "patient-view";
export const CDS_FLAG_TOPIC_SYSTEM = "urn:bone-brain-care:flag";
/** The spec's "less than 140 characters". */
export const CDS_SUMMARY_MAX = 139;

export const PREFETCH_KEYS = ["patient", "observations", "medications", "conditions"] as const;
export type PrefetchKey = (typeof PREFETCH_KEYS)[number];

/** Every Observation code the service reads (the prefetch query asks for exactly these). */
export const CDS_OBSERVATION_TOKENS: readonly string[] = OBSERVATION_CODE_TOKENS;

/** Prefetch templates: FHIR queries relative to the EHR's FHIR base. */
export const PREFETCH_TEMPLATES: Readonly<Record<PrefetchKey, string>> = {
  patient: "Patient/{{context.patientId}}",
  observations: `Observation?patient={{context.patientId}}&code=${CDS_OBSERVATION_TOKENS.join(",")}`,
  medications: "MedicationRequest?patient={{context.patientId}}&status=active",
  conditions: "Condition?patient={{context.patientId}}",
};

/** GET /cds-services. */
export function cdsDiscovery(): { services: Record<string, unknown>[] } {
  return {
    services: [
      {
        hook: CDS_HOOK,
        id: CDS_SERVICE_ID,
        title: "Bone–brain axis: depression and osteoporosis together",
        description:
          "Reads depression screens (PHQ-9, PHQ-2, GDS-15), DXA T- and Z-scores, FRAX, 25-hydroxyvitamin D, falls, fractures and active medications, and returns the Bone–Brain Care flags as cards with their rationale and evidence.",
        prefetch: { ...PREFETCH_TEMPLATES },
        usageRequirements:
          "Send the prefetch, or fhirServer with fhirAuthorization (read access to the patient's Patient, Observation, MedicationRequest and Condition).",
      },
    ],
  };
}

/** Fills `{{context.patientId}}` in a template. */
export function fillTemplate(template: string, patientId: string): string {
  return template.replace(/\{\{\s*context\.patientId\s*\}\}/g, encodeURIComponent(patientId));
}

/**
 * The prefetch keys the service still has to read. CDS Hooks 2.0: a key set to `null` means the EHR
 * has no data for it (not "could not fetch"), so a null list is an empty list; only the Patient,
 * without which nothing can be assessed, is still needed when null.
 */
export function missingPrefetch(
  prefetch: Record<string, unknown> | null | undefined,
): PrefetchKey[] {
  return PREFETCH_KEYS.filter(
    (key) => prefetch?.[key] === undefined || (key === "patient" && prefetch[key] === null),
  );
}

function resourcesOf(value: unknown, key: string): LocatedResource[] {
  if (!isRecord(value)) return [];
  if (value.resourceType === "Bundle") {
    const entries = Array.isArray(value.entry) ? (value.entry as unknown[]) : [];
    const out: LocatedResource[] = [];
    entries.forEach((entry, index) => {
      if (!isRecord(entry) || !isRecord(entry.resource)) return;
      const resource = entry.resource as Resource;
      if (resource.resourceType === "OperationOutcome") return;
      out.push({
        resource,
        path: `prefetch.${key}.entry[${index}].resource`,
        ...(typeof entry.fullUrl === "string" ? { fullUrl: entry.fullUrl } : {}),
      });
    });
    return out;
  }
  return typeof value.resourceType === "string"
    ? [{ resource: value as Resource, path: `prefetch.${key}` }]
    : [];
}

export type PrefetchReadResult =
  | {
      status: "ok";
      input: AssessInput;
      notUnderstood: string[];
      patient: { siteCode: string | null; mrn: string | null };
    }
  | { status: "unusable"; reason: string; notUnderstood: string[] };

/**
 * Builds the assess input from a complete prefetch (as an EHR sends it). Data that cannot be used
 * is left out and listed, never guessed; an observation dated after `asOf` is left out.
 */
export function assessInputFromPrefetch(
  prefetch: Readonly<Record<PrefetchKey, unknown>>,
  asOf: string,
): PrefetchReadResult {
  const notUnderstood: string[] = [];
  const patientResource = prefetch.patient;
  if (!isRecord(patientResource) || patientResource.resourceType !== "Patient") {
    return { status: "unusable", reason: "The prefetch has no Patient.", notUnderstood };
  }
  const patient = patientFromFhir(patientResource as FhirPatient, "prefetch.patient");
  if (!patient.patient.birthDate) {
    return {
      status: "unusable",
      reason: "The Patient has no birth date, so age-based rules cannot run.",
      notUnderstood,
    };
  }
  const located = [
    ...resourcesOf(prefetch.observations, "observations"),
    ...resourcesOf(prefetch.medications, "medications"),
    ...resourcesOf(prefetch.conditions, "conditions"),
  ];
  const read = readClinicalResources(located, { mode: "cds", defaultMedicationDate: asOf });
  notUnderstood.push(...read.notUnderstood);
  const observations: Observation[] = [];
  for (const mapped of read.observations) {
    const effective = dateOf(mapped.observation.effective);
    if (effective && effective > asOf) {
      notUnderstood.push(
        `A ${String(mapped.observation.kind)} dated ${effective} is in the future and was left out.`,
      );
      continue;
    }
    const one = validateObservations([mapped.observation], asOf);
    if (one.status === "valid") {
      observations.push(one.input[0]!);
    } else {
      notUnderstood.push(
        `A ${String(mapped.observation.kind)} (${mapped.sources[0] ?? "prefetch"}) was left out: ${one.errors.map((e) => `${e.path || "value"} ${e.message}`).join("; ")}.`,
      );
    }
  }
  const input = {
    asOf,
    patient: {
      birthDate: patient.patient.birthDate,
      sex: patient.patient.sex,
      ...(patient.patient.postmenopausal !== null
        ? { postmenopausal: patient.patient.postmenopausal }
        : {}),
    },
    observations,
  };
  const checked = validate(input);
  if (checked.status === "invalid") {
    return {
      status: "unusable",
      reason: `The patient data is not usable: ${checked.errors.map((e) => `${e.path} ${e.message}`).join("; ")}.`,
      notUnderstood,
    };
  }
  return {
    status: "ok",
    input: checked.input,
    notUnderstood,
    patient: { siteCode: patient.patient.siteCode, mrn: patient.patient.mrn },
  };
}

export interface CdsLink {
  label: string;
  url: string;
  type: "absolute" | "smart";
}

export interface CdsCard {
  uuid: string;
  summary: string;
  detail?: string;
  indicator: "info" | "warning" | "critical";
  source: {
    label: string;
    url?: string;
    topic?: { system: string; code: string; display?: string };
  };
  overrideReasons?: { system: string; code: string; display: string }[];
  suggestions?: CdsSuggestion[];
  selectionBehavior?: "any" | "at-most-one";
  links?: CdsLink[];
}

/** critical → critical; high and moderate → warning; low and info → info. */
export function indicatorFor(severity: Severity): CdsCard["indicator"] {
  switch (severity) {
    case "critical":
      return "critical";
    case "high":
    case "moderate":
      return "warning";
    case "low":
    case "info":
      return "info";
  }
}

/** Shortens to the spec's limit on a word boundary, with an ellipsis. */
export function clampSummary(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= CDS_SUMMARY_MAX) return clean;
  const cut = clean.slice(0, CDS_SUMMARY_MAX - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > 80 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, "\\$1");
}

function flagDetail(flag: Flag, assessment: Assessment): string {
  const lines: string[] = [];
  lines.push(escapeMarkdown(flag.rationale), "");
  if (flag.inputs.length) {
    lines.push("**Based on**");
    for (const input of flag.inputs) {
      lines.push(
        `- ${escapeMarkdown(String(input.value))} (${input.effective}${input.stale ? ", not current" : ""})`,
      );
    }
    lines.push("");
  }
  if (flag.thresholds.length) {
    lines.push(`**Thresholds:** ${flag.thresholds.map(escapeMarkdown).join("; ")}`, "");
  }
  const suggestions = assessment.suggestions.filter((s) => s.triggeredBy.includes(flag.code));
  if (suggestions.length) {
    lines.push("**To consider**");
    for (const s of suggestions) {
      const label =
        s.category === "investigational" ? " (investigational, not a recommendation)" : "";
      lines.push(`- **${escapeMarkdown(s.title)}**${label}: ${escapeMarkdown(s.detail)}`);
    }
    lines.push("");
  }
  const sources = flag.sources.map((id) => getEvidence(id)).filter((e) => e !== undefined);
  if (sources.length) {
    lines.push(
      `**Evidence:** ${sources.map((e) => `[${escapeMarkdown(e.label)}](${e.url})`).join(", ")}`,
      "",
    );
  }
  lines.push(
    `_Bone–Brain Care ruleset ${assessment.rulesetVersion}, assessed as of ${assessment.asOf}. Decision support, not a diagnosis._`,
  );
  return lines.join("\n");
}

export interface CardContext {
  /** The app's public base URL (no trailing slash). */
  readonly baseUrl: string;
  readonly patientLink: { label: string; url: string };
  readonly notUnderstood: readonly string[];
  /** Supplies card uuids (crypto.randomUUID on the server; fixed in tests). */
  readonly newUuid: () => string;
  /** The EHR's `Patient/<id>`, the subject of the resources the suggestions propose. */
  readonly ehrPatientReference: string;
  /**
   * `<PUBLIC_URL>/smart/launch` when the calling EHR's FHIR server is a SMART client: each card
   * then also offers a SMART launch of the app on the card's patient.
   */
  readonly smartLaunchUrl?: string | null;
}

/** The card's SMART link (the EHR adds iss and launch when the user follows it). */
export function smartLink(url: string): CdsLink {
  return { label: "Open Bone–Brain Care on this patient", url, type: "smart" };
}

export interface IssuedCard {
  readonly card: CdsCard;
  /** The flag behind the card; null for the "not understood" card. */
  readonly flagCode: string | null;
  /** Suggestion uuid → our suggestion id, for feedback. */
  readonly suggestionIds: Readonly<Record<string, string>>;
}

/** One card per flag, most severe first, and an info card listing data that was not understood. */
export function cardsForAssessment(assessment: Assessment, context: CardContext): IssuedCard[] {
  const link: CdsLink = {
    label: context.patientLink.label,
    url: context.patientLink.url,
    type: "absolute",
  };
  const links: CdsLink[] = context.smartLaunchUrl
    ? [link, smartLink(context.smartLaunchUrl)]
    : [link];
  const overrideReasons = OVERRIDE_REASONS.map((r) => ({
    system: LOCAL.overrideReason,
    code: r.code,
    display: r.display,
  }));
  const issued: IssuedCard[] = assessment.flags.map((flag) => {
    const rule = getRule(flag.code);
    const uuid = context.newUuid();
    const suggestions = cdsSuggestions(
      assessment.suggestions.filter((s) => s.triggeredBy.includes(flag.code)),
      context.ehrPatientReference,
      context.newUuid,
    );
    return {
      flagCode: flag.code,
      suggestionIds: Object.fromEntries(suggestions.map((s) => [s.suggestion.uuid, s.id])),
      card: {
        uuid,
        summary: clampSummary(flag.title),
        detail: flagDetail(flag, assessment),
        indicator: indicatorFor(flag.severity),
        source: {
          label: "Bone–Brain Care",
          url: `${context.baseUrl}/evidence#${rule.anchor}`,
          topic: { system: CDS_FLAG_TOPIC_SYSTEM, code: flag.code, display: rule.title },
        },
        overrideReasons,
        ...(suggestions.length
          ? { suggestions: suggestions.map((s) => s.suggestion), selectionBehavior: "any" as const }
          : {}),
        links,
      },
    };
  });
  if (context.notUnderstood.length) {
    issued.push({
      flagCode: null,
      suggestionIds: {},
      card: {
        uuid: context.newUuid(),
        summary: clampSummary(
          `Bone–Brain Care could not use ${context.notUnderstood.length} item(s) of the record`,
        ),
        detail: [
          "These were left out of the assessment (nothing was guessed):",
          "",
          ...context.notUnderstood.slice(0, 50).map((line) => `- ${escapeMarkdown(line)}`),
        ].join("\n"),
        indicator: "info",
        source: { label: "Bone–Brain Care", url: `${context.baseUrl}/evidence` },
        links,
      },
    });
  }
  return issued;
}

/** The card returned when the patient cannot be assessed at all (e.g. no birth date). */
export function unusableCard(
  reason: string,
  baseUrl: string,
  uuid: string,
  smartLaunchUrl?: string | null,
): CdsCard {
  return {
    ...(smartLaunchUrl ? { links: [smartLink(smartLaunchUrl)] } : {}),
    uuid,
    summary: clampSummary(`Bone–Brain Care could not assess this patient: ${reason}`),
    detail: escapeMarkdown(reason),
    indicator: "info",
    source: { label: "Bone–Brain Care", url: `${baseUrl}/evidence` },
  };
}
