import { hasAgeDxaIndication } from "../../bone";
import { BONE_FINDING_CODES } from "../../constants";
import { dayNumber } from "../../dates";
import { bmdSiteLabel, formatNumber } from "../../format";
import { RULESET_POLICY, THRESHOLDS } from "../../policy";
import type { SiteScore } from "../../types";
import type { Dated, FraxEntry } from "../entries";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import type { Evidence } from "../rationale";
import { flagInput, fractureEvidence, noUsableDxaText, when } from "../rationale";

/*
 * Bone flags (CLINICAL-RULES.md §4): WHO category, Z-score, FRAX, BHOF treatment gap, fracture
 * follow-up and DXA due. Their findings are the "bone flags" other areas rest on (`boneFindings`).
 */

/** The bone findings that fired (the "bone flags" of §8), for the rules of other areas. */
export interface BoneFindings {
  /** Any bone flag fired. */
  readonly any: boolean;
  /** A bone flag above osteopenia fired. */
  readonly moderate: boolean;
  /** The evidence of every finding, in BONE_FINDING_CODES order. */
  readonly evidence: readonly Evidence[];
  /** The same without osteopenia. */
  readonly moderateEvidence: readonly Evidence[];
}

export function boneFlags(facts: Facts): FiredFlag[] {
  const { asOfDay, age } = facts;
  const bone = facts.bone;
  const { whoApplicable, lowestT, lowestCentralT, lowestZ, frax, fraxHigh } = bone;
  const fragility = bone.latestFragilityFracture;
  const hipOrVertebral = bone.latestHipOrVertebralFracture;
  const medications = facts.medications;
  const flags: FiredFlag[] = [];

  const tEvidence = (score: SiteScore): Evidence => {
    const dated = dayed(score);
    return {
      text: `${bmdSiteLabel(score.site)} T ${formatNumber(score.value)} ${when(asOfDay, "bmd", dated)}`,
      inputs: [flagInput(asOfDay, "bmd", dated, `${score.site} T ${score.value}`)],
    };
  };
  const fraxEvidence = (entry: FraxEntry): Evidence => ({
    text: `FRAX major ${formatNumber(entry.obs.majorOsteoporoticPct, 1)} %, hip ${formatNumber(entry.obs.hipPct, 1)} % ${when(asOfDay, "frax", entry)}`,
    inputs: [
      flagInput(
        asOfDay,
        "frax",
        entry,
        `FRAX major ${entry.obs.majorOsteoporoticPct} %, hip ${entry.obs.hipPct} %`,
      ),
    ],
  });

  // WHO category, or clinical osteoporosis from a hip or vertebral fragility fracture.
  const osteoporoticT = lowestT !== null && lowestT.value <= THRESHOLDS.who.osteoporosisMaxT;
  if (whoApplicable && lowestT !== null && osteoporoticT && fragility !== null) {
    flags.push(
      fire("bone.severe-osteoporosis", "high", [
        tEvidence(lowestT),
        fractureEvidence(asOfDay, fragility),
      ]),
    );
  } else if (whoApplicable && lowestT !== null && osteoporoticT) {
    // No fragility fracture here (that would be severe), so the T-score alone decides.
    flags.push(fire("bone.osteoporosis", "moderate", [tEvidence(lowestT)]));
  } else if (hipOrVertebral !== null) {
    flags.push(
      fire(
        "bone.osteoporosis",
        "moderate",
        [fractureEvidence(asOfDay, hipOrVertebral)],
        " (clinical osteoporosis)",
      ),
    );
  } else if (
    whoApplicable &&
    lowestT !== null &&
    lowestT.value > THRESHOLDS.who.osteoporosisMaxT &&
    lowestT.value < THRESHOLDS.who.normalMinT
  ) {
    flags.push(fire("bone.osteopenia", "low", [tEvidence(lowestT)]));
  }

  if (!whoApplicable && lowestZ !== null && lowestZ.value <= THRESHOLDS.lowForAgeMaxZ) {
    const dated = dayed(lowestZ);
    flags.push(
      fire(
        "bone.low-for-age",
        "moderate",
        [
          {
            text: `${bmdSiteLabel(lowestZ.site)} Z ${formatNumber(lowestZ.value)} ${when(asOfDay, "bmd", dated)}`,
            inputs: [flagInput(asOfDay, "bmd", dated, `${lowestZ.site} Z ${lowestZ.value}`)],
          },
        ],
        " (below the expected range for age)",
      ),
    );
  }

  if (frax !== null && fraxHigh) {
    flags.push(fire("bone.high-fracture-risk", "moderate", [fraxEvidence(frax)]));
  }

  // BHOF 2022 treatment criteria, for the population WHO categories apply to.
  if (whoApplicable && !medications.osteoporosisTreatmentActive) {
    const criteria: Evidence[] = [];
    if (hipOrVertebral !== null) criteria.push(fractureEvidence(asOfDay, hipOrVertebral));
    if (lowestCentralT !== null && lowestCentralT.value <= THRESHOLDS.who.osteoporosisMaxT) {
      criteria.push(tEvidence(lowestCentralT));
    } else if (
      lowestCentralT !== null &&
      lowestCentralT.value < THRESHOLDS.who.normalMinT &&
      frax !== null &&
      fraxHigh
    ) {
      criteria.push(tEvidence(lowestCentralT), fraxEvidence(frax));
    }
    if (criteria.length > 0) {
      flags.push(
        fire("bone.treatment-gap", "high", criteria, "; no osteoporosis treatment active"),
      );
    }
  }

  // Fracture liaison: a recent fragility fracture with no DXA on or after it.
  if (
    fragility !== null &&
    asOfDay - fragility.day <= THRESHOLDS.fls.followupWeeks * 7 &&
    (bone.latestBmd === null || bone.latestBmd.day < fragility.day)
  ) {
    const weeks = Math.floor((asOfDay - fragility.day) / 7);
    flags.push(
      fire(
        "bone.fracture-followup-due",
        "high",
        [fractureEvidence(asOfDay, fragility)],
        ` (${weeks} ${weeks === 1 ? "week" : "weeks"} ago), no DXA since`,
      ),
    );
  }

  // DXA indication, and a DXA due for it: none usable, or an old one with a reason to repeat.
  const dxaReasons: string[] = [];
  if (hasAgeDxaIndication(facts.sex, age)) dxaReasons.push(`age ${age}`);
  const adult = age >= RULESET_POLICY.adultFromAge;
  if (adult && fragility !== null) dxaReasons.push("fragility fracture");
  if (adult && medications.boneLossMedication) dxaReasons.push("bone-loss medication");
  if (dxaReasons.length > 0) {
    const indication = `DXA indicated (${dxaReasons.join(", ")})`;
    const latestBmd = bone.latestBmd;
    if (latestBmd === null) {
      flags.push(
        fire("bone.dxa-due", "low", [
          { text: `${indication}; ${noUsableDxaText(facts)}`, inputs: [] },
        ]),
      );
    } else if (asOfDay - latestBmd.day > RULESET_POLICY.dxaRepeatIntervalDays) {
      const repeatReasons: string[] = [];
      if (lowestT !== null && lowestT.value < THRESHOLDS.who.normalMinT) {
        repeatReasons.push(`lowest T ${formatNumber(lowestT.value)}`);
      }
      if (medications.osteoporosisTreatmentActive) repeatReasons.push("on osteoporosis treatment");
      if (medications.boneLossMedication) repeatReasons.push("on a bone-loss medication");
      if (repeatReasons.length > 0) {
        flags.push(
          fire("bone.dxa-due", "low", [
            {
              text: `${indication}; last DXA ${when(asOfDay, "bmd", latestBmd)}, ${repeatReasons.join(", ")}`,
              inputs: [flagInput(asOfDay, "bmd", latestBmd, `last DXA ${latestBmd.effective}`)],
            },
          ]),
        );
      }
    }
  }

  return flags;
}

function dayed(score: SiteScore): Dated {
  return { day: dayNumber(score.effective), effective: score.effective };
}

/** The findings among the bone flags (not the gap, follow-up or DXA-due flags). */
export function boneFindings(flags: readonly FiredFlag[]): BoneFindings {
  const findings = BONE_FINDING_CODES.flatMap((code) => flags.filter((flag) => flag.code === code));
  const moderate = findings.filter((flag) => flag.code !== "bone.osteopenia");
  return {
    any: findings.length > 0,
    moderate: moderate.length > 0,
    evidence: findings.flatMap((flag) => flag.evidence),
    moderateEvidence: moderate.flatMap((flag) => flag.evidence),
  };
}
