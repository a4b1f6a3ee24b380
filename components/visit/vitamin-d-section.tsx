"use client";

import { VITAMIN_D_UNITS, type VitaminDUnit } from "@/lib/clinical/constants";
import { formatNumber } from "@/lib/clinical/format";
import { toNgPerMl, toNmolPerL, vitaminDBandLabel, vitaminDBandOf } from "@/lib/clinical/vitamin-d";
import { TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import { ChoiceField } from "@/components/ui/field";
import { bindText, NumberField, ResultDateField, type SectionProps } from "./fields";
import { parseEnteredNumber } from "./visit-form.utils";
import styles from "./visit.module.css";

const UNIT_OPTIONS = VITAMIN_D_UNITS.map((unit) => ({ value: unit, label: unit }));

/** The other unit's value of a 25(OH)D result (nmol/L = ng/mL × 2.496), for display. */
export function convertedVitaminD(
  text: string,
  unit: VitaminDUnit,
): { value: number; unit: VitaminDUnit; band: string } | null {
  const value = parseEnteredNumber(text);
  if (typeof value !== "number" || value <= 0) return null;
  const other: VitaminDUnit = unit === "ng/mL" ? "nmol/L" : "ng/mL";
  const converted = other === "nmol/L" ? toNmolPerL(value, unit) : toNgPerMl(value, unit);
  return { value: converted, unit: other, band: vitaminDBandLabel(vitaminDBandOf(value, unit)) };
}

/** Vitamin D: value with a unit switch, showing the converted value and its band. */
export function VitaminDSection(props: SectionProps) {
  const { form, update } = props;
  const converted = convertedVitaminD(form.vitaminDValue, form.vitaminDUnit);
  return (
    <>
      <div className={styles.keysHint}>
        25-hydroxyvitamin D, total <TermTip term="25(OH)D">{TERM_HINT.vitaminD}</TermTip>
      </div>
      <div className={styles.fieldRow}>
        <NumberField
          label="25(OH)D"
          unit={form.vitaminDUnit}
          {...bindText(props, "vitaminDValue", "vitaminD.value")}
        />
        <ChoiceField<VitaminDUnit>
          legend="Unit"
          data-field="vitaminD.unit"
          options={UNIT_OPTIONS}
          value={form.vitaminDUnit}
          onChange={(unit) => update((f) => ({ ...f, vitaminDUnit: unit }))}
        />
      </div>
      <p className={styles.converted} aria-live="polite">
        {converted
          ? `= ${formatNumber(converted.value, 1)} ${converted.unit} (× 2.496 conversion): ${converted.band}`
          : "The converted value appears here."}
      </p>
      <ResultDateField
        section={props}
        name="vitaminDEffective"
        field="vitaminD.effective"
        label="Sample date"
        hint="Leave empty when taken on the visit date."
      />
    </>
  );
}
