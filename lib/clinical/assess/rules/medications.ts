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
  const { asOfDay } = facts;
  const medications = facts.medications;
  const activeClasses = [...medications.activeClasses];
  const fragility = facts.bone.latestFragilityFracture;
  const falls = fallsEvidence(asOfDay, facts.falls);
  const fallsAtRisk = facts.falls !== null && facts.falls.atRisk;
  const flags: FiredFlag[] = [];

  const activeEvidence = (classes: ReadonlySet<MedicationClass>): Evidence => {
    const chosen = representativeByClass(medications.active, classes);
    return {
      text: `${chosen.map(medicationText).join(", ")} active`,
      inputs: chosen.map((entry) =>
        flagInput(asOfDay, "medication", entry, medicationValue(entry)),
      ),
    };
  };

  const boneRiskAntidepressant = activeClasses.some((c) => BONE_RISK_ANTIDEPRESSANTS.has(c));
  if (boneRiskAntidepressant && (findings.any || fragility !== null || fallsAtRisk)) {
    const parts: Evidence[] = [activeEvidence(BONE_RISK_ANTIDEPRESSANTS)];
    if (findings.any) parts.push(...findings.evidence);
    if (fragility !== null) parts.push(fractureEvidence(asOfDay, fragility));
    if (falls !== null) parts.push(falls);
    flags.push(fire("meds.antidepressant-bone-risk", "moderate", parts));
  }

  const glucocorticoid = medications.longTermGlucocorticoid;
  if (glucocorticoid !== null) {
    const dose = glucocorticoid.obs.prednisoloneMgPerDay ?? 0;
    flags.push(
      fire("meds.glucocorticoid-bone-risk", "moderate", [
        {
          text: `${glucocorticoid.obs.name ?? "glucocorticoid"} ${formatNumber(dose)} mg/day since ${formatDate(glucocorticoid.startedOn)} (${asOfDay - glucocorticoid.startDay} days)`,
          inputs: [
            flagInput(
              asOfDay,
              "medication",
              glucocorticoid,
              `${medicationValue(glucocorticoid)} ${dose} mg/day`,
            ),
          ],
        },
      ]),
    );
  }

  const fallRiskDrug = activeClasses.some((c) => FALL_RISK_DRUGS.has(c));
  if (fallRiskDrug && fallsAtRisk && falls !== null) {
    flags.push(fire("meds.fall-risk-drugs", "moderate", [activeEvidence(FALL_RISK_DRUGS), falls]));
  }

  const stopped = medications.osteoporosisTreatmentActive
    ? null
    : recentlyStoppedDenosumab(medications.records, asOfDay);
  if (stopped !== null) {
    flags.push(
      fire(
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
      ),
    );
  }

  return flags;
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
