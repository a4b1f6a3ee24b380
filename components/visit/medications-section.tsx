"use client";

import { useId } from "react";
import type { MedicationClass } from "@/lib/clinical/constants";
import { InputField, SelectField } from "./fields";
import {
  classOfDrug,
  MEDICATION_CLASS_OPTIONS,
  MEDICATION_NAMES,
  takesGlucocorticoidDose,
} from "./medication-catalogue";
import { newRowId, type MedicationRow, type VisitFormState } from "./visit-form.utils";
import styles from "./visit.module.css";

/** Medications: pick a common drug name (its class follows) or a class directly; optional dates. */
export function MedicationsSection({
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
  const listId = useId();
  const setRow = (id: string, change: Partial<MedicationRow>): void =>
    update((f) => ({
      ...f,
      medications: f.medications.map((row) => (row.id === id ? { ...row, ...change } : row)),
    }));
  return (
    <>
      <datalist id={listId}>
        {MEDICATION_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {form.medications.length === 0 ? (
        <p className={styles.keysHint}>No medication entered at this visit.</p>
      ) : null}
      {form.medications.map((row, index) => {
        const key = `medications.${row.id}`;
        const known = classOfDrug(row.name);
        return (
          <div
            key={row.id}
            className={styles.rowCard}
            role="group"
            aria-label={`Medication ${index + 1}`}
          >
            <div className={styles.rowHead}>
              <span>Medication {index + 1}</span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  update((f) => ({
                    ...f,
                    medications: f.medications.filter((r) => r.id !== row.id),
                  }))
                }
              >
                Remove<span className="visually-hidden"> medication {index + 1}</span>
              </button>
            </div>
            <div className={styles.fieldRow}>
              <InputField
                label="Drug name"
                hint={known ? "Class set from the name." : "Type a name, or pick a class."}
                field={`${key}.name`}
                list={listId}
                autoComplete="off"
                value={row.name}
                onChange={(e) => {
                  const name = e.target.value;
                  const drugClass = classOfDrug(name);
                  setRow(row.id, drugClass ? { name, medicationClass: drugClass } : { name });
                }}
                error={errors[`${key}.name`]}
              />
              <SelectField
                label="Class"
                field={`${key}.class`}
                value={row.medicationClass}
                placeholder="Choose a class"
                options={MEDICATION_CLASS_OPTIONS}
                onChange={(value) =>
                  setRow(row.id, { medicationClass: value as MedicationClass | "" })
                }
                error={errors[`${key}.class`]}
              />
            </div>
            {takesGlucocorticoidDose(row.medicationClass === "" ? null : row.medicationClass) ? (
              <InputField
                className={styles.narrowField}
                label="Dose (prednisolone-equivalent)"
                field={`${key}.dose`}
                unit="mg/day"
                type="text"
                inputMode="decimal"
                value={row.doseMgPerDay}
                onChange={(e) => setRow(row.id, { doseMgPerDay: e.target.value })}
                error={errors[`${key}.dose`]}
              />
            ) : null}
            <div className={styles.fieldRow}>
              <InputField
                label="Started on (optional)"
                field={`${key}.startedOn`}
                type="date"
                max={maxDate}
                value={row.startedOn}
                onChange={(e) => setRow(row.id, { startedOn: e.target.value })}
                error={errors[`${key}.startedOn`]}
              />
              <InputField
                label="Stopped on (optional)"
                field={`${key}.stoppedOn`}
                type="date"
                max={maxDate}
                value={row.stoppedOn}
                onChange={(e) => setRow(row.id, { stoppedOn: e.target.value })}
                error={errors[`${key}.stoppedOn`]}
              />
            </div>
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          update((f) => ({
            ...f,
            medications: [
              ...f.medications,
              {
                id: newRowId("m"),
                name: "",
                medicationClass: "",
                doseMgPerDay: "",
                startedOn: "",
                stoppedOn: "",
              },
            ],
          }))
        }
      >
        Add medication
      </button>
    </>
  );
}
