import { medicationClassLabel, type MedicationClass, type Observation } from "@/lib/clinical";
import {
  bmdCodeFor,
  BMD_CODES,
  CONDITION_VERIFICATION,
  FALLS_CODES,
  FRACTURE_CODE_FOR_SITE,
  FRACTURE_CODES,
  FRAX_CODES,
  GDS15_TOTAL,
  LOCAL,
  LOINC,
  OBSERVATION_CATEGORY,
  PHQ9_DIFFICULTY,
  PHQ9_ITEM_CODES,
  PHQ_DIFFICULTY_ANSWERS,
  PHQ_DIFFICULTY_DISPLAY,
  PHQ_FORMS,
  PHQ_FREQUENCY_ANSWERS,
  PHQ_FREQUENCY_DISPLAY,
  RXNORM,
  RXNORM_INGREDIENTS,
  SNOMED,
  UCUM,
  VITAMIN_D_CODE,
} from "./codes";
import type {
  CodeableConcept,
  Coding,
  FhirCondition,
  FhirMedicationRequest,
  FhirObservation,
  ObservationComponent,
  Quantity,
  Resource,
} from "./types";

/**
 * Writes one stored observation (assess contract) as FHIR R4 resources: Observations with LOINC
 * codes, UCUM units and US Core categories, a Condition for a fracture, a MedicationRequest for a
 * medication. Reading the result back with `readClinicalResources` gives the same observation.
 */
export const US_CORE_MEDICATION_REQUEST =
  "http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest";

export interface WriteOptions {
  /** Our observation id; extra resources get `<id>-<suffix>`. */
  readonly id: string;
  /** `Patient/<id>`. */
  readonly patientReference: string;
}

const SURVEY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: "survey", display: "Survey" }],
};
const IMAGING: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: "imaging", display: "Imaging" }],
};
const LABORATORY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: "laboratory", display: "Laboratory" }],
};
const EXAM: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: "exam", display: "Exam" }],
};

function local(system: string, code: string, display?: string): CodeableConcept {
  return {
    coding: [{ system, code, ...(display ? { display } : {}) }],
    ...(display ? { text: display } : {}),
  };
}

function loinc(code: string, display?: string): CodeableConcept {
  return local(LOINC, code, display);
}

/** A UCUM quantity (`unit` is the human-readable form when it differs from the code). */
function ucum(value: number, code: string, unit = code): Quantity {
  return { value, unit, system: UCUM, code };
}

function answerCode(
  table: Readonly<Record<string, number>>,
  value: number,
  displays: readonly string[],
): CodeableConcept {
  const code = Object.entries(table).find(([, v]) => v === value)![0];
  return { coding: [{ system: LOINC, code, display: displays[value] }], text: displays[value] };
}

/** An Observation of the patient; `suffix` names an extra resource (`<id>-<suffix>`). */
function observation(
  options: WriteOptions,
  effective: string,
  category: CodeableConcept,
  code: CodeableConcept,
  rest: Partial<FhirObservation> = {},
  suffix?: string,
): FhirObservation {
  return {
    resourceType: "Observation",
    id: suffix === undefined ? options.id : `${options.id}-${suffix}`,
    status: "final",
    category: [category],
    code,
    subject: { reference: options.patientReference },
    effectiveDateTime: effective,
    ...rest,
  };
}

function questionnaire(
  o: {
    effective: string;
    items?: (number | null)[] | undefined;
    total?: number | undefined;
    difficulty?: number | null | undefined;
  },
  kind: "phq9" | "phq2",
  options: WriteOptions,
): Resource[] {
  const form = PHQ_FORMS[kind];
  const survey = (code: CodeableConcept, rest: Partial<FhirObservation>, suffix?: string) =>
    observation(options, o.effective, SURVEY, code, rest, suffix);
  const members: FhirObservation[] = [];
  (o.items ?? []).forEach((value, index) => {
    if (value === null) return;
    const answer = answerCode(PHQ_FREQUENCY_ANSWERS, value, PHQ_FREQUENCY_DISPLAY);
    members.push(
      survey(loinc(PHQ9_ITEM_CODES[index]!), { valueCodeableConcept: answer }, `item-${index + 1}`),
    );
  });
  const total =
    o.total ??
    (o.items && o.items.every((v) => v !== null)
      ? o.items.reduce<number>((s, v) => s + (v ?? 0), 0)
      : undefined);
  if (total !== undefined) {
    const code = loinc(form.total, `${form.name} total score`);
    members.push(survey(code, { valueQuantity: ucum(total, "{score}") }, "total"));
  }
  if (o.difficulty !== undefined && o.difficulty !== null) {
    const answer = answerCode(PHQ_DIFFICULTY_ANSWERS, o.difficulty, PHQ_DIFFICULTY_DISPLAY);
    members.push(survey(loinc(PHQ9_DIFFICULTY), { valueCodeableConcept: answer }, "difficulty"));
  }
  const panel = survey(loinc(form.panel, `${form.name} quick depression assessment panel`), {
    hasMember: members.map((m) => ({ reference: `Observation/${m.id}` })),
  });
  return [panel, ...members];
}

/** The optional yes/no answers of the falls screen, in the order they are written. */
const FALLS_FLAGS = [
  ["injurious", FALLS_CODES.injurious, "Injured in a fall"],
  ["unsteady", FALLS_CODES.unsteady, "Feels unsteady"],
  ["worriedAboutFalling", FALLS_CODES.worried, "Worries about falling"],
] as const;

function medicationConcept(name: string | undefined, cls: MedicationClass): CodeableConcept {
  const coding: Coding[] = [];
  const lower = name?.toLowerCase().trim();
  const rx = Object.entries(RXNORM_INGREDIENTS).find(([, v]) => v.name === lower);
  if (rx) coding.push({ system: RXNORM, code: rx[0], display: rx[1].name });
  coding.push({ system: LOCAL.medicationClass, code: cls, display: medicationClassLabel(cls) });
  // No text without a name: the class label is not a drug name and must not come back as one.
  return { coding, ...(name ? { text: name } : {}) };
}

export function observationToFhir(o: Observation, options: WriteOptions): Resource[] {
  switch (o.kind) {
    case "phq9":
      return questionnaire(o, "phq9", options);
    case "phq2":
      return questionnaire(o, "phq2", options);
    case "gds15": {
      const components: ObservationComponent[] = [];
      (o.answers ?? []).forEach((answer, index) => {
        if (answer === null) return;
        components.push({
          code: local(LOCAL.gds15, `item-${index + 1}`),
          valueBoolean: answer === "yes",
        });
      });
      const code = loinc(GDS15_TOTAL, "Geriatric depression scale (GDS) short version total");
      return [
        observation(options, o.effective, SURVEY, code, {
          ...(o.total !== undefined ? { valueQuantity: ucum(o.total, "{score}") } : {}),
          ...(components.length ? { component: components } : {}),
        }),
      ];
    }
    case "bmd": {
      const out: Resource[] = [];
      for (const [score, value] of [
        ["t", o.tScore],
        ["z", o.zScore],
      ] as const) {
        if (value === undefined) continue;
        const code = bmdCodeFor(o.site, score);
        const unit = score === "t" ? "T-Score" : "Z-Score";
        out.push(
          observation(
            options,
            o.effective,
            IMAGING,
            loinc(code, BMD_CODES[code]!.display),
            { valueQuantity: ucum(value, `{${unit}}`, unit) },
            score,
          ),
        );
      }
      return out;
    }
    case "vitaminD": {
      const code = loinc(
        VITAMIN_D_CODE,
        "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma",
      );
      const valueQuantity = ucum(o.value, o.unit);
      return [observation(options, o.effective, LABORATORY, code, { valueQuantity })];
    }
    case "frax": {
      const code = local(LOCAL.frax, FRAX_CODES.panel, "FRAX 10-year fracture probability");
      const component: ObservationComponent[] = [
        {
          code: local(LOCAL.frax, FRAX_CODES.major, "Major osteoporotic fracture, 10 years"),
          valueQuantity: ucum(o.majorOsteoporoticPct, "%"),
        },
        {
          code: local(LOCAL.frax, FRAX_CODES.hip, "Hip fracture, 10 years"),
          valueQuantity: ucum(o.hipPct, "%"),
        },
        {
          code: local(LOCAL.frax, FRAX_CODES.withBmd, "Computed with BMD"),
          valueBoolean: o.withBmd,
        },
      ];
      return [observation(options, o.effective, EXAM, code, { component })];
    }
    case "falls": {
      const component: ObservationComponent[] = [
        {
          code: local(LOCAL.falls, FALLS_CODES.count, "Falls in the past 12 months"),
          valueInteger: o.countPast12Months,
        },
      ];
      for (const [field, code, display] of FALLS_FLAGS) {
        const value = o[field];
        if (value !== undefined)
          component.push({ code: local(LOCAL.falls, code, display), valueBoolean: value });
      }
      const code = local(LOCAL.falls, FALLS_CODES.panel, "STEADI falls screen");
      return [observation(options, o.effective, SURVEY, code, { component })];
    }
    case "fracture": {
      const snomed = FRACTURE_CODE_FOR_SITE[o.site];
      const condition: FhirCondition = {
        resourceType: "Condition",
        id: options.id,
        extension: [{ url: LOCAL.fragilityExtension, valueBoolean: o.fragility }],
        clinicalStatus: {
          coding: [
            { system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" },
          ],
        },
        verificationStatus: {
          coding: [{ system: CONDITION_VERIFICATION, code: "confirmed" }],
        },
        category: [
          {
            coding: [
              {
                system: "http://terminology.hl7.org/CodeSystem/condition-category",
                code: "problem-list-item",
              },
            ],
          },
        ],
        code: {
          coding: [
            { system: SNOMED, code: snomed, display: FRACTURE_CODES[snomed]!.display },
            { system: LOCAL.fractureSite, code: o.site },
          ],
          text: FRACTURE_CODES[snomed]!.display,
        },
        subject: { reference: options.patientReference },
        onsetDateTime: o.effective,
      };
      return [condition];
    }
    case "medication": {
      const request: FhirMedicationRequest = {
        resourceType: "MedicationRequest",
        id: options.id,
        meta: { profile: [US_CORE_MEDICATION_REQUEST] },
        status: o.stoppedOn ? "stopped" : "active",
        intent: "order",
        medicationCodeableConcept: medicationConcept(o.name, o.class),
        subject: { reference: options.patientReference },
        authoredOn: o.effective,
        // US Core requires a requester; a sender's is given back (see fidelity.ts).
        requester: { display: "Prescriber not recorded" },
      };
      if (o.startedOn || o.stoppedOn) {
        request.extension = [
          {
            url: LOCAL.medicationPeriodExtension,
            valuePeriod: {
              ...(o.startedOn ? { start: o.startedOn } : {}),
              ...(o.stoppedOn ? { end: o.stoppedOn } : {}),
            },
          },
        ];
      }
      if (o.prednisoloneMgPerDay !== undefined) {
        request.dosageInstruction = [
          {
            text: `${o.prednisoloneMgPerDay} mg per day (prednisolone equivalent)`,
            timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
            doseAndRate: [
              {
                doseQuantity: ucum(o.prednisoloneMgPerDay, "mg"),
              },
            ],
          },
        ];
      }
      return [request];
    }
  }
}
