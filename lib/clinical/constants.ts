/** Coded vocabularies of the assess contract (docs/CLINICAL-RULES.md §1, §7, §8). Stable API. */

export const OBSERVATION_KINDS = [
  "phq9",
  "phq2",
  "gds15",
  "bmd",
  "frax",
  "vitaminD",
  "fracture",
  "falls",
  "medication",
] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export const SEXES = ["female", "male", "other", "unknown"] as const;
export type Sex = (typeof SEXES)[number];

/** Sites whose T-score counts for the BHOF treatment criteria (not the radius; BHOF 2022). */
export const CENTRAL_BMD_SITES = ["lumbar_spine", "total_hip", "femoral_neck"] as const;

export const BMD_SITES = [...CENTRAL_BMD_SITES, "radius_33"] as const;
export type BmdSite = (typeof BMD_SITES)[number];

export const FRACTURE_SITES = [
  "hip",
  "vertebral",
  "wrist",
  "humerus",
  "pelvis",
  "rib",
  "other",
] as const;
export type FractureSite = (typeof FRACTURE_SITES)[number];

/** §7: osteoporosis treatment classes. */
export const OSTEOPOROSIS_TREATMENT_CLASSES = [
  "bisphosphonate",
  "denosumab",
  "teriparatide",
  "abaloparatide",
  "romosozumab",
  "raloxifene",
] as const;

export const MEDICATION_CLASSES = [
  "ssri",
  "snri",
  "tca",
  "mirtazapine",
  "other_antidepressant",
  "benzodiazepine",
  "z_drug",
  "antipsychotic",
  "opioid",
  "antiepileptic",
  "ppi",
  "glucocorticoid",
  "aromatase_inhibitor",
  "androgen_deprivation",
  "thiazolidinedione",
  ...OSTEOPOROSIS_TREATMENT_CLASSES,
  "vitamin_d_calcium",
] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

export const VITAMIN_D_UNITS = ["ng/mL", "nmol/L"] as const;
export type VitaminDUnit = (typeof VITAMIN_D_UNITS)[number];

export const GDS_ANSWERS = ["yes", "no"] as const;
export type GdsAnswer = (typeof GDS_ANSWERS)[number];

export const SEVERITIES = ["critical", "high", "moderate", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe; `info` is 1 so that "any flag" is always > 0. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.freeze({
  critical: 5,
  high: 4,
  moderate: 3,
  low: 2,
  info: 1,
});

export const PRIORITIES = ["urgent", "high", "medium", "low", "none"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SUGGESTION_CATEGORIES = [
  "act-now",
  "assess",
  "treat",
  "refer",
  "lifestyle",
  "monitor",
  "investigational",
] as const;
export type SuggestionCategory = (typeof SUGGESTION_CATEGORIES)[number];

export const DATA_STATUSES = ["current", "stale", "missing"] as const;
export type DataStatusValue = (typeof DATA_STATUSES)[number];

/** The "bone flags" of §8: findings, not the due, gap or follow-up flags. */
export const BONE_FINDING_CODES = [
  "bone.severe-osteoporosis",
  "bone.osteoporosis",
  "bone.osteopenia",
  "bone.low-for-age",
  "bone.high-fracture-risk",
] as const;

export const FLAG_CODES = [
  "safety.suicide-risk",
  "safety.suicide-item-unknown",
  "safety.vitamin-d-toxicity",
  "depression.positive",
  "depression.mild-symptoms",
  "depression.not-improving",
  "depression.screen-due",
  ...BONE_FINDING_CODES,
  "bone.treatment-gap",
  "bone.fracture-followup-due",
  "bone.dxa-due",
  "vitd.deficient",
  "vitd.inadequate",
  "vitd.below-bone-target",
  "vitd.above-target",
  "vitd.high",
  "falls.at-risk",
  "falls.screen-due",
  "meds.antidepressant-bone-risk",
  "meds.glucocorticoid-bone-risk",
  "meds.fall-risk-drugs",
  "meds.denosumab-stopped",
  "comorbidity.bone-brain",
  "comorbidity.bone-unassessed",
  "comorbidity.mood-unassessed",
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** §7: fall-risk-increasing drugs (STEADI; CDS Connect ASPIRE FRIDs). */
export const FALL_RISK_DRUG_CLASSES = [
  "benzodiazepine",
  "z_drug",
  "antipsychotic",
  "opioid",
  "tca",
  "ssri",
  "snri",
  "antiepileptic",
] as const satisfies readonly MedicationClass[];

/** §8: antidepressants with fracture data (SSRI: Khanassov 2018, Wu 2012; TCA). */
export const BONE_RISK_ANTIDEPRESSANT_CLASSES = [
  "ssri",
  "tca",
] as const satisfies readonly MedicationClass[];

/** Upper bound on observations in one input: protects the API from oversized bodies. */
export const MAX_OBSERVATIONS = 10_000;

/** Upper bound on free-text medication names. */
export const MAX_MEDICATION_NAME_LENGTH = 200;
