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
  const { asOfDay, age } = facts;
  const { decidingScreen: screen, positiveScreen } = facts.mood;
  const fragility = facts.bone.latestFragilityFracture;
  const flags: FiredFlag[] = [];

  if (screen !== null && positiveScreen) {
    const depression = screenEvidence(asOfDay, screen);
    if (findings.any || fragility !== null) {
      const parts: Evidence[] = [depression, ...findings.evidence];
      if (fragility !== null) parts.push(fractureEvidence(asOfDay, fragility));
      flags.push(fire("comorbidity.bone-brain", "high", parts));
    }
    if (age >= THRESHOLDS.boneUnassessedFromAge && facts.bone.latestBmd === null) {
      flags.push(
        fire("comorbidity.bone-unassessed", "moderate", [
          depression,
          { text: `age ${age}, ${noUsableDxaText(facts)}`, inputs: [] },
        ]),
      );
    }
  }

  const recentFragility = facts.bone.recentFragilityFracture;
  if (screen === null && (findings.moderate || recentFragility)) {
    const parts: Evidence[] = [...findings.moderateEvidence];
    if (recentFragility && fragility !== null) parts.push(fractureEvidence(asOfDay, fragility));
    flags.push(fire("comorbidity.mood-unassessed", "moderate", parts, `; ${NO_SCREEN_TEXT}`));
  }

  return flags;
}
