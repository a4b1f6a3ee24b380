import type { FlagCode } from "../constants";
import type { SuggestionId } from "../suggestions";
import { SUGGESTION_CATEGORY_RANK, SUGGESTIONS, dueSuggestionFor } from "../suggestions";
import type { DepressionScreenKind, Flag, Suggestion } from "../types";
import type { Facts } from "./facts";
import { compareFlagCodes } from "./flags";
import type { BoneFindings } from "./rules/bone";

/* Suggestions (CLINICAL-RULES.md §9): what each fired flag calls for, with the flags behind each. */

interface SuggestionContext {
  readonly decidingKind: DepressionScreenKind | null;
  /** The screen is due for a bone reason (a bone flag or a recent fragility fracture), not age. */
  readonly screenDueBoneReason: boolean;
  readonly hasUsableBmd: boolean;
  /** The deciding depression screen exists and is current. */
  readonly currentScreen: boolean;
}

/** Suggestions a flag triggers by itself (stale inputs add their "due" suggestion on top). */
function suggestionsForFlag(code: FlagCode, context: SuggestionContext): readonly SuggestionId[] {
  switch (code) {
    case "safety.suicide-risk":
      return ["suicide-risk-same-day"];
    case "safety.suicide-item-unknown":
      return ["phq9-item9-ask"];
    case "safety.vitamin-d-toxicity":
      return ["vitamin-d-toxicity-action"];
    case "depression.positive":
      return context.decidingKind === "phq2"
        ? ["depression-evaluate-treat", "phq9-after-positive-phq2", "exercise-programme"]
        : ["depression-evaluate-treat", "exercise-programme"];
    case "depression.mild-symptoms":
      return ["exercise-programme"];
    case "depression.not-improving":
      return ["depression-treat-to-target"];
    case "depression.screen-due":
      return context.screenDueBoneReason ? ["mood-screen-bone-patient"] : ["depression-screen-due"];
    case "bone.severe-osteoporosis":
    case "bone.osteoporosis":
      return ["vitamin-d-calcium", "exercise-programme"];
    case "bone.osteopenia":
    case "bone.low-for-age":
    case "bone.high-fracture-risk":
      return ["exercise-programme"];
    case "bone.treatment-gap":
      return ["osteoporosis-pharmacotherapy", "vitamin-d-calcium"];
    case "bone.fracture-followup-due":
      return ["fracture-liaison-referral"];
    case "bone.dxa-due":
      return context.hasUsableBmd ? ["repeat-dxa-due"] : ["dxa-scan-due"];
    case "vitd.deficient":
    case "vitd.inadequate":
    case "vitd.below-bone-target":
      return ["vitamin-d-calcium"];
    case "vitd.above-target":
    case "vitd.high":
      return ["vitamin-d-excess-review"];
    case "falls.at-risk":
      return ["steadi-falls-assessment", "exercise-programme"];
    case "falls.screen-due":
      return ["steadi-falls-assessment"];
    case "meds.antidepressant-bone-risk":
      return ["antidepressant-bone-risk-review"];
    case "meds.glucocorticoid-bone-risk":
      return ["glucocorticoid-bone-care", "vitamin-d-calcium"];
    case "meds.fall-risk-drugs":
      return ["fall-risk-drug-review"];
    case "meds.denosumab-stopped":
      return ["denosumab-follow-on"];
    case "comorbidity.bone-brain":
      return [
        "integrated-care-plan",
        "exercise-programme",
        "sleep-circadian",
        "investigational-neuromodulation",
        "investigational-bone-signal-therapy",
      ];
    case "comorbidity.bone-unassessed":
      return ["dxa-frax-depressed-older-adult"];
    case "comorbidity.mood-unassessed":
      return ["mood-screen-bone-patient"];
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** By category (act-now … investigational), then id; each with its triggering flags. */
export function buildSuggestions(
  flags: readonly Flag[],
  facts: Facts,
  findings: BoneFindings,
): Suggestion[] {
  const context: SuggestionContext = {
    decidingKind: facts.mood.decidingScreen?.kind ?? null,
    screenDueBoneReason: findings.any || facts.bone.recentFragilityFracture,
    hasUsableBmd: facts.bone.latestBmd !== null,
    currentScreen: facts.mood.currentScreen,
  };
  const triggers = new Map<SuggestionId, Set<FlagCode>>();
  const add = (id: SuggestionId, code: FlagCode): void => {
    let set = triggers.get(id);
    if (set === undefined) {
      set = new Set();
      triggers.set(id, set);
    }
    set.add(code);
  };
  for (const flag of flags) {
    for (const id of suggestionsForFlag(flag.code, context)) add(id, flag.code);
    for (const item of flag.inputs) {
      if (!item.stale) continue;
      const due = dueSuggestionFor(item.kind);
      if (due === null) continue;
      // An old mood result next to a current complete screen (the baseline of "not improving", an
      // older PHQ-9 without item 9) needs no rescreen; a stale item 9 answer always does.
      if (
        due === "rescreen-depression-due" &&
        context.currentScreen &&
        flag.code !== "safety.suicide-risk"
      ) {
        continue;
      }
      add(due, flag.code);
    }
  }
  const result: Suggestion[] = [];
  for (const [id, codes] of triggers) {
    const definition = SUGGESTIONS[id];
    result.push({
      id,
      title: definition.title,
      detail: definition.detail,
      category: definition.category,
      triggeredBy: [...codes].sort(compareFlagCodes),
      sources: definition.sources,
    });
  }
  return result.sort(
    (a, b) =>
      SUGGESTION_CATEGORY_RANK[a.category] - SUGGESTION_CATEGORY_RANK[b.category] ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
