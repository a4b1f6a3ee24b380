import { RULESET_VERSION } from "../policy";
import { priorityFromFlags } from "../rules";
import type { AssessInput } from "../schemas";
import type { Assessment } from "../types";
import { buildDataStatus } from "./data-status";
import { collectFacts } from "./facts";
import { sortFlags, toFlag } from "./flags";
import { boneFindings, boneFlags } from "./rules/bone";
import { comorbidityFlags } from "./rules/comorbidity";
import { depressionFlags } from "./rules/depression";
import { fallsFlags } from "./rules/falls";
import { medicationFlags } from "./rules/medications";
import { safetyFlags } from "./rules/safety";
import { vitaminDFlags } from "./rules/vitamin-d";
import { buildScores } from "./scores";
import { buildSuggestions } from "./suggestions";

/*
 * The rules engine (docs/CLINICAL-RULES.md). A pipeline: the facts are collected once (facts.ts),
 * each area's rules read them and return the flags they fire (rules/<area>.ts fires the codes
 * `<area>.*`; vitd.* in vitamin-d.ts, meds.* in medications.ts), then suggestions, scores and data
 * status are built. The bone findings are the one result that other areas rest on, so bone runs
 * first. No zod here: `assess` takes validated input.
 */

/** Assesses one patient on `asOf` by the clinical rules (validated input; pure and deterministic). */
export function assess(input: AssessInput): Assessment {
  const facts = collectFacts(input);
  const bone = boneFlags(facts);
  const findings = boneFindings(bone);
  const fired = [
    ...safetyFlags(facts),
    ...depressionFlags(facts, findings),
    ...bone,
    ...vitaminDFlags(facts, findings),
    ...fallsFlags(facts),
    ...medicationFlags(facts, findings),
    ...comorbidityFlags(facts, findings),
  ];
  const flags = sortFlags(fired.map(toFlag));
  return {
    rulesetVersion: RULESET_VERSION,
    asOf: input.asOf,
    priority: priorityFromFlags(flags),
    flags,
    suggestions: buildSuggestions(flags, facts, findings),
    scores: buildScores(facts),
    dataStatus: buildDataStatus(facts),
  };
}
