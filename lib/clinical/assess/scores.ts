import { whoCategory } from "../bone";
import type { ObservationKind } from "../constants";
import { MEDICATION_CLASSES } from "../constants";
import { gds15Band, phq2Band, phq9Band } from "../instruments";
import type { QuestionnaireScore, Scores } from "../types";
import { toNmolPerL } from "../vitamin-d";
import type { Dated, ScoredEntry } from "./entries";
import { isStale } from "./entries";
import type { Facts } from "./facts";

/* The scores block of the assessment (CLINICAL-RULES.md §1): the facts as shown, with freshness. */

/** The latest PHQ-2 or GDS-15: its total and band, or incomplete (no prorating). */
function questionnaireScore<Band>(
  facts: Facts,
  kind: "phq2" | "gds15",
  entry: ScoredEntry | null,
  bandOf: (total: number) => Band,
): QuestionnaireScore<Band> | null {
  if (entry === null) return null;
  return {
    total: entry.total,
    band: entry.total === null ? null : bandOf(entry.total),
    complete: entry.total !== null,
    effective: entry.effective,
    stale: isStale(kind, facts.asOfDay - entry.day),
  };
}

export function buildScores(facts: Facts): Scores {
  const stale = (kind: ObservationKind, dated: Dated): boolean =>
    isStale(kind, facts.asOfDay - dated.day);
  const { latestPhq9, latestPhq2, latestGds15, decidingScreen: screen } = facts.mood;
  const { frax, lowestT } = facts.bone;
  const { vitaminD, falls } = facts;
  return {
    age: facts.age,
    phq9:
      latestPhq9 === null
        ? null
        : {
            total: latestPhq9.total,
            band: latestPhq9.total === null ? null : phq9Band(latestPhq9.total),
            item9: latestPhq9.item9,
            complete: latestPhq9.total !== null,
            effective: latestPhq9.effective,
            stale: stale("phq9", latestPhq9),
          },
    phq2: questionnaireScore(facts, "phq2", latestPhq2, phq2Band),
    gds15: questionnaireScore(facts, "gds15", latestGds15, gds15Band),
    depressionScreen:
      screen === null
        ? null
        : {
            kind: screen.kind,
            total: screen.total,
            atLeast: screen.atLeast,
            positive: facts.mood.positiveScreen,
            effective: screen.effective,
            stale: stale(screen.kind, screen),
          },
    lowestTScore: lowestT,
    lowestCentralTScore: facts.bone.lowestCentralT,
    lowestZScore: facts.bone.lowestZ,
    whoApplicable: facts.bone.whoApplicable,
    whoCategory: !facts.bone.whoApplicable
      ? "not-applicable"
      : lowestT === null
        ? null
        : whoCategory(lowestT.value, facts.bone.latestFragilityFracture !== null),
    frax:
      frax === null
        ? null
        : {
            majorOsteoporoticPct: frax.obs.majorOsteoporoticPct,
            hipPct: frax.obs.hipPct,
            withBmd: frax.obs.withBmd,
            high: facts.bone.fraxHigh,
            effective: frax.effective,
            stale: stale("frax", frax),
          },
    vitaminD:
      vitaminD === null
        ? null
        : {
            value: vitaminD.obs.value,
            unit: vitaminD.obs.unit,
            ngPerMl: vitaminD.ng,
            nmolPerL: toNmolPerL(vitaminD.obs.value, vitaminD.obs.unit),
            band: vitaminD.band,
            effective: vitaminD.effective,
            stale: stale("vitaminD", vitaminD),
          },
    vitaminDNgPerMl: vitaminD === null ? null : vitaminD.ng,
    vitaminDBand: vitaminD === null ? null : vitaminD.band,
    falls:
      falls === null
        ? null
        : {
            countPast12Months: falls.count,
            injurious: falls.injurious,
            unsteady: falls.unsteady,
            worriedAboutFalling: falls.worried,
            atRisk: falls.atRisk,
            effective: falls.effective,
            stale: stale("falls", falls),
          },
    activeMedicationClasses: MEDICATION_CLASSES.filter((c) =>
      facts.medications.activeClasses.has(c),
    ),
    osteoporosisTreatmentActive: facts.medications.osteoporosisTreatmentActive,
  };
}
