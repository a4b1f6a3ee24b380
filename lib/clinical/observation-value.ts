import { answeredSum, gds15AnsweredPoints, gds15Total, phq2Total, phq9Total } from "./instruments";
import type { Gds15Observation, Observation, Phq2Observation, Phq9Observation } from "./schemas";
import { toNgPerMl } from "./vitamin-d";

/**
 * Total of a questionnaire: scored from its answers when they are given (null when one is
 * unanswered: no prorating), else the total entered alone.
 */
export function questionnaireTotal(
  obs: Phq9Observation | Phq2Observation | Gds15Observation,
): number | null {
  switch (obs.kind) {
    case "phq9":
      return obs.items !== undefined ? phq9Total(obs.items) : (obs.total ?? null);
    case "phq2":
      return obs.items !== undefined ? phq2Total(obs.items) : (obs.total ?? null);
    case "gds15":
      return obs.answers !== undefined ? gds15Total(obs.answers) : (obs.total ?? null);
    default: {
      const unreachable: never = obs;
      return unreachable;
    }
  }
}

/**
 * The score of a questionnaire's answered items: its total when complete or entered alone, else
 * the lower bound its answers already give (never prorated upwards).
 */
export function questionnaireAnsweredScore(
  obs: Phq9Observation | Phq2Observation | Gds15Observation,
): number {
  switch (obs.kind) {
    case "phq9":
    case "phq2":
      return obs.items !== undefined ? answeredSum(obs.items) : (obs.total ?? 0);
    case "gds15":
      return obs.answers !== undefined ? gds15AnsweredPoints(obs.answers) : (obs.total ?? 0);
    default: {
      const unreachable: never = obs;
      return unreachable;
    }
  }
}

/**
 * One number per observation for SQL aggregation: PHQ-9/PHQ-2/GDS-15 total (null when incomplete),
 * T-score (else Z-score, SD units), FRAX major osteoporotic %, 25(OH)D in ng/mL (nmol/L ÷ 2.496),
 * falls in the past 12 months; null for fractures and medications.
 */
export function observationValueNum(obs: Observation): number | null {
  switch (obs.kind) {
    case "phq9":
    case "phq2":
    case "gds15":
      return questionnaireTotal(obs);
    case "bmd":
      return obs.tScore ?? obs.zScore ?? null;
    case "frax":
      return obs.majorOsteoporoticPct;
    case "vitaminD":
      return toNgPerMl(obs.value, obs.unit);
    case "falls":
      return obs.countPast12Months;
    case "fracture":
    case "medication":
      return null;
    default: {
      const unreachable: never = obs;
      return unreachable;
    }
  }
}
