import { formatDate } from "../../dates";
import { RULESET_POLICY, THRESHOLDS } from "../../policy";
import type { Phq9Entry, ScreenEntry } from "../entries";
import { bestOf } from "../entries";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import type { Evidence } from "../rationale";
import { NO_SCREEN_TEXT, flagInput, fractureEvidence, screenEvidence } from "../rationale";
import type { BoneFindings } from "./bone";

/*
 * Depression flags (CLINICAL-RULES.md §3): the deciding screen's result, treat-to-target, and the
 * screen due. Whether the deciding screen is positive is a fact (`facts.mood.positiveScreen`): the
 * scores and the comorbidity rules rest on the same decision.
 */

export function depressionFlags(facts: Facts, findings: BoneFindings): FiredFlag[] {
  const { asOfDay, age } = facts;
  const { decidingScreen: screen, positiveScreen } = facts.mood;
  const fragility = facts.bone.latestFragilityFracture;
  const flags: FiredFlag[] = [];

  if (screen !== null && positiveScreen) {
    const evidence = [screenEvidence(asOfDay, screen)];
    switch (screen.kind) {
      case "phq9":
        flags.push(
          fire(
            "depression.positive",
            screen.total >= THRESHOLDS.phq9.moderatelySevere ? "high" : "moderate",
            evidence,
          ),
        );
        flags.push(...notImproving(facts, screen));
        break;
      case "gds15":
        flags.push(
          fire(
            "depression.positive",
            screen.total >= THRESHOLDS.gds15.probable ? "high" : "moderate",
            evidence,
          ),
        );
        break;
      case "phq2":
        flags.push(fire("depression.positive", "moderate", evidence, "; follow with a PHQ-9"));
        break;
      default: {
        const unreachable: never = screen.kind;
        return unreachable;
      }
    }
  } else if (screen !== null && screen.kind === "phq9" && screen.total >= THRESHOLDS.phq9.mild) {
    flags.push(fire("depression.mild-symptoms", "low", [screenEvidence(asOfDay, screen)]));
  }

  const olderAdult = age >= THRESHOLDS.olderAdultFromAge;
  const recentFragility = facts.bone.recentFragilityFracture;
  if (screen === null && (olderAdult || findings.any || recentFragility)) {
    const reasons: Evidence[] = [{ text: capitalize(NO_SCREEN_TEXT), inputs: [] }];
    if (olderAdult) reasons.push({ text: `age ${age}`, inputs: [] });
    if (findings.any) reasons.push(...findings.evidence);
    if (recentFragility && fragility !== null) reasons.push(fractureEvidence(asOfDay, fragility));
    flags.push(fire("depression.screen-due", "low", reasons));
  }

  return flags;
}

/** Treat-to-target (AIMS): a positive PHQ-9 without a 50 % response to an earlier one. */
function notImproving(facts: Facts, screen: ScreenEntry): FiredFlag[] {
  const reference = notImprovingReference(facts.mood.completePhq9s, screen);
  if (reference === null) return [];
  return [
    fire(
      "depression.not-improving",
      "high",
      [
        screenEvidence(facts.asOfDay, screen),
        {
          // The baseline is old by definition: no "stale" note on it.
          text: `earlier PHQ-9 ${reference.total} on ${formatDate(reference.effective)}`,
          inputs: [flagInput(facts.asOfDay, "phq9", reference, `PHQ-9 total ${reference.total}`)],
        },
      ],
      `: less than a 50 % reduction in ${screen.day - reference.day} days`,
    ),
  ];
}

type CompletePhq9 = Phq9Entry & { readonly total: number };

/**
 * The earlier PHQ-9 that shows no 50 % response, if any: complete, ≥ 10, at least 70 days (policy)
 * before the deciding one, and the deciding total more than half of it. When several qualify, the
 * most recent (then the highest) is cited; any one is enough to fire (the more sensitive reading).
 */
function notImprovingReference(
  entries: readonly Phq9Entry[],
  deciding: ScreenEntry,
): CompletePhq9 | null {
  return bestOf(
    entries,
    (entry): entry is CompletePhq9 =>
      entry.total !== null &&
      entry.total >= THRESHOLDS.phq9.positive &&
      deciding.day - entry.day >= RULESET_POLICY.notImprovingMinIntervalDays &&
      2 * deciding.total > entry.total,
    (a, b) => a.day > b.day || (a.day === b.day && a.total > b.total),
  );
}

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}`;
}
