import type {
  BmdSite,
  DataStatusValue,
  FlagCode,
  MedicationClass,
  ObservationKind,
  Priority,
  Severity,
  VitaminDUnit,
} from "./constants";
import type { Gds15Band, Phq2Band, Phq9Band } from "./instruments";
import type { RuleDefinition } from "./rules";
import type { SuggestionDefinition, SuggestionId } from "./suggestions";
import type { VitaminDBand } from "./vitamin-d";

/** Output of `assess` (docs/CLINICAL-RULES.md §1). Plain JSON: stored as is. */

export interface FlagInput {
  readonly kind: ObservationKind;
  readonly effective: string;
  /** Short human value: "PHQ-9 total 14", "femoral_neck T -2.7". */
  readonly value: string | number;
  /** True when the observation is outside its `current` window (§2). */
  readonly stale: boolean;
}

/** A fired flag: its rule's code, title, thresholds and sources, with what fired it. */
export interface Flag extends Pick<RuleDefinition, "code" | "title" | "thresholds" | "sources"> {
  readonly severity: Severity;
  /** One line with the actual values and dates. */
  readonly rationale: string;
  readonly inputs: readonly FlagInput[];
}

/** A suggestion of the catalogue, with the flags that called for it. */
export interface Suggestion extends Omit<SuggestionDefinition, "id"> {
  readonly id: SuggestionId;
  /** Flag codes that triggered it, in FLAG_CODES order. */
  readonly triggeredBy: readonly FlagCode[];
}

export interface DataStatus {
  readonly kind: ObservationKind;
  readonly status: DataStatusValue;
  /** The newest observation of this kind, even when too old to use ("last DXA 11 years ago"). */
  readonly lastEffective?: string;
}

interface DatedScore {
  readonly effective: string;
  /** Outside the `current` window. */
  readonly stale: boolean;
}

/** A questionnaire's latest result. */
export interface QuestionnaireScore<Band> extends DatedScore {
  /** Null when an item is unanswered (no prorating). */
  readonly total: number | null;
  readonly band: Band | null;
  readonly complete: boolean;
}

export interface Phq9Score extends QuestionnaireScore<Phq9Band> {
  /** Null when not recorded (total entered alone, or item 9 unanswered). */
  readonly item9: number | null;
}

export type Phq2Score = QuestionnaireScore<Phq2Band>;

export type Gds15Score = QuestionnaireScore<Gds15Band>;

export type DepressionScreenKind = "phq9" | "phq2" | "gds15";

/** The screen that decides depression flags (§3). */
export interface DepressionScreen extends DatedScore {
  readonly kind: DepressionScreenKind;
  /** The total, or for an incomplete questionnaire the points of its answered items. */
  readonly total: number;
  /** True when `total` is an incomplete questionnaire's lower bound ("at least N"). */
  readonly atLeast: boolean;
  readonly positive: boolean;
}

export interface SiteScore extends DatedScore {
  readonly value: number;
  readonly site: BmdSite;
}

export type WhoCategory = "normal" | "low-bone-mass" | "osteoporosis" | "severe-osteoporosis";

export interface FraxScore extends DatedScore {
  readonly majorOsteoporoticPct: number;
  readonly hipPct: number;
  readonly withBmd: boolean;
  /** Major ≥ 20 % or hip ≥ 3 % (BHOF 2022). */
  readonly high: boolean;
}

export interface VitaminDScore extends DatedScore {
  readonly value: number;
  readonly unit: VitaminDUnit;
  readonly ngPerMl: number;
  readonly nmolPerL: number;
  readonly band: VitaminDBand;
}

export interface FallsScore extends DatedScore {
  readonly countPast12Months: number;
  readonly injurious: boolean;
  readonly unsteady: boolean;
  readonly worriedAboutFalling: boolean;
  /** A STEADI key question is positive. */
  readonly atRisk: boolean;
}

export interface Scores {
  /** Whole years on `asOf`. */
  readonly age: number;
  readonly phq9: Phq9Score | null;
  readonly phq2: Phq2Score | null;
  readonly gds15: Gds15Score | null;
  readonly depressionScreen: DepressionScreen | null;
  /** Lowest T of the latest result per site, all sites (WHO category). */
  readonly lowestTScore: SiteScore | null;
  /** Lowest T of femoral neck, total hip and lumbar spine only (BHOF criteria). */
  readonly lowestCentralTScore: SiteScore | null;
  readonly lowestZScore: SiteScore | null;
  readonly whoApplicable: boolean;
  /** `not-applicable` when WHO categories do not apply; null when they apply but no T-score exists. */
  readonly whoCategory: WhoCategory | "not-applicable" | null;
  readonly frax: FraxScore | null;
  readonly vitaminD: VitaminDScore | null;
  readonly vitaminDNgPerMl: number | null;
  readonly vitaminDBand: VitaminDBand | null;
  readonly falls: FallsScore | null;
  readonly activeMedicationClasses: readonly MedicationClass[];
  readonly osteoporosisTreatmentActive: boolean;
}

export interface Assessment {
  readonly rulesetVersion: string;
  readonly asOf: string;
  readonly priority: Priority;
  /** Most severe first, then in FLAG_CODES order. */
  readonly flags: readonly Flag[];
  /** By category (act-now … investigational), then id. */
  readonly suggestions: readonly Suggestion[];
  readonly scores: Scores;
  /** One entry per observation kind, in OBSERVATION_KINDS order. */
  readonly dataStatus: readonly DataStatus[];
}
