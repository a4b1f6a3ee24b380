import type { BmdSite } from "@/lib/clinical/constants";
import { validateObservations } from "@/lib/clinical/schemas";
import { BMD_SITE_LABEL } from "@/components/clinical/labels";
import { describeObservation, observationKindName } from "@/components/patient/observation-text";
import { shapeVisit, type FieldKey, type VisitFormState } from "./visit-form.utils";

/*
 * The sections of the visit form in paper order, which field keys belong to each, and what a save
 * holds per section. A section left untouched is "not assessed": nothing is sent for it, so the
 * record never claims "no fractures" or "no medications" because a list was left empty.
 */

export const VISIT_SECTIONS = [
  { id: "mood", title: "Mood", prefixes: ["phq9", "phq2", "gds15"] },
  { id: "bone", title: "Bone density", prefixes: ["bmd"] },
  { id: "frax", title: "Fracture risk", prefixes: ["frax"] },
  { id: "vitd", title: "Vitamin D", prefixes: ["vitaminD"] },
  { id: "fractures", title: "Fractures & falls", prefixes: ["fractures", "falls"] },
  { id: "meds", title: "Medications", prefixes: ["medications"] },
] as const;

export type SectionId = (typeof VISIT_SECTIONS)[number]["id"];

/** The words for a section nothing was entered in. */
export const NOT_ASSESSED = "not assessed";

/** The section a field key belongs to ("bmd.total_hip.tScore" → "bone"). */
export function sectionOf(key: FieldKey): SectionId | null {
  const head = key.split(".")[0] ?? "";
  return VISIT_SECTIONS.find((s) => (s.prefixes as readonly string[]).includes(head))?.id ?? null;
}

export interface SectionContents {
  id: SectionId;
  title: string;
  /** One line per entry ("PHQ-9: total 10 (moderate)…"); empty when not assessed. */
  entries: string[];
}

/**
 * What the form holds per section, as it would be saved: each entry in words, or none (the
 * section is not assessed). Entries that are not valid yet are named as such.
 */
export function sectionContents(form: VisitFormState): SectionContents[] {
  const shaped = shapeVisit(form);
  const bySection = new Map<SectionId, string[]>();
  shaped.observations.forEach((raw, index) => {
    const section = sectionOf(shaped.targets[index]?.prefix ?? "");
    if (section === null) return;
    const checked = validateObservations(
      [
        raw.effective === undefined && raw.kind !== "fracture"
          ? { ...raw, effective: form.occurredOn }
          : raw,
      ],
      form.occurredOn,
    );
    const observation = checked.status === "valid" ? checked.input[0] : undefined;
    const line = observation
      ? `${observationKindName(observation)}: ${describeObservation(observation)}`
      : `${String(raw.kind)}: not valid yet`;
    bySection.set(section, [...(bySection.get(section) ?? []), line]);
  });
  return VISIT_SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    entries: bySection.get(s.id) ?? [],
  }));
}

/** A section's one-line state for its heading. */
export function sectionSummary(section: SectionId, form: VisitFormState): string {
  const count = shapeVisit(form).targets.filter((t) => sectionOf(t.prefix) === section).length;
  return count === 0 ? NOT_ASSESSED : count === 1 ? "1 result entered" : `${count} results entered`;
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  occurredOn: "Visit date",
  phq9: "PHQ-9",
  "phq9.difficulty": "PHQ-9 item 10 (difficulty)",
  phq2: "PHQ-2",
  gds15: "GDS-15",
  "bmd.effective": "DXA date",
  "frax.majorOsteoporoticPct": "FRAX major osteoporotic fracture",
  "frax.hipPct": "FRAX hip fracture",
  "frax.withBmd": "FRAX with BMD",
  "frax.effective": "FRAX date",
  frax: "FRAX",
  falls: "Falls",
  vitaminD: "Vitamin D",
  "vitaminD.value": "25(OH)D",
  "vitaminD.unit": "Vitamin D unit",
  "vitaminD.effective": "Vitamin D sample date",
  "falls.countPast12Months": "Falls in the past 12 months",
  "falls.injurious": "Injurious fall",
  "falls.unsteady": "Unsteady",
  "falls.worriedAboutFalling": "Worried about falling",
};

const ROW_FIELD: Readonly<Record<string, string>> = {
  site: "site",
  effective: "date",
  fragility: "fragility",
  name: "drug name",
  class: "class",
  dose: "dose",
  startedOn: "start date",
  stoppedOn: "stop date",
};

/** A field key in words, as the error summary names it ("PHQ-9 item 4", "Fracture 1 date"). */
export function fieldName(key: FieldKey, form: VisitFormState): string {
  const named = FIELD_NAMES[key];
  if (named) return named;
  const parts = key.split(".");
  const [head, second, third] = parts;
  if ((head === "phq9" || head === "phq2" || head === "gds15") && third !== undefined) {
    return `${FIELD_NAMES[head]} item ${Number(third) + 1}`;
  }
  if (head === "bmd" && second) {
    const site = BMD_SITE_LABEL[second as BmdSite] ?? second;
    return third ? `${site} ${third === "tScore" ? "T-score" : "Z-score"}` : `${site} DXA`;
  }
  if ((head === "fractures" || head === "medications") && second) {
    const rows: readonly { id: string }[] = form[head];
    const number = rows.findIndex((r) => r.id === second) + 1;
    const noun = head === "fractures" ? "Fracture" : "Medication";
    return `${noun} ${number || ""} ${third ? (ROW_FIELD[third] ?? third) : ""}`
      .replace(/\s+/g, " ")
      .trim();
  }
  const section = sectionOf(key);
  return VISIT_SECTIONS.find((s) => s.id === section)?.title ?? key;
}
