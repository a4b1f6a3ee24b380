import { medicationClassLabel, type MedicationClass, type Observation } from "@/lib/clinical";
import {
  bmdCodeFor,
  BMD_CODES,
  FALLS_CODES,
  FRACTURE_CODE_FOR_SITE,
  FRACTURE_CODES,
  FRAX_CODES,
  GDS15_TOTAL,
  LOCAL,
  LOINC,
  OBSERVATION_CATEGORY,
  PHQ2_PANEL,
  PHQ2_TOTAL,
  PHQ9_DIFFICULTY,
  PHQ9_ITEM_CODES,
  PHQ9_PANEL,
  PHQ9_TOTAL,
  PHQ_DIFFICULTY_ANSWERS,
  PHQ_DIFFICULTY_DISPLAY,
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
  Resource,
} from "./types";

/**
 * Writes one stored observation (assess contract) as FHIR R4 resources: Observations with LOINC
 * codes, UCUM units and US Core categories, a Condition for a fracture, a MedicationRequest for a
 * medication. Reading the result back with `readClinicalResources` gives the same observation.
 */
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

function loinc(code: string, display?: string): CodeableConcept {
  return {
    coding: [{ system: LOINC, code, ...(display ? { display } : {}) }],
    ...(display ? { text: display } : {}),
  };
}

function local(system: string, code: string, display?: string): CodeableConcept {
  return {
    coding: [{ system, code, ...(display ? { display } : {}) }],
    ...(display ? { text: display } : {}),
  };
}

function answerCode(
  table: Readonly<Record<string, number>>,
  value: number,
  displays: readonly string[],
): CodeableConcept {
  const code = Object.entries(table).find(([, v]) => v === value)![0];
  return { coding: [{ system: LOINC, code, display: displays[value] }], text: displays[value] };
}

function observation(
  id: string,
  options: WriteOptions,
  effective: string,
  category: CodeableConcept,
  code: CodeableConcept,
  rest: Partial<FhirObservation> = {},
): FhirObservation {
  return {
    resourceType: "Observation",
    id,
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
  const members: FhirObservation[] = [];
  (o.items ?? []).forEach((value, index) => {
    if (value === null) return;
    members.push(
      observation(
        `${options.id}-item-${index + 1}`,
        options,
        o.effective,
        SURVEY,
        loinc(PHQ9_ITEM_CODES[index]!),
        {
          valueCodeableConcept: answerCode(PHQ_FREQUENCY_ANSWERS, value, PHQ_FREQUENCY_DISPLAY),
        },
      ),
    );
  });
  const total =
    o.total ??
    (o.items && o.items.every((v) => v !== null)
      ? o.items.reduce<number>((s, v) => s + (v ?? 0), 0)
      : undefined);
  if (total !== undefined) {
    members.push(
      observation(
        `${options.id}-total`,
        options,
        o.effective,
        SURVEY,
        loinc(
          kind === "phq9" ? PHQ9_TOTAL : PHQ2_TOTAL,
          kind === "phq9" ? "PHQ-9 total score" : "PHQ-2 total score",
        ),
        {
          valueQuantity: { value: total, unit: "{score}", system: UCUM, code: "{score}" },
        },
      ),
    );
  }
  if (o.difficulty !== undefined && o.difficulty !== null) {
    members.push(
      observation(
        `${options.id}-difficulty`,
        options,
        o.effective,
        SURVEY,
        loinc(PHQ9_DIFFICULTY),
        {
          valueCodeableConcept: answerCode(
            PHQ_DIFFICULTY_ANSWERS,
            o.difficulty,
            PHQ_DIFFICULTY_DISPLAY,
          ),
        },
      ),
    );
  }
  const panel = observation(
    options.id,
    options,
    o.effective,
    SURVEY,
    loinc(
      kind === "phq9" ? PHQ9_PANEL : PHQ2_PANEL,
      kind === "phq9"
        ? "PHQ-9 quick depression assessment panel"
        : "PHQ-2 quick depression assessment panel",
    ),
    { hasMember: members.map((m) => ({ reference: `Observation/${m.id}` })) },
  );
  return [panel, ...members];
}

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
      const total = o.total;
      return [
        observation(
          options.id,
          options,
          o.effective,
          SURVEY,
          loinc(GDS15_TOTAL, "Geriatric depression scale (GDS) short version total"),
          {
            ...(total !== undefined
              ? { valueQuantity: { value: total, unit: "{score}", system: UCUM, code: "{score}" } }
              : {}),
            ...(components.length ? { component: components } : {}),
          },
        ),
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
        out.push(
          observation(
            `${options.id}-${score}`,
            options,
            o.effective,
            IMAGING,
            loinc(code, BMD_CODES[code]!.display),
            {
              valueQuantity: {
                value,
                unit: score === "t" ? "T-Score" : "Z-Score",
                system: UCUM,
                code: score === "t" ? "{T-Score}" : "{Z-Score}",
              },
            },
          ),
        );
      }
      return out;
    }
    case "vitaminD":
      return [
        observation(
          options.id,
          options,
          o.effective,
          LABORATORY,
          loinc(VITAMIN_D_CODE, "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma"),
          {
            valueQuantity: { value: o.value, unit: o.unit, system: UCUM, code: o.unit },
          },
        ),
      ];
    case "frax":
      return [
        observation(
          options.id,
          options,
          o.effective,
          EXAM,
          local(LOCAL.frax, FRAX_CODES.panel, "FRAX 10-year fracture probability"),
          {
            component: [
              {
                code: local(LOCAL.frax, FRAX_CODES.major, "Major osteoporotic fracture, 10 years"),
                valueQuantity: {
                  value: o.majorOsteoporoticPct,
                  unit: "%",
                  system: UCUM,
                  code: "%",
                },
              },
              {
                code: local(LOCAL.frax, FRAX_CODES.hip, "Hip fracture, 10 years"),
                valueQuantity: { value: o.hipPct, unit: "%", system: UCUM, code: "%" },
              },
              {
                code: local(LOCAL.frax, FRAX_CODES.withBmd, "Computed with BMD"),
                valueBoolean: o.withBmd,
              },
            ],
          },
        ),
      ];
    case "falls": {
      const component: ObservationComponent[] = [
        {
          code: local(LOCAL.falls, FALLS_CODES.count, "Falls in the past 12 months"),
          valueInteger: o.countPast12Months,
        },
      ];
      if (o.injurious !== undefined)
        component.push({
          code: local(LOCAL.falls, FALLS_CODES.injurious, "Injured in a fall"),
          valueBoolean: o.injurious,
        });
      if (o.unsteady !== undefined)
        component.push({
          code: local(LOCAL.falls, FALLS_CODES.unsteady, "Feels unsteady"),
          valueBoolean: o.unsteady,
        });
      if (o.worriedAboutFalling !== undefined)
        component.push({
          code: local(LOCAL.falls, FALLS_CODES.worried, "Worries about falling"),
          valueBoolean: o.worriedAboutFalling,
        });
      return [
        observation(
          options.id,
          options,
          o.effective,
          SURVEY,
          local(LOCAL.falls, FALLS_CODES.panel, "STEADI falls screen"),
          { component },
        ),
      ];
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
          coding: [
            {
              system: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
              code: "confirmed",
            },
          ],
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
        status: o.stoppedOn ? "stopped" : "active",
        intent: "order",
        medicationCodeableConcept: medicationConcept(o.name, o.class),
        subject: { reference: options.patientReference },
        authoredOn: o.effective,
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
                doseQuantity: {
                  value: o.prednisoloneMgPerDay,
                  unit: "mg",
                  system: UCUM,
                  code: "mg",
                },
              },
            ],
          },
        ];
      }
      return [request];
    }
  }
}
