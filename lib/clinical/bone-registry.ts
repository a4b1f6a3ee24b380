import { collectFacts } from "./assess/facts";
import { OSTEOPOROSIS_TREATMENT_CLASSES } from "./constants";
import { dayNumber } from "./dates";
import { RULESET_POLICY } from "./policy";
import type { AssessInput } from "./schemas";

/*
 * Bone treat-to-target (docs/CLINICAL-RULES.md §4 and §11): where a patient in bone care stands,
 * from the same facts the rules read. Pure, like the rules: `asOf` comes in.
 */

const TREATMENTS: ReadonlySet<string> = new Set(OSTEOPOROSIS_TREATMENT_CLASSES);

/** What the registry shows of one patient's bone care on `asOf`. */
export interface BoneCareStatus {
  /** The latest usable BMD (DXA) and its day, null without one. */
  latestDxaOn: string | null;
  lowestTScore: number | null;
  /** The active osteoporosis treatments (§7) and the start of the earliest of them. */
  treatments: string[];
  treatmentStartedOn: string | null;
  /**
   * The day a follow-up DXA falls due on treatment: the policy repeat interval
   * (`dxaRepeatIntervalDays`, §11) after the latest DXA, since an active osteoporosis treatment is
   * a reason to repeat it (§4). Null off treatment or without a DXA (the rules' DXA-due flag
   * speaks then).
   */
  followUpDxaDue: string | null;
}

function plusDays(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** A patient's bone care on `asOf`, from their observations (the engine's own reading of them). */
export function boneCareStatus(input: AssessInput): BoneCareStatus {
  const facts = collectFacts(input);
  const latest = facts.bone.latestBmd;
  const active = facts.medications.active.filter((m) => TREATMENTS.has(m.obs.class));
  const started = active.map((m) => m.startedOn).sort()[0] ?? null;
  return {
    latestDxaOn: latest?.effective ?? null,
    lowestTScore: facts.bone.lowestT?.value ?? null,
    treatments: [...new Set(active.map((m) => m.obs.class))].sort(),
    treatmentStartedOn: started,
    followUpDxaDue:
      latest && active.length > 0
        ? plusDays(latest.effective, RULESET_POLICY.dxaRepeatIntervalDays)
        : null,
  };
}
