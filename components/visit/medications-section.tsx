"use client";

import { useId } from "react";
import type { MedicationClass } from "@/lib/clinical/constants";
import { SelectField, TextField } from "@/components/ui/field";
import { DateField, fieldProps, NumberField, type SectionProps } from "./fields";
import {
  classOfDrug,
  MEDICATION_CLASS_OPTIONS,
  MEDICATION_NAMES,
  takesGlucocorticoidDose,
} from "./medication-catalogue";
import { RowList } from "./row-list";
import { newRowId, type MedicationRow } from "./visit-form.utils";
import styles from "./visit.module.css";

/** Medications: pick a common drug name (its class follows) or a class directly; optional dates. */
export function MedicationsSection({ form, update, errors, maxDate }: SectionProps) {
  const listId = useId();
  return (
    <>
      <datalist id={listId}>
        {MEDICATION_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <RowList<MedicationRow>
        noun="Medication"
        rows={form.medications}
        update={(change) => update((f) => ({ ...f, medications: change(f.medications) }))}
        newRow={() => ({
          id: newRowId("m"),
          name: "",
          medicationClass: "",
          doseMgPerDay: "",
          startedOn: "",
          stoppedOn: "",
        })}
        emptyText="No medication entered at this visit."
      >
        {(row, set) => {
          const key = `medications.${row.id}`;
          const known = classOfDrug(row.name);
          return (
            <>
              <div className={styles.fieldRow}>
                <TextField
                  label="Drug name"
                  hint={known ? "Class set from the name." : "Type a name, or pick a class."}
                  {...fieldProps(errors, `${key}.name`)}
                  list={listId}
                  autoComplete="off"
                  value={row.name}
                  onChange={(e) => {
                    const name = e.target.value;
                    const drugClass = classOfDrug(name);
                    set(drugClass ? { name, medicationClass: drugClass } : { name });
                  }}
                />
                <SelectField
                  label="Class"
                  {...fieldProps(errors, `${key}.class`)}
                  value={row.medicationClass}
                  placeholder="Choose a class"
                  options={MEDICATION_CLASS_OPTIONS}
                  onChange={(e) => set({ medicationClass: e.target.value as MedicationClass | "" })}
                />
              </div>
              {takesGlucocorticoidDose(row.medicationClass === "" ? null : row.medicationClass) ? (
                <NumberField
                  className={styles.narrowField}
                  label="Dose (prednisolone-equivalent)"
                  unit="mg/day"
                  {...fieldProps(errors, `${key}.dose`)}
                  value={row.doseMgPerDay}
                  onChange={(e) => set({ doseMgPerDay: e.target.value })}
                />
              ) : null}
              <div className={styles.fieldRow}>
                <DateField
                  label="Started on (optional)"
                  maxDate={maxDate}
                  {...fieldProps(errors, `${key}.startedOn`)}
                  value={row.startedOn}
                  onChange={(e) => set({ startedOn: e.target.value })}
                />
                <DateField
                  label="Stopped on (optional)"
                  maxDate={maxDate}
                  {...fieldProps(errors, `${key}.stoppedOn`)}
                  value={row.stoppedOn}
                  onChange={(e) => set({ stoppedOn: e.target.value })}
                />
              </div>
            </>
          );
        }}
      </RowList>
    </>
  );
}
