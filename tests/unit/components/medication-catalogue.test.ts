import { describe, expect, it } from "vitest";
import {
  classOfDrug,
  drugsOfClass,
  MEDICATION_CATALOGUE,
  MEDICATION_CLASS_OPTIONS,
  MEDICATION_NAMES,
  normalizeDrugName,
  takesGlucocorticoidDose,
} from "@/components/visit/medication-catalogue";
import { MEDICATION_CLASSES } from "@/lib/clinical";

describe("medication catalogue", () => {
  it.each([
    ["sertraline", "ssri"],
    ["Citalopram", "ssri"],
    ["escitalopram", "ssri"],
    ["fluoxetine", "ssri"],
    ["paroxetine", "ssri"],
    ["venlafaxine", "snri"],
    ["duloxetine", "snri"],
    ["amitriptyline", "tca"],
    ["nortriptyline", "tca"],
    ["mirtazapine", "mirtazapine"],
    ["lorazepam", "benzodiazepine"],
    ["diazepam", "benzodiazepine"],
    ["alprazolam", "benzodiazepine"],
    ["zolpidem", "z_drug"],
    ["zopiclone", "z_drug"],
    ["quetiapine", "antipsychotic"],
    ["risperidone", "antipsychotic"],
    ["haloperidol", "antipsychotic"],
    ["tramadol", "opioid"],
    ["oxycodone", "opioid"],
    ["morphine", "opioid"],
    ["codeine", "opioid"],
    ["gabapentin", "antiepileptic"],
    ["pregabalin", "antiepileptic"],
    ["levetiracetam", "antiepileptic"],
    ["omeprazole", "ppi"],
    ["pantoprazole", "ppi"],
    ["prednisolone", "glucocorticoid"],
    ["PREDNISONE", "glucocorticoid"],
    ["letrozole", "aromatase_inhibitor"],
    ["anastrozole", "aromatase_inhibitor"],
    ["leuprorelin", "androgen_deprivation"],
    ["goserelin", "androgen_deprivation"],
    ["pioglitazone", "thiazolidinedione"],
    ["alendronate", "bisphosphonate"],
    ["risedronate", "bisphosphonate"],
    [" Zoledronic   acid ", "bisphosphonate"],
    ["denosumab", "denosumab"],
    ["teriparatide", "teriparatide"],
    ["abaloparatide", "abaloparatide"],
    ["romosozumab", "romosozumab"],
    ["raloxifene", "raloxifene"],
    ["colecalciferol+calcium", "vitamin_d_calcium"],
  ])("%s → %s", (name, medicationClass) => {
    expect(classOfDrug(name)).toBe(medicationClass);
  });

  it("returns null for an unknown name", () => {
    expect(classOfDrug("aspirin")).toBeNull();
    expect(classOfDrug("")).toBeNull();
  });

  it("maps only to classes of the assess contract", () => {
    for (const medicationClass of Object.values(MEDICATION_CATALOGUE)) {
      expect(MEDICATION_CLASSES).toContain(medicationClass);
    }
  });

  it("lists names sorted and normalized, and classes in contract order", () => {
    expect([...MEDICATION_NAMES]).toEqual([...MEDICATION_NAMES].sort());
    for (const name of MEDICATION_NAMES) expect(normalizeDrugName(name)).toBe(name);
    expect(MEDICATION_CLASS_OPTIONS.map((o) => o.value)).toEqual([...MEDICATION_CLASSES]);
    expect(drugsOfClass("snri")).toEqual(["duloxetine", "venlafaxine"]);
    expect(takesGlucocorticoidDose("glucocorticoid")).toBe(true);
    expect(takesGlucocorticoidDose("ssri")).toBe(false);
  });
});
