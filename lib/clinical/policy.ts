import type { ObservationKind, Severity } from "./constants";

/** Version of the rules below; a change to any threshold or policy value needs a new version. */
export const RULESET_VERSION = "2026.12.0";

export interface FreshnessWindow {
  /** Inclusive: an observation exactly this many days old is still current. Null: no limit. */
  readonly currentDays: number | null;
  /** Inclusive: older observations are ignored by the rules and reported as missing. Null: no limit. */
  readonly usableDays: number | null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
    Object.freeze(value);
  }
  return value;
}

/**
 * Product choices (docs/CLINICAL-RULES.md §11), in one frozen object. Published thresholds live in
 * THRESHOLDS. Shown in the UI as policy; changed only with a new RULESET_VERSION.
 */
export const RULESET_POLICY = deepFreeze({
  /** §2: windows in whole calendar days from `effective` to `asOf`, both inclusive. */
  freshness: {
    phq9: { currentDays: 90, usableDays: 365 },
    phq2: { currentDays: 90, usableDays: 365 },
    gds15: { currentDays: 90, usableDays: 365 },
    bmd: { currentDays: 730, usableDays: 3650 },
    frax: { currentDays: 730, usableDays: 1825 },
    vitaminD: { currentDays: 365, usableDays: 730 },
    falls: { currentDays: 365, usableDays: 365 },
    fracture: { currentDays: null, usableDays: null },
    medication: { currentDays: null, usableDays: null },
  } satisfies Record<ObservationKind, FreshnessWindow>,
  /**
   * §3: a questionnaire with an unanswered item has no total (no prorating); its answered items
   * still make a positive screen when they alone reach the cut-off (a lower bound).
   */
  prorateIncompleteQuestionnaires: false,
  /** §4: who the WHO categories and BHOF criteria apply to. */
  whoApplicability: {
    /** A woman whose menopausal status is not recorded counts as postmenopausal from this age. */
    postmenopausalUnknownFromAge: 50,
    /** Sex `other` or `unknown` counts as applicable from this age. */
    otherOrUnknownSexFromAge: 50,
  },
  /** §4: "adults" with a fragility fracture or a bone-loss medication have a DXA indication. */
  adultFromAge: 18,
  /** §4: sex `other` or `unknown` has a DXA indication from this age. */
  dxaIndicationOtherOrUnknownSexFromAge: 65,
  /** §4: a DXA is repeated (when there is a reason to repeat) once the latest is older than this. */
  dxaRepeatIntervalDays: 730,
  /** §8: a fragility fracture this recent prompts a mood screen (depression.screen-due, comorbidity.mood-unassessed). */
  recentFragilityFractureDays: 730,
  /** §8 depression.not-improving: minimum days between the earlier PHQ-9 ≥ 10 and the deciding one. */
  notImprovingMinIntervalDays: 70,
  /** §8 meds.denosumab-stopped: look-back from `asOf` to the stop date, inclusive. */
  denosumabStoppedWindowDays: 365,
  /**
   * Worklist due date of a new flag, in days after it opens, by severity. `info` flags have no due
   * date (null): they inform, and are never overdue.
   */
  dueDays: { critical: 0, high: 7, moderate: 30, low: 90, info: null } satisfies Record<
    Severity,
    number | null
  >,
});

export type RulesetPolicy = typeof RULESET_POLICY;

/** Published thresholds, with the source each comes from (evidence ids in EVIDENCE). */
export const THRESHOLDS = deepFreeze({
  /** Kroenke 2001: bands 0–4, 5–9, 10–14, 15–19, 20–27; ≥ 10 positive. */
  phq9: { mild: 5, moderate: 10, moderatelySevere: 15, severe: 20, positive: 10, max: 27 },
  /** Kroenke 2003: positive at ≥ 3. */
  phq2: { positive: 3, max: 6 },
  /** Sheikh & Yesavage 1986: ≥ 5 suggests depression, ≥ 10 almost always depression. */
  gds15: { suggests: 5, probable: 10, max: 15, reverseScoredItems: [1, 5, 7, 11, 13] },
  /** WHO 1994 / ISCD 2023. */
  who: { normalMinT: -1.0, osteoporosisMaxT: -2.5, applicableMenFromAge: 50 },
  /** ISCD 2023: Z ≤ −2.0 is below the expected range for age. */
  lowForAgeMaxZ: -2.0,
  /** BHOF 2022: FRAX 10-year probabilities. */
  frax: { majorOsteoporoticPct: 20, hipPct: 3 },
  /** IOM 2011, BHOF 2022, UCSF laboratory, Holick 2007 (ng/mL). */
  vitaminD: {
    nmolPerNg: 2.496,
    deficientBelow: 12,
    sufficientFrom: 20,
    boneTargetFrom: 30,
    aboveTargetAbove: 50,
    highAbove: 100,
    toxicAbove: 150,
  },
  /**
   * ACR 2022: ≥ 2.5 mg/day prednisone-equivalent for ≥ 3 months, counted from the start of a course
   * planned that long, else once it has run > 90 days.
   */
  glucocorticoid: { minMgPerDay: 2.5, moreThanDays: 90 },
  /** USPSTF 2025 (women), ISCD 2023 (men). */
  dxaIndication: { womenFromAge: 65, menFromAge: 70 },
  /** USPSTF 2023 screening applies to older adults; the mood screen prompt starts here. */
  olderAdultFromAge: 65,
  /** §8 comorbidity.bone-unassessed. */
  boneUnassessedFromAge: 50,
  /** IOF 2020 KPIs: DXA within 12 weeks, treatment 16 weeks, on treatment 52 weeks. */
  fls: { dxaWeeks: 12, treatmentWeeks: 16, followupWeeks: 52 },
  /** STEADI: two or more falls call for a multifactorial assessment. */
  falls: { multipleFalls: 2 },
  /** AIMS treat-to-target: response is a ≥ 50 % reduction of the PHQ-9. */
  responseFraction: 0.5,
});
