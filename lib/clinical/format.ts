import type { BmdSite, FractureSite, MedicationClass } from "./constants";

/** A number for people: typographic minus, no trailing zeros ("−2.7", "14", "16.8"). */
export function formatNumber(value: number, maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  const text = String(Object.is(rounded, -0) ? 0 : rounded);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/**
 * A function over a complete table (the compiler checks that every value of `K` has an entry). A
 * value outside the table, which only untyped data such as an old stored row can hold, comes back
 * as itself rather than as `undefined` or an inherited property.
 */
export function fromTable<K extends string, V>(table: Readonly<Record<K, V>>): (key: K) => V {
  const entries = new Map<string, V>(Object.entries<V>(table));
  return (key) => (entries.has(key) ? (entries.get(key) as V) : (key as unknown as V));
}

/** Human label of a DXA site ("femoral-neck", as in the UX copy). */
export const bmdSiteLabel = fromTable<BmdSite, string>({
  lumbar_spine: "lumbar-spine",
  total_hip: "total-hip",
  femoral_neck: "femoral-neck",
  radius_33: "33% radius",
});

/** Human label of a fracture site. */
export const fractureSiteLabel = fromTable<FractureSite, string>({
  hip: "hip",
  vertebral: "vertebral",
  wrist: "wrist",
  humerus: "humerus",
  pelvis: "pelvis",
  rib: "rib",
  other: "other-site",
});

/** Human label of a medication class. */
export const medicationClassLabel = fromTable<MedicationClass, string>({
  ssri: "SSRI",
  snri: "SNRI",
  tca: "tricyclic antidepressant",
  mirtazapine: "mirtazapine",
  other_antidepressant: "antidepressant",
  benzodiazepine: "benzodiazepine",
  z_drug: "z-drug",
  antipsychotic: "antipsychotic",
  opioid: "opioid",
  antiepileptic: "antiepileptic",
  ppi: "proton-pump inhibitor",
  glucocorticoid: "glucocorticoid",
  aromatase_inhibitor: "aromatase inhibitor",
  androgen_deprivation: "androgen deprivation therapy",
  thiazolidinedione: "thiazolidinedione",
  bisphosphonate: "bisphosphonate",
  denosumab: "denosumab",
  teriparatide: "teriparatide",
  abaloparatide: "abaloparatide",
  romosozumab: "romosozumab",
  raloxifene: "raloxifene",
  vitamin_d_calcium: "vitamin D and calcium",
});
