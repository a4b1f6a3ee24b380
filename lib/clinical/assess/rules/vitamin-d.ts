import type { Facts } from "../facts";
import type { FiredFlag } from "../flags";
import { fire } from "../flags";
import { vitaminDEvidence } from "../rationale";
import type { BoneFindings } from "./bone";

/*
 * Vitamin D flags (CLINICAL-RULES.md §5), one per band of the latest usable 25(OH)D. The toxic band
 * is a safety flag (safety.ts).
 */

export function vitaminDFlags(facts: Facts, findings: BoneFindings): FiredFlag[] {
  const entry = facts.vitaminD;
  if (entry === null) return [];
  const evidence = vitaminDEvidence(facts.asOfDay, entry);
  switch (entry.band) {
    case "toxic":
      return [];
    case "high":
      return [fire("vitd.high", "moderate", [evidence])];
    case "above-target":
      return [fire("vitd.above-target", "info", [evidence])];
    case "bone-target":
      return [];
    case "sufficient":
      // Enough in general, below the 30 ng/mL target in bone disease.
      return findings.any
        ? [fire("vitd.below-bone-target", "low", [evidence, ...findings.evidence])]
        : [];
    case "inadequate":
      return [fire("vitd.inadequate", "low", [evidence])];
    case "deficient":
      return [fire("vitd.deficient", "moderate", [evidence])];
    default: {
      const unreachable: never = entry.band;
      return unreachable;
    }
  }
}
