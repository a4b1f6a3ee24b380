import { RULESET_POLICY, THRESHOLDS } from "../../policy";
import { formatDate } from "../../dates";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import { fallsEvidence } from "../rationale";

/* Falls flags (CLINICAL-RULES.md §6): a positive STEADI screen, or an older adult not screened. */

export function fallsFlags(facts: Facts): FiredFlag[] {
  const { falls, age } = facts;
  if (falls !== null) {
    const evidence = fallsEvidence(facts.asOfDay, falls);
    if (evidence === null) return [];
    // Two or more falls, or an injurious one, call for a multifactorial assessment.
    const multifactorial = falls.count >= THRESHOLDS.falls.multipleFalls || falls.injurious;
    return [fire("falls.at-risk", multifactorial ? "moderate" : "low", [evidence])];
  }
  if (age < THRESHOLDS.olderAdultFromAge) return [];
  const last = facts.newest.get("falls");
  return [
    fire("falls.screen-due", "low", [
      {
        text: `Age ${age}, no falls screen within ${RULESET_POLICY.freshness.falls.usableDays ?? 0} days${last !== undefined ? ` (last ${formatDate(last.effective)})` : ""}`,
        inputs: [],
      },
    ]),
  ];
}
