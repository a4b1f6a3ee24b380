import type { MedicationClass } from "../../constants";
import {
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
  FALL_RISK_DRUG_CLASSES,
  MEDICATION_CLASSES,
} from "../../constants";
import { formatDate } from "../../dates";
import { formatNumber, medicationClassLabel } from "../../format";
import { RULESET_POLICY } from "../../policy";
import type { MedicationEntry } from "../entries";
import { bestOf, compareText, firstByNameThenLatest } from "../entries";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import type { Evidence } from "../rationale";
import { fallsEvidence, flagInput, fractureEvidence } from "../rationale";
import type { BoneFindings } from "./bone";

/*
 * Medication flags (CLINICAL-RULES.md §7): antidepressants and fall-risk drugs in a patient at
 * risk, long-term glucocorticoids, and denosumab stopped without follow-on therapy. Which records
 * are active, and the long-term glucocorticoid, are facts (the DXA indication rests on them too).
 */

const MED_ORDER = new Map<MedicationClass, number>(
  MEDICATION_CLASSES.map((medicationClass, index) => [medicationClass, index]),
);
const FALL_RISK_DRUGS: ReadonlySet<MedicationClass> = new Set(FALL_RISK_DRUG_CLASSES);
const BONE_RISK_ANTIDEPRESSANTS: ReadonlySet<MedicationClass> = new Set(
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
);

export function medicationFlags(facts: Facts, findings: BoneFindings): FiredFlag[] {
  return [
    antidepressantBoneRiskFlag(facts, findings),
    glucocorticoidFlag(facts),
    fallRiskDrugsFlag(facts),
    denosumabStoppedFlag(facts),
  ].filter((flag) => flag !== null);
}

/** An SSRI or TCA with a bone flag, a fragility fracture or a positive falls screen. */
function antidepressantBoneRiskFlag(facts: Facts, findings: BoneFindings): FiredFlag | null {
  if (!anyActive(facts, BONE_RISK_ANTIDEPRESSANTS)) return null;
  const { asOfDay } = facts;
  const fragility = facts.bone.latestFragilityFracture;
  const falls = fallsEvidence(asOfDay, facts.falls);
  if (!findings.any && fragility === null && falls === null) return null;
  const parts: Evidence[] = [activeEvidence(facts, BONE_RISK_ANTIDEPRESSANTS)];
  if (findings.any) parts.push(...findings.evidence);
  if (fragility !== null) parts.push(fractureEvidence(asOfDay, fragility));
  if (falls !== null) parts.push(falls);
  return fire("meds.antidepressant-bone-risk", "moderate", parts);
}

function glucocorticoidFlag(facts: Facts): FiredFlag | null {
  const glucocorticoid = facts.medications.longTermGlucocorticoid;
  if (glucocorticoid === null) return null;
  const dose = glucocorticoid.obs.prednisoloneMgPerDay ?? 0;
  const planned =
    glucocorticoid.obs.plannedLongTerm === true ? ", planned for 3 months or more" : "";
  return fire("meds.glucocorticoid-bone-risk", "moderate", [
    {
      text: `${glucocorticoid.obs.name ?? "glucocorticoid"} ${formatNumber(dose)} mg/day since ${formatDate(glucocorticoid.startedOn)} (${facts.asOfDay - glucocorticoid.startDay} days${planned})`,
      inputs: [
        flagInput(
          facts.asOfDay,
          "medication",
          glucocorticoid,
          `${medicationValue(glucocorticoid)} ${dose} mg/day`,
        ),
      ],
    },
  ]);
}

/**
 * A fall-risk-increasing drug with a positive falls screen or a fragility fracture (AGS Beers
 * 2023: avoid them with a history of falls or fractures).
 */
function fallRiskDrugsFlag(facts: Facts): FiredFlag | null {
  if (!anyActive(facts, FALL_RISK_DRUGS)) return null;
  const { asOfDay } = facts;
  const falls = fallsEvidence(asOfDay, facts.falls);
  const fragility = facts.bone.latestFragilityFracture;
  if (falls === null && fragility === null) return null;
  const parts: Evidence[] = [activeEvidence(facts, FALL_RISK_DRUGS)];
  if (falls !== null) parts.push(falls);
  if (fragility !== null) parts.push(fractureEvidence(asOfDay, fragility));
  return fire("meds.fall-risk-drugs", "moderate", parts);
}

/** Denosumab stopped recently with no osteoporosis treatment active (rebound fractures). */
function denosumabStoppedFlag(facts: Facts): FiredFlag | null {
  const { asOfDay, medications } = facts;
  if (medications.osteoporosisTreatmentActive) return null;
  const stopped = recentlyStoppedDenosumab(medications.records, asOfDay);
  if (stopped === null) return null;
  return fire(
    "meds.denosumab-stopped",
    "high",
    [
      {
        text: `${stopped.obs.name ?? "denosumab"} stopped on ${formatDate(stopped.obs.stoppedOn ?? stopped.effective)} (${asOfDay - stopped.stopDay} days ago)`,
        inputs: [
          flagInput(
            asOfDay,
            "medication",
            stopped,
            `${medicationValue(stopped)} stopped ${stopped.obs.stoppedOn ?? ""}`,
          ),
        ],
      },
    ],
    "; no osteoporosis treatment active",
  );
}

function anyActive(facts: Facts, classes: ReadonlySet<MedicationClass>): boolean {
  return [...facts.medications.activeClasses].some((c) => classes.has(c));
}

/** The active records of `classes`, one per class. */
function activeEvidence(facts: Facts, classes: ReadonlySet<MedicationClass>): Evidence {
  const chosen = representativeByClass(facts.medications.active, classes);
  return {
    text: `${chosen.map(medicationText).join(", ")} active`,
    inputs: chosen.map((entry) =>
      flagInput(facts.asOfDay, "medication", entry, medicationValue(entry)),
    ),
  };
}

type StoppedEntry = MedicationEntry & { readonly stopDay: number };

/** The most recent denosumab stop within the policy window (ACR 2022: follow-on therapy needed). */
function recentlyStoppedDenosumab(
  entries: readonly MedicationEntry[],
  asOfDay: number,
): StoppedEntry | null {
  return bestOf(
    entries,
    (entry): entry is StoppedEntry =>
      entry.obs.class === "denosumab" &&
      entry.stopDay !== null &&
      entry.stopDay <= asOfDay &&
      asOfDay - entry.stopDay <= RULESET_POLICY.denosumabStoppedWindowDays,
    (a, b) => (a.stopDay !== b.stopDay ? a.stopDay > b.stopDay : firstByNameThenLatest(a, b)),
  );
}

/** One record per active class among `classes`: the most recently recorded, in MEDICATION_CLASSES order. */
function representativeByClass(
  active: readonly MedicationEntry[],
  classes: ReadonlySet<MedicationClass>,
): MedicationEntry[] {
  const chosen = new Map<MedicationClass, MedicationEntry>();
  for (const entry of active) {
    if (!classes.has(entry.obs.class)) continue;
    const current = chosen.get(entry.obs.class);
    if (
      current === undefined ||
      entry.day > current.day ||
      (entry.day === current.day && compareText(entry.obs.name, current.obs.name) < 0)
    ) {
      chosen.set(entry.obs.class, entry);
    }
  }
  return [...chosen.values()].sort(
    (a, b) => (MED_ORDER.get(a.obs.class) ?? 0) - (MED_ORDER.get(b.obs.class) ?? 0),
  );
}

function medicationText(entry: MedicationEntry): string {
  const label = medicationClassLabel(entry.obs.class);
  return entry.obs.name !== undefined ? `${entry.obs.name} (${label})` : label;
}

function medicationValue(entry: MedicationEntry): string {
  return entry.obs.name !== undefined ? `${entry.obs.class} ${entry.obs.name}` : entry.obs.class;
}
