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
  return [
    whoCategoryFlag(facts),
    lowForAgeFlag(facts),
    highFractureRiskFlag(facts),
    treatmentGapFlag(facts),
    fractureFollowUpFlag(facts),
    dxaDueFlag(facts),
  ].filter((flag) => flag !== null);
}

/** The findings among the bone flags (not the gap, follow-up or DXA-due flags). */
export function boneFindings(flags: readonly FiredFlag[]): BoneFindings {
  let any = false;
  let moderate = false;
  const evidence: Evidence[] = [];
  const moderateEvidence: Evidence[] = [];
  for (const code of BONE_FINDING_CODES) {
    const finding = flags.find((flag) => flag.code === code);
    if (finding === undefined) continue;
    any = true;
    evidence.push(...finding.evidence);
    if (code === "bone.osteopenia") continue;
    moderate = true;
    moderateEvidence.push(...finding.evidence);
  }
  return { any, moderate, evidence, moderateEvidence };
}

/** WHO category by the lowest T-score, or clinical osteoporosis from a hip or vertebral fracture. */
function whoCategoryFlag(facts: Facts): FiredFlag | null {
  const { asOfDay } = facts;
  const { whoApplicable, lowestT, latestFragilityFracture: fragility } = facts.bone;
  const hipOrVertebral = facts.bone.latestHipOrVertebralFracture;
  const osteoporoticT = lowestT !== null && lowestT.value <= THRESHOLDS.who.osteoporosisMaxT;
  if (whoApplicable && lowestT !== null && osteoporoticT && fragility !== null) {
    return fire("bone.severe-osteoporosis", "high", [
      tScoreEvidence(asOfDay, lowestT),
      fractureEvidence(asOfDay, fragility),
    ]);
  }
  if (whoApplicable && lowestT !== null && osteoporoticT) {
    // No fragility fracture here (that would be severe), so the T-score alone decides.
    return fire("bone.osteoporosis", "moderate", [tScoreEvidence(asOfDay, lowestT)]);
  }
  if (hipOrVertebral !== null) {
    return fire(
      "bone.osteoporosis",
      "moderate",
      [fractureEvidence(asOfDay, hipOrVertebral)],
      " (clinical osteoporosis)",
    );
  }
  if (
    whoApplicable &&
    lowestT !== null &&
    lowestT.value > THRESHOLDS.who.osteoporosisMaxT &&
    lowestT.value < THRESHOLDS.who.normalMinT
  ) {
    return fire("bone.osteopenia", "low", [tScoreEvidence(asOfDay, lowestT)]);
  }
  return null;
}

/** A low Z-score where WHO categories do not apply (premenopausal women, men under 50). */
function lowForAgeFlag(facts: Facts): FiredFlag | null {
  const { whoApplicable, lowestZ } = facts.bone;
  if (whoApplicable || lowestZ === null || lowestZ.value > THRESHOLDS.lowForAgeMaxZ) return null;
  const dated = dayed(lowestZ);
  return fire(
    "bone.low-for-age",
    "moderate",
    [
      {
        text: `${bmdSiteLabel(lowestZ.site)} Z ${formatNumber(lowestZ.value)} ${when(facts.asOfDay, "bmd", dated)}`,
        inputs: [flagInput(facts.asOfDay, "bmd", dated, `${lowestZ.site} Z ${lowestZ.value}`)],
      },
    ],
    " (below the expected range for age)",
  );
}

function highFractureRiskFlag(facts: Facts): FiredFlag | null {
  const { frax, fraxHigh } = facts.bone;
  if (frax === null || !fraxHigh) return null;
  return fire("bone.high-fracture-risk", "moderate", [fraxEvidence(facts.asOfDay, frax)]);
}

/** BHOF 2022 treatment criteria met without treatment, for the population WHO categories apply to. */
function treatmentGapFlag(facts: Facts): FiredFlag | null {
  const { asOfDay } = facts;
  const { whoApplicable, lowestCentralT, frax, fraxHigh } = facts.bone;
  const hipOrVertebral = facts.bone.latestHipOrVertebralFracture;
  if (!whoApplicable || facts.medications.osteoporosisTreatmentActive) return null;
  const criteria: Evidence[] = [];
  if (hipOrVertebral !== null) criteria.push(fractureEvidence(asOfDay, hipOrVertebral));
  if (lowestCentralT !== null && lowestCentralT.value <= THRESHOLDS.who.osteoporosisMaxT) {
    criteria.push(tScoreEvidence(asOfDay, lowestCentralT));
  } else if (
    lowestCentralT !== null &&
    lowestCentralT.value < THRESHOLDS.who.normalMinT &&
    frax !== null &&
    fraxHigh
  ) {
    criteria.push(tScoreEvidence(asOfDay, lowestCentralT), fraxEvidence(asOfDay, frax));
  }
  if (criteria.length === 0) return null;
  return fire("bone.treatment-gap", "high", criteria, "; no osteoporosis treatment active");
}

/** Fracture liaison (IOF KPIs): a recent fragility fracture with no DXA on or after it. */
function fractureFollowUpFlag(facts: Facts): FiredFlag | null {
  const { asOfDay } = facts;
  const { latestFragilityFracture: fragility, latestBmd } = facts.bone;
  if (
    fragility === null ||
    asOfDay - fragility.day > THRESHOLDS.fls.followupWeeks * 7 ||
    (latestBmd !== null && latestBmd.day >= fragility.day)
  ) {
    return null;
  }
  const weeks = Math.floor((asOfDay - fragility.day) / 7);
  return fire(
    "bone.fracture-followup-due",
    "high",
    [fractureEvidence(asOfDay, fragility)],
    ` (${weeks} ${weeks === 1 ? "week" : "weeks"} ago), no DXA since`,
  );
}

/** A DXA indication, and no usable DXA or an old one with a reason to repeat it. */
function dxaDueFlag(facts: Facts): FiredFlag | null {
  const { asOfDay, age, medications } = facts;
  const { lowestT, latestBmd } = facts.bone;
  const dxaReasons: string[] = [];
  if (hasAgeDxaIndication(facts.sex, age)) dxaReasons.push(`age ${age}`);
  const adult = age >= RULESET_POLICY.adultFromAge;
  if (adult && facts.bone.latestFragilityFracture !== null) dxaReasons.push("fragility fracture");
  if (adult && medications.boneLossMedication) dxaReasons.push("bone-loss medication");
  if (dxaReasons.length === 0) return null;
  const indication = `DXA indicated (${dxaReasons.join(", ")})`;
  if (latestBmd === null) {
    return fire("bone.dxa-due", "low", [
      { text: `${indication}; ${noUsableDxaText(facts)}`, inputs: [] },
    ]);
  }
  if (asOfDay - latestBmd.day <= RULESET_POLICY.dxaRepeatIntervalDays) return null;
  const repeatReasons: string[] = [];
  if (lowestT !== null && lowestT.value < THRESHOLDS.who.normalMinT) {
    repeatReasons.push(`lowest T ${formatNumber(lowestT.value)}`);
  }
  if (medications.osteoporosisTreatmentActive) repeatReasons.push("on osteoporosis treatment");
  if (medications.boneLossMedication) repeatReasons.push("on a bone-loss medication");
  if (repeatReasons.length === 0) return null;
  return fire("bone.dxa-due", "low", [
    {
      text: `${indication}; last DXA ${when(asOfDay, "bmd", latestBmd)}, ${repeatReasons.join(", ")}`,
      inputs: [flagInput(asOfDay, "bmd", latestBmd, `last DXA ${latestBmd.effective}`)],
    },
  ]);
}

function dayed(score: SiteScore): Dated {
  return { day: dayNumber(score.effective), effective: score.effective };
}

function tScoreEvidence(asOfDay: number, score: SiteScore): Evidence {
  const dated = dayed(score);
  return {
    text: `${bmdSiteLabel(score.site)} T ${formatNumber(score.value)} ${when(asOfDay, "bmd", dated)}`,
    inputs: [flagInput(asOfDay, "bmd", dated, `${score.site} T ${score.value}`)],
  };
}

function fraxEvidence(asOfDay: number, entry: FraxEntry): Evidence {
  const { majorOsteoporoticPct, hipPct } = entry.obs;
  return {
    text: `FRAX major ${formatNumber(majorOsteoporoticPct, 1)} %, hip ${formatNumber(hipPct, 1)} % ${when(asOfDay, "frax", entry)}`,
    inputs: [
      flagInput(asOfDay, "frax", entry, `FRAX major ${majorOsteoporoticPct} %, hip ${hipPct} %`),
    ],
  };
}
