import type { Sex } from "./constants";
import { RULESET_POLICY, THRESHOLDS } from "./policy";
import type { WhoCategory } from "./types";

/**
 * WHO category of a T-score (SD units; WHO 1994, ISCD 2023): normal ≥ −1.0, low bone mass between,
 * osteoporosis ≤ −2.5, severe osteoporosis ≤ −2.5 with a fragility fracture.
 */
export function whoCategory(tScore: number, fragilityFracture = false): WhoCategory {
  if (tScore <= THRESHOLDS.who.osteoporosisMaxT) {
    return fragilityFracture ? "severe-osteoporosis" : "osteoporosis";
  }
  if (tScore < THRESHOLDS.who.normalMinT) return "low-bone-mass";
  return "normal";
}

/**
 * Whether WHO categories and BHOF criteria apply (ISCD 2023: postmenopausal women, men ≥ 50 years).
 * Policy: a woman with menopausal status not recorded counts as postmenopausal from 50; sex `other`
 * or `unknown` applies from 50. A recorded `postmenopausal: true` is honoured for `other`/`unknown`
 * too (a person can be postmenopausal whatever the recorded sex); it is ignored for `male`.
 */
export function isWhoApplicable(
  sex: Sex,
  postmenopausal: boolean | null | undefined,
  ageYears: number,
): boolean {
  const policy = RULESET_POLICY.whoApplicability;
  switch (sex) {
    case "female":
      if (postmenopausal === true) return true;
      if (postmenopausal === false) return false;
      return ageYears >= policy.postmenopausalUnknownFromAge;
    case "male":
      return ageYears >= THRESHOLDS.who.applicableMenFromAge;
    case "other":
    case "unknown":
      return postmenopausal === true || ageYears >= policy.otherOrUnknownSexFromAge;
    default: {
      const unreachable: never = sex;
      return unreachable;
    }
  }
}

/**
 * DXA indication by age and sex alone (years; USPSTF 2025: women ≥ 65; ISCD 2023: men ≥ 70; policy:
 * other or unknown sex ≥ 65). Fracture and medication indications are added by `assess`.
 */
export function hasAgeDxaIndication(sex: Sex, ageYears: number): boolean {
  switch (sex) {
    case "female":
      return ageYears >= THRESHOLDS.dxaIndication.womenFromAge;
    case "male":
      return ageYears >= THRESHOLDS.dxaIndication.menFromAge;
    case "other":
    case "unknown":
      return ageYears >= RULESET_POLICY.dxaIndicationOtherOrUnknownSexFromAge;
    default: {
      const unreachable: never = sex;
      return unreachable;
    }
  }
}
