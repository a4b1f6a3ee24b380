"use client";

import type { VitaminDUnit } from "@/lib/clinical/constants";
import { formatNumber } from "@/lib/clinical/format";
import { toNgPerMl, toNmolPerL, vitaminDBandLabel, vitaminDBandOf } from "@/lib/clinical/vitamin-d";
import { TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import { InputField } from "./fields";
import { parseEnteredNumber, type VisitFormState } from "./visit-form.utils";
import styles from "./visit.module.css";

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
export function VitaminDSection({
  form,
  update,
  errors,
  maxDate,
}: {
  form: VisitFormState;
  update: (change: (draft: VisitFormState) => VisitFormState) => void;
  errors: Readonly<Record<string, string>>;
  maxDate: string;
}) {
  const converted = convertedVitaminD(form.vitaminDValue, form.vitaminDUnit);
  return (
    <>
      <p className={styles.keysHint}>
        25-hydroxyvitamin D, total <TermTip term="25(OH)D">{TERM_HINT.vitaminD}</TermTip>
      </p>
      <div className={styles.fieldRow}>
        <InputField
          label="25(OH)D"
          field="vitaminD.value"
          unit={form.vitaminDUnit}
          type="text"
          inputMode="decimal"
          value={form.vitaminDValue}
          onChange={(e) => update((f) => ({ ...f, vitaminDValue: e.target.value }))}
          error={errors["vitaminD.value"]}
        />
        <fieldset className={styles.choice}>
          <legend>Unit</legend>
          <div className={styles.choiceOptions}>
            {(["ng/mL", "nmol/L"] as const).map((unit) => (
              <label key={unit}>
                <input
                  type="radio"
                  name="vitamin-d-unit"
                  data-field="vitaminD.unit"
                  checked={form.vitaminDUnit === unit}
                  onChange={() => update((f) => ({ ...f, vitaminDUnit: unit }))}
                />
                {unit}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <p className={styles.converted} aria-live="polite">
        {converted
          ? `= ${formatNumber(converted.value, 1)} ${converted.unit} (× 2.496 conversion): ${converted.band}`
          : "The converted value appears here."}
      </p>
      <InputField
        className={styles.narrowField}
        label="Sample date"
        hint="Leave empty when taken on the visit date."
        field="vitaminD.effective"
        type="date"
        max={maxDate}
        value={form.vitaminDEffective}
        onChange={(e) => update((f) => ({ ...f, vitaminDEffective: e.target.value }))}
        error={errors["vitaminD.effective"]}
      />
    </>
  );
}
