/**
 * Bone–Brain Care clinical core: pure, synchronous, browser-safe. Implements docs/CLINICAL-RULES.md.
 * Imports nothing of ours and nothing from Next, React, the database or Node built-ins.
 * Browser code (components/, lib/client/) imports values from the modules themselves, not from
 * this index, which would bring zod and the whole ruleset into its pages (a lint rule says so).
 */

export { assess } from "./assess";
export { hasAgeDxaIndication, isWhoApplicable, whoCategory } from "./bone";
export {
  BMD_SITES,
  BONE_FINDING_CODES,
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
  CENTRAL_BMD_SITES,
  DATA_STATUSES,
  FALL_RISK_DRUG_CLASSES,
  FLAG_CODES,
  FRACTURE_SITES,
  GDS_ANSWERS,
  MAX_MEDICATION_NAME_LENGTH,
  MAX_OBSERVATIONS,
  MEDICATION_CLASSES,
  OBSERVATION_KINDS,
  OSTEOPOROSIS_TREATMENT_CLASSES,
  PRIORITIES,
  SEVERITIES,
  SEVERITY_RANK,
  SEXES,
  SUGGESTION_CATEGORIES,
  VITAMIN_D_UNITS,
} from "./constants";
export type {
  BmdSite,
  DataStatusValue,
  FlagCode,
  FractureSite,
  GdsAnswer,
  MedicationClass,
  ObservationKind,
  Priority,
  Severity,
  Sex,
  SuggestionCategory,
  VitaminDUnit,
} from "./constants";
export { ageOn, dayNumber, daysBetween, formatDate, formatElapsed, isIsoDate } from "./dates";
export { EVIDENCE, EVIDENCE_IDS, getEvidence } from "./evidence";
export type { EvidenceId, EvidenceSource } from "./evidence";
export { bmdSiteLabel, formatNumber, fractureSiteLabel, medicationClassLabel } from "./format";
export {
  GDS15_BANDS,
  PHQ9_BANDS,
  gds15Band,
  gds15BandLabel,
  gds15Total,
  phq2Band,
  phq2Total,
  phq9Band,
  phq9BandLabel,
  phq9Total,
} from "./instruments";
export type { Gds15Band, Phq2Band, Phq9Band } from "./instruments";
export { observationValueNum } from "./observation-value";
export { RULESET_POLICY, RULESET_VERSION, THRESHOLDS } from "./policy";
export type { FreshnessWindow, RulesetPolicy } from "./policy";
export { RULES, flagKinds, getRule, priorityFromFlags, severityToPriority } from "./rules";
export type { RuleDefinition } from "./rules";
export {
  assessInputSchema,
  bmdObservationSchema,
  checkObservationDatesNotAfter,
  fallsObservationSchema,
  fractureObservationSchema,
  fraxObservationSchema,
  gds15ObservationSchema,
  isoDateSchema,
  medicationObservationSchema,
  observationListSchema,
  observationSchema,
  patientSchema,
  phq2ObservationSchema,
  phq9ObservationSchema,
  toValidationErrors,
  validate,
  validateObservations,
  vitaminDObservationSchema,
} from "./schemas";
export type {
  AssessInput,
  BmdObservation,
  FallsObservation,
  FractureObservation,
  FraxObservation,
  Gds15Observation,
  MedicationObservation,
  Observation,
  Patient,
  Phq2Observation,
  Phq9Observation,
  ValidationError,
  ValidationResult,
  VitaminDObservation,
} from "./schemas";
export {
  SUGGESTIONS,
  SUGGESTION_CATEGORY_RANK,
  SUGGESTION_IDS,
  dueSuggestionFor,
} from "./suggestions";
export type { SuggestionDefinition, SuggestionId } from "./suggestions";
export type {
  Assessment,
  DataStatus,
  DepressionScreen,
  DepressionScreenKind,
  FallsScore,
  Flag,
  FlagInput,
  FraxScore,
  Gds15Score,
  Phq2Score,
  Phq9Score,
  Scores,
  SiteScore,
  Suggestion,
  VitaminDScore,
  WhoCategory,
} from "./types";
export {
  VITAMIN_D_BANDS,
  compareVitaminD,
  toNgPerMl,
  toNmolPerL,
  vitaminDBand,
  vitaminDBandLabel,
  vitaminDBandOf,
} from "./vitamin-d";
export type { VitaminDBand } from "./vitamin-d";
