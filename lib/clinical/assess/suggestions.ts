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

/**
 * While 25(OH)D is above target no suggestion advises taking vitamin D or calcium, whatever else
 * would call for it (§5: contradictory advice otherwise).
 */
const ABOVE_TARGET_FLAGS: ReadonlySet<FlagCode> = new Set([
  "vitd.above-target",
  "vitd.high",
  "safety.vitamin-d-toxicity",
]);

/**
 * A vitamin D recheck needs an indication (§5): a bone flag, a fragility fracture, a glucocorticoid
 * or a low result; these are the flags that carry one.
 */
const RECHECK_INDICATIONS: ReadonlySet<FlagCode> = new Set([
  "bone.osteopenia",
  "bone.osteoporosis",
  "bone.severe-osteoporosis",
  "bone.low-for-age",
  "bone.high-fracture-risk",
  "vitd.deficient",
  "vitd.inadequate",
  "vitd.below-bone-target",
  "meds.glucocorticoid-bone-risk",
]);

type SuggestionsOfFlag =
  readonly SuggestionId[] | ((context: SuggestionContext) => readonly SuggestionId[]);

/** Suggestions a flag triggers by itself (stale inputs add their "due" suggestion on top). */
const SUGGESTIONS_BY_FLAG: { readonly [Code in FlagCode]: SuggestionsOfFlag } = {
  "safety.suicide-risk": ["suicide-risk-same-day"],
  "safety.suicide-item-unknown": ["phq9-item9-ask"],
  "safety.vitamin-d-toxicity": ["vitamin-d-toxicity-action"],
  "depression.positive": (context) =>
    context.decidingKind === "phq2"
      ? ["depression-evaluate-treat", "phq9-after-positive-phq2", "exercise-programme"]
      : ["depression-evaluate-treat", "exercise-programme"],
  "depression.mild-symptoms": ["exercise-programme"],
  "depression.not-improving": ["depression-treat-to-target"],
  "depression.screen-due": (context) =>
    context.screenDueBoneReason ? ["mood-screen-bone-patient"] : ["depression-screen-due"],
  "bone.severe-osteoporosis": ["vitamin-d-calcium", "exercise-programme"],
  "bone.osteoporosis": ["vitamin-d-calcium", "exercise-programme"],
  "bone.osteopenia": ["exercise-programme"],
  "bone.low-for-age": ["exercise-programme"],
  "bone.high-fracture-risk": ["exercise-programme"],
  "bone.treatment-gap": ["osteoporosis-pharmacotherapy", "vitamin-d-calcium"],
  "bone.fracture-followup-due": ["fracture-liaison-referral"],
  "bone.dxa-due": (context) => (context.hasUsableBmd ? ["repeat-dxa-due"] : ["dxa-scan-due"]),
  "vitd.deficient": ["vitamin-d-calcium"],
  "vitd.inadequate": ["vitamin-d-calcium"],
  "vitd.below-bone-target": ["vitamin-d-calcium"],
  "vitd.above-target": ["vitamin-d-excess-review"],
  "vitd.high": ["vitamin-d-excess-review"],
  "falls.at-risk": ["steadi-falls-assessment", "exercise-programme"],
  "falls.screen-due": ["steadi-falls-assessment"],
  "meds.antidepressant-bone-risk": ["antidepressant-bone-risk-review"],
  "meds.glucocorticoid-bone-risk": ["glucocorticoid-bone-care", "vitamin-d-calcium"],
  "meds.fall-risk-drugs": ["fall-risk-drug-review"],
  "meds.denosumab-stopped": ["denosumab-follow-on"],
  "comorbidity.bone-brain": [
    "integrated-care-plan",
    "exercise-programme",
    "sleep-circadian",
    "investigational-neuromodulation",
    "investigational-bone-signal-therapy",
  ],
  "comorbidity.bone-unassessed": ["dxa-frax-depressed-older-adult"],
  "comorbidity.mood-unassessed": ["mood-screen-bone-patient"],
};

function suggestionsForFlag(code: FlagCode, context: SuggestionContext): readonly SuggestionId[] {
  const suggestions = SUGGESTIONS_BY_FLAG[code];
  return typeof suggestions === "function" ? suggestions(context) : suggestions;
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
  const aboveTarget = flags.some((flag) => ABOVE_TARGET_FLAGS.has(flag.code));
  const recheckIndicated =
    facts.bone.latestFragilityFracture !== null ||
    facts.medications.activeClasses.has("glucocorticoid") ||
    flags.some((flag) => RECHECK_INDICATIONS.has(flag.code));
  for (const flag of flags) {
    for (const id of suggestionsForFlag(flag.code, context)) {
      if (id === "vitamin-d-calcium" && aboveTarget) continue;
      add(id, flag.code);
    }
    for (const item of flag.inputs) {
      if (!item.stale) continue;
      const due = dueSuggestionFor(item.kind);
      if (due === null) continue;
      if (due === "vitamin-d-recheck" && !recheckIndicated) continue;
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
