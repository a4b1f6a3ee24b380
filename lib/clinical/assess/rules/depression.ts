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
  return [...screenResultFlags(facts), screenDueFlag(facts, findings)].filter(
    (flag) => flag !== null,
  );
}

/** The deciding screen's result: positive (and maybe not improving), or mild symptoms. */
function screenResultFlags(facts: Facts): FiredFlag[] {
  const { decidingScreen: screen, positiveScreen } = facts.mood;
  if (screen === null) return [];
  if (!positiveScreen) {
    return screen.kind === "phq9" && screen.total >= THRESHOLDS.phq9.mild
      ? [fire("depression.mild-symptoms", "low", [screenEvidence(facts.asOfDay, screen)])]
      : [];
  }
  const evidence = [screenEvidence(facts.asOfDay, screen)];
  const positive = (high: boolean, suffix = ""): FiredFlag =>
    fire("depression.positive", high ? "high" : "moderate", evidence, suffix);
  switch (screen.kind) {
    case "phq9":
      return [
        positive(screen.total >= THRESHOLDS.phq9.moderatelySevere),
        // Treat-to-target compares complete questionnaires only: a lower bound says nothing of
        // a response.
        ...(screen.atLeast ? [] : notImproving(facts, screen)),
      ];
    case "gds15":
      return [positive(screen.total >= THRESHOLDS.gds15.probable)];
    case "phq2":
      return [positive(false, "; follow with a PHQ-9")];
    default: {
      const unreachable: never = screen.kind;
      return unreachable;
    }
  }
}

/** No deciding screen, in an older adult or a patient with bone disease or a recent fracture. */
function screenDueFlag(facts: Facts, findings: BoneFindings): FiredFlag | null {
  const { age } = facts;
  const { recentFragilityFracture, latestFragilityFracture: fragility } = facts.bone;
  const olderAdult = age >= THRESHOLDS.olderAdultFromAge;
  if (facts.mood.decidingScreen !== null) return null;
  if (!olderAdult && !findings.any && !recentFragilityFracture) return null;
  const reasons: Evidence[] = [{ text: capitalize(NO_SCREEN_TEXT), inputs: [] }];
  if (olderAdult) reasons.push({ text: `age ${age}`, inputs: [] });
  if (findings.any) reasons.push(...findings.evidence);
  if (recentFragilityFracture && fragility !== null) {
    reasons.push(fractureEvidence(facts.asOfDay, fragility));
  }
  return fire("depression.screen-due", "low", reasons);
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
