import { THRESHOLDS } from "../../policy";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import type { Evidence } from "../rationale";
import { NO_SCREEN_TEXT, fractureEvidence, noUsableDxaText, screenEvidence } from "../rationale";
import type { BoneFindings } from "./bone";

/*
 * Bone–brain flags (CLINICAL-RULES.md §8): depression and bone disease together, or one of them
 * found and the other not assessed.
 */

export function comorbidityFlags(facts: Facts, findings: BoneFindings): FiredFlag[] {
  return [
    boneBrainFlag(facts, findings),
    boneUnassessedFlag(facts),
    moodUnassessedFlag(facts, findings),
  ].filter((flag) => flag !== null);
}

/** A positive depression screen with a bone flag or a fragility fracture. */
function boneBrainFlag(facts: Facts, findings: BoneFindings): FiredFlag | null {
  const { decidingScreen: screen, positiveScreen } = facts.mood;
  const fragility = facts.bone.latestFragilityFracture;
  if (screen === null || !positiveScreen || (!findings.any && fragility === null)) return null;
  const parts: Evidence[] = [screenEvidence(facts.asOfDay, screen), ...findings.evidence];
  if (fragility !== null) parts.push(fractureEvidence(facts.asOfDay, fragility));
  return fire("comorbidity.bone-brain", "high", parts);
}

/** A positive depression screen in an adult old enough for bone loss, with no usable DXA. */
function boneUnassessedFlag(facts: Facts): FiredFlag | null {
  const { decidingScreen: screen, positiveScreen } = facts.mood;
  const { age } = facts;
  if (screen === null || !positiveScreen) return null;
  if (age < THRESHOLDS.boneUnassessedFromAge || facts.bone.latestBmd !== null) return null;
  return fire("comorbidity.bone-unassessed", "moderate", [
    screenEvidence(facts.asOfDay, screen),
    { text: `age ${age}, ${noUsableDxaText(facts)}`, inputs: [] },
  ]);
}

/** Bone disease above osteopenia, or a recent fragility fracture, and no depression screen. */
function moodUnassessedFlag(facts: Facts, findings: BoneFindings): FiredFlag | null {
  const { recentFragilityFracture, latestFragilityFracture: fragility } = facts.bone;
  if (facts.mood.decidingScreen !== null) return null;
  if (!findings.moderate && !recentFragilityFracture) return null;
  const parts: Evidence[] = [...findings.moderateEvidence];
  if (recentFragilityFracture && fragility !== null) {
    parts.push(fractureEvidence(facts.asOfDay, fragility));
  }
  return fire("comorbidity.mood-unassessed", "moderate", parts, `; ${NO_SCREEN_TEXT}`);
}
