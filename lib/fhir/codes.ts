import type { BmdSite, FractureSite, MedicationClass } from "@/lib/clinical";

/**
 * Code systems and code tables for exchange (docs/CLINICAL-RULES.md §10). Every code here was checked
 * against a published source (docs/INTEROPERABILITY.md lists which); codes not listed are reported
 * as not understood, never guessed.
 */

export const LOINC = "http://loinc.org";
export const SNOMED = "http://snomed.info/sct";
export const UCUM = "http://unitsofmeasure.org";
export const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
export const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
export const V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";
export const US_CORE_INDIVIDUAL_SEX =
  "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex";
export const US_CORE_BIRTH_SEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex";
export const CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

/** Local code systems and extensions of this product (no standard code exists). */
export const LOCAL = {
  frax: "urn:bone-brain-care:frax",
  falls: "urn:bone-brain-care:falls",
  gds15: "urn:bone-brain-care:gds15",
  fractureSite: "urn:bone-brain-care:fracture-site",
  medicationClass: "urn:bone-brain-care:medication-class",
  overrideReason: "urn:bone-brain-care:cds-override-reason",
  fragilityExtension: "urn:bone-brain-care:fhir:extension:fragility-fracture",
  postmenopausalExtension: "urn:bone-brain-care:fhir:extension:postmenopausal",
  medicationPeriodExtension: "urn:bone-brain-care:fhir:extension:medication-period",
} as const;

/** The MRN identifier system of a site: `urn:bone-brain-care:site:<siteCode>:mrn`. */
export function mrnSystem(siteCode: string): string {
  return `urn:bone-brain-care:site:${siteCode}:mrn`;
}

/** The site code of one of our MRN systems, else null. */
export function siteCodeOfMrnSystem(system: string | undefined): string | null {
  const match = /^urn:bone-brain-care:site:([^:]+):mrn$/.exec(system ?? "");
  return match ? match[1]! : null;
}

export const PHQ9_PANEL = "44249-1";
/** PHQ-9 items 1–9 in questionnaire order. */
export const PHQ9_ITEM_CODES = [
  "44250-9",
  "44255-8",
  "44259-0",
  "44254-1",
  "44251-7",
  "44258-2",
  "44252-5",
  "44253-3",
  "44260-8",
] as const;
export const PHQ9_TOTAL = "44261-6";
export const PHQ9_DIFFICULTY = "69722-7";
export const PHQ2_PANEL = "55757-9";
export const PHQ2_TOTAL = "55758-7";
export const GDS15_TOTAL = "48545-8";

/** The panel and total of each PHQ form, by its kind in the assess contract. */
export const PHQ_FORMS = {
  phq9: { name: "PHQ-9", panel: PHQ9_PANEL, total: PHQ9_TOTAL },
  phq2: { name: "PHQ-2", panel: PHQ2_PANEL, total: PHQ2_TOTAL },
} as const;

/** LOINC answer list LL358-3 (PHQ frequency): 0–3. */
export const PHQ_FREQUENCY_ANSWERS: Readonly<Record<string, number>> = {
  "LA6568-5": 0, // Not at all
  "LA6569-3": 1, // Several days
  "LA6570-1": 2, // More than half the days
  "LA6571-9": 3, // Nearly every day
};

/** LOINC answer list LL359-1 (PHQ difficulty). The codes are not in numeric order. */
export const PHQ_DIFFICULTY_ANSWERS: Readonly<Record<string, number>> = {
  "LA6572-7": 0, // Not difficult at all
  "LA6573-5": 1, // Somewhat difficult
  "LA6575-0": 2, // Very difficult
  "LA6574-3": 3, // Extremely difficult
};

export const PHQ_FREQUENCY_DISPLAY = [
  "Not at all",
  "Several days",
  "More than half the days",
  "Nearly every day",
] as const;
export const PHQ_DIFFICULTY_DISPLAY = [
  "Not difficult at all",
  "Somewhat difficult",
  "Very difficult",
  "Extremely difficult",
] as const;

export type BmdScoreKind = "t" | "z";
export type BodySide = "left" | "right" | "unspecified";

export interface BmdCode {
  site: BmdSite;
  score: BmdScoreKind;
  side: BodySide;
  display: string;
}

function dxa(site: BmdSite, score: BmdScoreKind, side: BodySide, display: string): BmdCode {
  return { site, score, side, display };
}

/** DXA T- and Z-score LOINC codes (§10). "Femur" is the femoral neck region. */
export const BMD_CODES: Readonly<Record<string, BmdCode>> = {
  "38267-1": dxa("lumbar_spine", "t", "unspecified", "DXA Lumbar spine [T-score] Bone density"),
  "38264-8": dxa("total_hip", "t", "unspecified", "DXA Hip [T-score] Bone density"),
  "80946-7": dxa("total_hip", "t", "left", "DXA Hip-L T-score BMD"),
  "80945-9": dxa("total_hip", "t", "right", "DXA Hip-R T-score BMD"),
  "38263-0": dxa("femoral_neck", "t", "unspecified", "DXA Femur [T-score] Bone density"),
  "80948-3": dxa("femoral_neck", "t", "left", "DXA Femur-L T-score BMD"),
  "80947-5": dxa("femoral_neck", "t", "right", "DXA Femur-R T-score BMD"),
  "38265-5": dxa("radius_33", "t", "unspecified", "DXA Radius and Ulna [T-score] Bone density"),
  "85394-5": dxa("lumbar_spine", "z", "unspecified", "DXA Lumbar spine [Z-score] Bone density"),
  "80933-5": dxa("total_hip", "z", "unspecified", "DXA Hip [Z-score] Bone density"),
  "80938-4": dxa("total_hip", "z", "left", "DXA Hip-L Z-score BMD"),
  "80934-3": dxa("femoral_neck", "z", "unspecified", "DXA Femur [Z-score] Bone density"),
  "80940-0": dxa("femoral_neck", "z", "left", "DXA Femur-L Z-score BMD"),
  "80932-7": dxa("radius_33", "z", "unspecified", "DXA Radius and Ulna [Z-score] Bone density"),
};

/** The code we write for a site and score (side unspecified). */
export function bmdCodeFor(site: BmdSite, score: BmdScoreKind): string {
  const entry = Object.entries(BMD_CODES).find(
    ([, c]) => c.site === site && c.score === score && c.side === "unspecified",
  );
  return entry![0];
}

/** UCUM units accepted for a T- or Z-score (dimensionless). */
export const BMD_SCORE_UNITS = ["{T-Score}", "{Z-Score}", "{score}", "{SD}", "1"] as const;

/** Codes that belong to a DXA report but carry nothing the rules use (areal BMD in g/cm², the panel). */
export const KNOWN_UNUSED_LOINC: Readonly<Record<string, string>> = {
  "83311-1": "DXA bone density panel (its results are read one by one)",
  "46278-8": "DXA areal BMD in g/cm² (the rules use T- and Z-scores)",
  "80954-1": "DXA areal BMD in g/cm² (the rules use T- and Z-scores)",
};

/** 25-hydroxyvitamin D: 62292-8 (D2+D3), also 1989-3 and 14635-7. */
export const VITAMIN_D_CODES = ["62292-8", "1989-3", "14635-7"] as const;
export const VITAMIN_D_CODE = "62292-8";

/** FRAX (licensed algorithm, no LOINC code): one Observation with three components. */
export const FRAX_CODES = {
  panel: "frax-10y",
  major: "major-osteoporotic-10y",
  hip: "hip-10y",
  withBmd: "with-bmd",
} as const;

/** STEADI falls screen (local code system): one Observation with components. */
export const FALLS_CODES = {
  panel: "steadi-falls",
  count: "falls-past-12-months",
  injurious: "injurious-fall",
  unsteady: "unsteady",
  worried: "worried-about-falling",
} as const;

/** `system|code` of every Observation code read, in a fixed order (the CDS prefetch asks for these). */
export const OBSERVATION_CODE_TOKENS: readonly string[] = [
  ...[
    PHQ9_PANEL,
    ...PHQ9_ITEM_CODES,
    PHQ9_TOTAL,
    PHQ9_DIFFICULTY,
    PHQ2_PANEL,
    PHQ2_TOTAL,
    GDS15_TOTAL,
    ...Object.keys(BMD_CODES),
    ...VITAMIN_D_CODES,
  ].map((code) => `${LOINC}|${code}`),
  `${LOCAL.frax}|${FRAX_CODES.panel}`,
  `${LOCAL.falls}|${FALLS_CODES.panel}`,
];

/** SNOMED CT fracture concepts → fracture site. */
export const FRACTURE_CODES: Readonly<
  Record<string, { site: FractureSite; fragility?: true; display: string }>
> = {
  "5913000": { site: "hip", display: "Fracture of neck of femur" },
  "359817006": { site: "hip", display: "Closed fracture of hip" },
  "207957008": { site: "vertebral", display: "Closed fracture of lumbar vertebra" },
  "263199001": { site: "wrist", display: "Fracture of distal end of radius" },
  "66308002": { site: "humerus", display: "Fracture of humerus" },
  "77493009": { site: "pelvis", display: "Fracture of pelvis" },
  "33737001": { site: "rib", display: "Fracture of rib" },
  "125605004": { site: "other", display: "Fracture of bone" },
  "443165006": {
    site: "other",
    fragility: true,
    display: "Pathological fracture due to osteoporosis",
  },
};

/** The SNOMED code we write for a site. */
export const FRACTURE_CODE_FOR_SITE: Readonly<Record<FractureSite, string>> = {
  hip: "5913000",
  vertebral: "207957008",
  wrist: "263199001",
  humerus: "66308002",
  pelvis: "77493009",
  rib: "33737001",
  other: "125605004",
};

/** SNOMED conditions that are relevant but have no observation kind in the assess contract. */
export const KNOWN_UNUSED_SNOMED: Readonly<Record<string, string>> = {
  "35489007": "Depressive disorder (the rules use screening scores)",
  "64859006": "Osteoporosis (the rules use BMD and fractures)",
  "312894000": "Osteopenia (the rules use BMD)",
};

/**
 * RxNorm ingredient codes (RXCUI) checked against a published list (docs/INTEROPERABILITY.md).
 * Clinical-drug codes (e.g. "sertraline 50 MG Oral Tablet") are not listed: they fall back to the
 * name in the coding's display or the text.
 */
export const RXNORM_INGREDIENTS: Readonly<Record<string, { name: string; cls: MedicationClass }>> =
  {
    "36437": { name: "sertraline", cls: "ssri" },
    "2556": { name: "citalopram", cls: "ssri" },
    "321988": { name: "escitalopram", cls: "ssri" },
    "4493": { name: "fluoxetine", cls: "ssri" },
    "32937": { name: "paroxetine", cls: "ssri" },
    "42355": { name: "fluvoxamine", cls: "ssri" },
    "39786": { name: "venlafaxine", cls: "snri" },
    "72625": { name: "duloxetine", cls: "snri" },
    "704": { name: "amitriptyline", cls: "tca" },
    "7531": { name: "nortriptyline", cls: "tca" },
    "5691": { name: "imipramine", cls: "tca" },
    "2597": { name: "clomipramine", cls: "tca" },
    "3247": { name: "desipramine", cls: "tca" },
    "3638": { name: "doxepin", cls: "tca" },
    "15996": { name: "mirtazapine", cls: "mirtazapine" },
    "42347": { name: "bupropion", cls: "other_antidepressant" },
    "1455099": { name: "vortioxetine", cls: "other_antidepressant" },
    "6470": { name: "lorazepam", cls: "benzodiazepine" },
    "3322": { name: "diazepam", cls: "benzodiazepine" },
    "7781": { name: "oxazepam", cls: "benzodiazepine" },
    "6960": { name: "midazolam", cls: "benzodiazepine" },
    "21241": { name: "clobazam", cls: "benzodiazepine" },
    "61381": { name: "olanzapine", cls: "antipsychotic" },
    "35636": { name: "risperidone", cls: "antipsychotic" },
    "89013": { name: "aripiprazole", cls: "antipsychotic" },
    "5093": { name: "haloperidol", cls: "antipsychotic" },
    "2626": { name: "clozapine", cls: "antipsychotic" },
    "7804": { name: "oxycodone", cls: "opioid" },
    "7052": { name: "morphine", cls: "opioid" },
    "10689": { name: "tramadol", cls: "opioid" },
    "2670": { name: "codeine", cls: "opioid" },
    "4337": { name: "fentanyl", cls: "opioid" },
    "6813": { name: "methadone", cls: "opioid" },
    "2002": { name: "carbamazepine", cls: "antiepileptic" },
    "28439": { name: "lamotrigine", cls: "antiepileptic" },
    "8183": { name: "phenytoin", cls: "antiepileptic" },
    "11118": { name: "valproic acid", cls: "antiepileptic" },
    "32624": { name: "oxcarbazepine", cls: "antiepileptic" },
    "7646": { name: "omeprazole", cls: "ppi" },
    "283742": { name: "esomeprazole", cls: "ppi" },
    "17128": { name: "lansoprazole", cls: "ppi" },
    "40790": { name: "pantoprazole", cls: "ppi" },
    "114979": { name: "rabeprazole", cls: "ppi" },
    "816346": { name: "dexlansoprazole", cls: "ppi" },
    "8640": { name: "prednisone", cls: "glucocorticoid" },
    "84108": { name: "rosiglitazone", cls: "thiazolidinedione" },
    "77655": { name: "zoledronic acid", cls: "bisphosphonate" },
  };

/**
 * Generic and brand names → class, for medications without a known code. Matched as whole words in
 * the coding display or the text, case-insensitive.
 */
export const MEDICATION_NAMES: Readonly<Record<string, MedicationClass>> = {
  sertraline: "ssri",
  zoloft: "ssri",
  citalopram: "ssri",
  celexa: "ssri",
  escitalopram: "ssri",
  lexapro: "ssri",
  fluoxetine: "ssri",
  prozac: "ssri",
  paroxetine: "ssri",
  paxil: "ssri",
  fluvoxamine: "ssri",
  venlafaxine: "snri",
  effexor: "snri",
  duloxetine: "snri",
  cymbalta: "snri",
  desvenlafaxine: "snri",
  amitriptyline: "tca",
  nortriptyline: "tca",
  imipramine: "tca",
  clomipramine: "tca",
  desipramine: "tca",
  doxepin: "tca",
  mirtazapine: "mirtazapine",
  remeron: "mirtazapine",
  bupropion: "other_antidepressant",
  trazodone: "other_antidepressant",
  vortioxetine: "other_antidepressant",
  agomelatine: "other_antidepressant",
  lorazepam: "benzodiazepine",
  diazepam: "benzodiazepine",
  alprazolam: "benzodiazepine",
  clonazepam: "benzodiazepine",
  oxazepam: "benzodiazepine",
  temazepam: "benzodiazepine",
  midazolam: "benzodiazepine",
  clobazam: "benzodiazepine",
  zolpidem: "z_drug",
  zopiclone: "z_drug",
  eszopiclone: "z_drug",
  zaleplon: "z_drug",
  quetiapine: "antipsychotic",
  olanzapine: "antipsychotic",
  risperidone: "antipsychotic",
  aripiprazole: "antipsychotic",
  haloperidol: "antipsychotic",
  clozapine: "antipsychotic",
  oxycodone: "opioid",
  morphine: "opioid",
  tramadol: "opioid",
  codeine: "opioid",
  hydrocodone: "opioid",
  fentanyl: "opioid",
  methadone: "opioid",
  tapentadol: "opioid",
  buprenorphine: "opioid",
  gabapentin: "antiepileptic",
  pregabalin: "antiepileptic",
  carbamazepine: "antiepileptic",
  lamotrigine: "antiepileptic",
  phenytoin: "antiepileptic",
  "valproic acid": "antiepileptic",
  valproate: "antiepileptic",
  levetiracetam: "antiepileptic",
  oxcarbazepine: "antiepileptic",
  topiramate: "antiepileptic",
  omeprazole: "ppi",
  esomeprazole: "ppi",
  lansoprazole: "ppi",
  pantoprazole: "ppi",
  rabeprazole: "ppi",
  dexlansoprazole: "ppi",
  prednisone: "glucocorticoid",
  prednisolone: "glucocorticoid",
  methylprednisolone: "glucocorticoid",
  dexamethasone: "glucocorticoid",
  hydrocortisone: "glucocorticoid",
  letrozole: "aromatase_inhibitor",
  anastrozole: "aromatase_inhibitor",
  exemestane: "aromatase_inhibitor",
  leuprolide: "androgen_deprivation",
  leuprorelin: "androgen_deprivation",
  goserelin: "androgen_deprivation",
  degarelix: "androgen_deprivation",
  triptorelin: "androgen_deprivation",
  pioglitazone: "thiazolidinedione",
  rosiglitazone: "thiazolidinedione",
  alendronate: "bisphosphonate",
  "alendronic acid": "bisphosphonate",
  fosamax: "bisphosphonate",
  risedronate: "bisphosphonate",
  ibandronate: "bisphosphonate",
  "zoledronic acid": "bisphosphonate",
  zoledronate: "bisphosphonate",
  denosumab: "denosumab",
  prolia: "denosumab",
  teriparatide: "teriparatide",
  forteo: "teriparatide",
  abaloparatide: "abaloparatide",
  tymlos: "abaloparatide",
  romosozumab: "romosozumab",
  evenity: "romosozumab",
  raloxifene: "raloxifene",
  evista: "raloxifene",
  cholecalciferol: "vitamin_d_calcium",
  ergocalciferol: "vitamin_d_calcium",
  "vitamin d": "vitamin_d_calcium",
  "vitamin d3": "vitamin_d_calcium",
  "calcium carbonate": "vitamin_d_calcium",
  "calcium citrate": "vitamin_d_calcium",
};

/** Prednisone and prednisolone are equipotent (docs/CLINICAL-RULES.md §1): their mg/day is the dose. */
export const PREDNISOLONE_EQUIVALENT_NAMES = ["prednisone", "prednisolone"] as const;

/** Override reasons offered on every card. */
export const OVERRIDE_REASONS = [
  { code: "already-addressed", display: "Already addressed" },
  { code: "patient-declined", display: "Patient declined" },
  { code: "not-clinically-relevant", display: "Not clinically relevant for this patient" },
  { code: "data-incorrect", display: "The data behind this card is wrong" },
] as const;
