import { daysBetween } from "./dates";
import { RULESET_POLICY, THRESHOLDS } from "./policy";

/*
 * Treat-to-target (collaborative care, docs/CLINICAL-RULES.md §8): where a patient in depression
 * care stands against the target, from the thresholds of the ruleset. Pure, like the rules.
 */

export const TTT_STATUSES = ["remission", "response", "not-improving", "in-progress"] as const;
export type TreatToTargetStatus = (typeof TTT_STATUSES)[number];
/**
 * Where a patient in depression care stands against the target (docs/CLINICAL-RULES.md §8, the
 * thresholds of lib/clinical): remission when the latest PHQ-9 is below the mild band (< 5);
 * response when it fell by at least half from the baseline; not improving when it is still
 * positive (≥ 10) and less than halved with the two at least the policy interval (10 weeks) apart;
 * otherwise in progress. Needs a later PHQ-9 than the baseline to say anything but in progress.
 */
export function treatToTargetStatus(
  baseline: { total: number; on: string } | null,
  latest: { total: number; on: string } | null,
): TreatToTargetStatus {
  if (!baseline || !latest || latest.on <= baseline.on) return "in-progress";
  if (latest.total < THRESHOLDS.phq9.mild) return "remission";
  if (latest.total <= baseline.total * (1 - THRESHOLDS.responseFraction)) return "response";
  if (
    baseline.total >= THRESHOLDS.phq9.positive &&
    latest.total >= THRESHOLDS.phq9.positive &&
    daysBetween(baseline.on, latest.on) >= RULESET_POLICY.notImprovingMinIntervalDays
  ) {
    return "not-improving";
  }
  return "in-progress";
}
