import { MEDICATION_CLASSES, type MedicationClass } from "@/lib/clinical/constants";
import { medicationClassLabel } from "@/lib/clinical/format";

/**
 * Common drug names and the medication class of the assess contract (docs/CLINICAL-RULES.md §7) they
 * belong to. Facts only: which class a drug is in. Names are generic (INN), lower case.
 */
export const MEDICATION_CATALOGUE: Readonly<Record<string, MedicationClass>> = Object.freeze({
  sertraline: "ssri",
  citalopram: "ssri",
  escitalopram: "ssri",
  fluoxetine: "ssri",
  paroxetine: "ssri",
  venlafaxine: "snri",
  duloxetine: "snri",
  amitriptyline: "tca",
  nortriptyline: "tca",
  mirtazapine: "mirtazapine",
  lorazepam: "benzodiazepine",
  diazepam: "benzodiazepine",
  alprazolam: "benzodiazepine",
  zolpidem: "z_drug",
  zopiclone: "z_drug",
  quetiapine: "antipsychotic",
  risperidone: "antipsychotic",
  haloperidol: "antipsychotic",
  tramadol: "opioid",
  oxycodone: "opioid",
  morphine: "opioid",
  codeine: "opioid",
  gabapentin: "antiepileptic",
  pregabalin: "antiepileptic",
  levetiracetam: "antiepileptic",
  omeprazole: "ppi",
  pantoprazole: "ppi",
  prednisolone: "glucocorticoid",
  prednisone: "glucocorticoid",
  letrozole: "aromatase_inhibitor",
  anastrozole: "aromatase_inhibitor",
  leuprorelin: "androgen_deprivation",
  goserelin: "androgen_deprivation",
  pioglitazone: "thiazolidinedione",
  alendronate: "bisphosphonate",
  risedronate: "bisphosphonate",
  "zoledronic acid": "bisphosphonate",
  denosumab: "denosumab",
  teriparatide: "teriparatide",
  abaloparatide: "abaloparatide",
  romosozumab: "romosozumab",
  raloxifene: "raloxifene",
  "colecalciferol + calcium": "vitamin_d_calcium",
});

/** Catalogue drug names, alphabetical (for a picker). */
export const MEDICATION_NAMES: readonly string[] = Object.keys(MEDICATION_CATALOGUE).sort();

/** Lower-cased, single-spaced, "+" spaced: "Zoledronic  Acid" → "zoledronic acid". */
export function normalizeDrugName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s*\+\s*/g, " + ")
    .replace(/\s+/g, " ");
}

/** The class of a drug name from the catalogue (case and spacing ignored), or null when unknown. */
export function classOfDrug(name: string): MedicationClass | null {
  return MEDICATION_CATALOGUE[normalizeDrugName(name)] ?? null;
}

/** Drug names of the catalogue in one class (for hints: "ssri" → sertraline, citalopram, …). */
export function drugsOfClass(medicationClass: MedicationClass): string[] {
  return MEDICATION_NAMES.filter((name) => MEDICATION_CATALOGUE[name] === medicationClass);
}

/** Classes with their display label, in the contract's order (for a class picker). */
export const MEDICATION_CLASS_OPTIONS: readonly { value: MedicationClass; label: string }[] =
  MEDICATION_CLASSES.map((value) => ({ value, label: medicationClassLabel(value) }));

/** True for the class whose dose (prednisolone-equivalent mg/day) the rules use. */
export function takesGlucocorticoidDose(medicationClass: MedicationClass | null): boolean {
  return medicationClass === "glucocorticoid";
}
