import { THRESHOLDS } from "../../policy";
import { isStale } from "../entries";
import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import { flagInput, vitaminDEvidence, when } from "../rationale";

/*
 * Safety flags (CLINICAL-RULES.md §3, §5): PHQ-9 item 9, an unknown item 9, and a toxic vitamin D.
 * The other vitamin D bands are in vitamin-d.ts.
 */

export function safetyFlags(facts: Facts): FiredFlag[] {
  return [
    suicideRiskFlag(facts),
    suicideItemUnknownFlag(facts),
    vitaminDToxicityFlag(facts),
  ].filter((flag) => flag !== null);
}

/** Whatever the total: the latest recorded item 9 answer decides. */
function suicideRiskFlag(facts: Facts): FiredFlag | null {
  const { asOfDay } = facts;
  const { latestItem9 } = facts.mood;
  if (latestItem9 === null || (latestItem9.item9 ?? 0) < 1) return null;
  const current = !isStale("phq9", asOfDay - latestItem9.day);
  const answer = `PHQ-9 item 9 = ${latestItem9.item9 ?? 0}`;
  return fire("safety.suicide-risk", current ? "critical" : "high", [
    {
      text: `${answer} ${when(asOfDay, "phq9", latestItem9)}`,
      inputs: [flagInput(asOfDay, "phq9", latestItem9, answer)],
    },
  ]);
}

/**
 * The latest PHQ-9's day has no item 9 answer at all. With moderate symptoms or worse (the total,
 * or the answered items, at the positive cut-off) item 9 is asked the same day: a positive screen
 * is followed by further evaluation before the patient leaves.
 */
function suicideItemUnknownFlag(facts: Facts): FiredFlag | null {
  const { latestPhq9, latestPhq9DayHasItem9 } = facts.mood;
  if (latestPhq9 === null || latestPhq9DayHasItem9) return null;
  const askToday = latestPhq9.answered >= THRESHOLDS.phq9.positive;
  const what =
    latestPhq9.total !== null
      ? `PHQ-9 total ${latestPhq9.total} without item 9`
      : `PHQ-9 with item 9 unanswered (answered items ${latestPhq9.answered})`;
  return fire(
    "safety.suicide-item-unknown",
    askToday ? "high" : "moderate",
    [
      {
        text: `Latest ${what} ${when(facts.asOfDay, "phq9", latestPhq9)}`,
        inputs: [flagInput(facts.asOfDay, "phq9", latestPhq9, what)],
      },
    ],
    askToday ? ": suicide risk unknown; ask item 9 today" : ": suicide risk unknown",
  );
}

function vitaminDToxicityFlag(facts: Facts): FiredFlag | null {
  if (facts.vitaminD === null || facts.vitaminD.band !== "toxic") return null;
  return fire("safety.vitamin-d-toxicity", "high", [
    vitaminDEvidence(facts.asOfDay, facts.vitaminD),
  ]);
}
