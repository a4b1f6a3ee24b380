import type { BmdSite, FractureSite, MedicationClass } from "./constants";

/** A number for people: typographic minus, no trailing zeros ("−2.7", "14", "16.8"). */
export function formatNumber(value: number, maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  const text = String(Object.is(rounded, -0) ? 0 : rounded);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** Human label of a DXA site ("femoral-neck", as in the UX copy). */
export function bmdSiteLabel(site: BmdSite): string {
  switch (site) {
    case "lumbar_spine":
      return "lumbar-spine";
    case "total_hip":
      return "total-hip";
    case "femoral_neck":
      return "femoral-neck";
    case "radius_33":
      return "33% radius";
    default: {
      const unreachable: never = site;
      return unreachable;
    }
  }
}

/** Human label of a fracture site. */
export function fractureSiteLabel(site: FractureSite): string {
  switch (site) {
    case "hip":
      return "hip";
    case "vertebral":
      return "vertebral";
    case "wrist":
      return "wrist";
    case "humerus":
      return "humerus";
    case "pelvis":
      return "pelvis";
    case "rib":
      return "rib";
    case "other":
      return "other-site";
    default: {
      const unreachable: never = site;
      return unreachable;
    }
  }
}

/** Human label of a medication class. */
export function medicationClassLabel(medicationClass: MedicationClass): string {
  switch (medicationClass) {
    case "ssri":
      return "SSRI";
    case "snri":
      return "SNRI";
    case "tca":
      return "tricyclic antidepressant";
    case "mirtazapine":
      return "mirtazapine";
    case "other_antidepressant":
      return "antidepressant";
    case "benzodiazepine":
      return "benzodiazepine";
    case "z_drug":
      return "z-drug";
    case "antipsychotic":
      return "antipsychotic";
    case "opioid":
      return "opioid";
    case "antiepileptic":
      return "antiepileptic";
    case "ppi":
      return "proton-pump inhibitor";
    case "glucocorticoid":
      return "glucocorticoid";
    case "aromatase_inhibitor":
      return "aromatase inhibitor";
    case "androgen_deprivation":
      return "androgen deprivation therapy";
    case "thiazolidinedione":
      return "thiazolidinedione";
    case "bisphosphonate":
      return "bisphosphonate";
    case "denosumab":
      return "denosumab";
    case "teriparatide":
      return "teriparatide";
    case "abaloparatide":
      return "abaloparatide";
    case "romosozumab":
      return "romosozumab";
    case "raloxifene":
      return "raloxifene";
    case "vitamin_d_calcium":
      return "vitamin D and calcium";
    default: {
      const unreachable: never = medicationClass;
      return unreachable;
    }
  }
}
