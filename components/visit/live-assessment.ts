import { assess } from "@/lib/clinical/assess";
import type { Sex } from "@/lib/clinical/constants";
import { validateObservations, type Observation } from "@/lib/clinical/schemas";
import type { Assessment, Scores } from "@/lib/clinical/types";

/** The patient fields the rules need. */
export interface AssessPatient {
  birthDate: string;
  sex: Sex;
  postmenopausal: boolean | null;
}

/** A stored observation as the live preview needs it. */
export interface StoredObservation {
  effective: string;
  payload: Observation;
  enteredInError: unknown;
}

/**
 * The live preview of a visit: `assess` (the same pure engine as the server) on the patient's
 * stored observations that are not retracted and not after the visit date, plus the new ones.
 * Returns null when the visit date is not a date yet.
 */
export function liveAssessment(
  patient: AssessPatient,
  stored: readonly StoredObservation[],
  added: readonly Observation[],
  asOf: string,
): Assessment | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || patient.birthDate > asOf) return null;
  return assessOn(patient, [...usableStored(stored, asOf), ...added], asOf);
}

/** The stored observations the rules may use on `asOf`: not retracted, not after it, valid. */
function usableStored(stored: readonly StoredObservation[], asOf: string): Observation[] {
  const usable: Observation[] = [];
  for (const row of stored) {
    if (row.enteredInError || row.effective > asOf) continue;
    const checked = validateObservations([row.payload], asOf);
    if (checked.status === "valid" && checked.input[0]) usable.push(checked.input[0]);
  }
  return usable;
}

function assessOn(patient: AssessPatient, observations: Observation[], asOf: string): Assessment {
  return assess({
    asOf,
    patient: {
      birthDate: patient.birthDate,
      sex: patient.sex,
      postmenopausal: patient.postmenopausal,
    },
    observations,
  });
}

/**
 * The scores of this visit's entries alone, and the scores on record before it (each dated), so
 * that the live panel never shows a past result as one of this visit.
 */
export function splitScores(
  patient: AssessPatient,
  stored: readonly StoredObservation[],
  added: readonly Observation[],
  asOf: string,
): { visit: Scores; last: Scores } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || patient.birthDate > asOf) return null;
  return {
    visit: assessOn(patient, [...added], asOf).scores,
    last: assessOn(patient, usableStored(stored, asOf), asOf).scores,
  };
}

/**
 * The suicide-risk banner of the form: shown when item 9 is entered above 0 here, or when the
 * assessment holds a critical suicide-risk flag; `item9` is the answer it names (null for none).
 */
export function suicideBanner(
  assessment: Assessment | null,
  item9: number | null,
): { show: boolean; item9: number | null } {
  const entered = item9 !== null && item9 > 0 ? item9 : null;
  const stored =
    assessment?.flags.some((f) => f.code === "safety.suicide-risk" && f.severity === "critical") ??
    false;
  return { show: entered !== null || stored, item9: entered };
}
