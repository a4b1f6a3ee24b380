import type { Suggestion } from "@/lib/clinical";
import { LOINC, RXNORM, SNOMED } from "./codes";
import type { CodeableConcept, Resource } from "./types";

/**
 * CDS Hooks suggestions: what a clinician can accept from a card with one click. Each suggestion of
 * the assessment becomes a proposal the EHR can create: a ServiceRequest for a test, a
 * MedicationRequest proposal for a supplement, else a Task carrying the suggestion's title.
 */
export interface CdsAction {
  type: "create";
  description: string;
  resource: Resource;
}

export interface CdsSuggestion {
  label: string;
  uuid: string;
  isRecommended?: boolean;
  actions: CdsAction[];
}

const concept = (system: string, code: string, display: string): CodeableConcept => ({
  coding: [{ system, code, display }],
  text: display,
});

/** Suggestions that order something specific; the rest become Tasks. */
const ORDERS: Readonly<
  Record<string, { type: "ServiceRequest" | "MedicationRequest"; code: CodeableConcept }>
> = {
  "dxa-scan-due": {
    type: "ServiceRequest",
    code: concept(SNOMED, "312681000", "Bone densitometry (procedure)"),
  },
  "dxa-frax-depressed-older-adult": {
    type: "ServiceRequest",
    code: concept(SNOMED, "312681000", "Bone densitometry (procedure)"),
  },
  "repeat-dxa-due": {
    type: "ServiceRequest",
    code: concept(SNOMED, "312681000", "Bone densitometry (procedure)"),
  },
  "vitamin-d-recheck": {
    type: "ServiceRequest",
    code: concept(LOINC, "62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma"),
  },
  "vitamin-d-calcium": {
    type: "MedicationRequest",
    code: concept(RXNORM, "2418", "cholecalciferol"),
  },
};

/** The proposal resource of one suggestion, for the EHR's patient `Patient/<id>`. */
export function suggestionResource(suggestion: Suggestion, patientReference: string): Resource {
  const order = ORDERS[suggestion.id];
  const subject = { reference: patientReference };
  if (order?.type === "ServiceRequest") {
    return {
      resourceType: "ServiceRequest",
      status: "draft",
      intent: "proposal",
      code: order.code,
      subject,
      reasonCode: [{ text: suggestion.title }],
    };
  }
  if (order?.type === "MedicationRequest") {
    return {
      resourceType: "MedicationRequest",
      status: "draft",
      intent: "proposal",
      medicationCodeableConcept: order.code,
      subject,
      reasonCode: [{ text: suggestion.title }],
    };
  }
  return {
    resourceType: "Task",
    status: "requested",
    intent: "proposal",
    priority: suggestion.category === "act-now" ? "stat" : "routine",
    description: suggestion.title,
    for: subject,
  };
}

/** One suggestion per assessment suggestion, each with a fresh uuid. */
export function cdsSuggestions(
  suggestions: readonly Suggestion[],
  patientReference: string,
  newUuid: () => string,
): { suggestion: CdsSuggestion; id: string }[] {
  return suggestions
    .filter((s) => s.category !== "investigational")
    .map((s) => {
      const resource = suggestionResource(s, patientReference);
      return {
        id: s.id,
        suggestion: {
          label: s.title,
          uuid: newUuid(),
          ...(s.category === "act-now" ? { isRecommended: true } : {}),
          actions: [{ type: "create", description: s.title, resource }],
        },
      };
    });
}
