"use client";

import { useId } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { DateField, NumberField, YesNoField, type SectionProps } from "./fields";
import {
  classOfDrug,
  MEDICATION_CLASS_OPTIONS,
  MEDICATION_NAMES,
  takesGlucocorticoidDose,
} from "./medication-catalogue";
import { RowList } from "./row-list";
import { newRowId } from "./visit-form.utils";
import styles from "./visit.module.css";

/** Medications: pick a common drug name (its class follows) or a class directly; optional dates. */
export function MedicationsSection(props: SectionProps) {
  const { maxDate } = props;
  const listId = useId();
  return (
    <>
      <datalist id={listId}>
        {MEDICATION_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <RowList
        list="medications"
        section={props}
        noun="Medication"
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
        {(row, edit) => (
          <>
            <div className={styles.fieldRow}>
              <TextField
                label="Drug name"
                hint={
                  classOfDrug(row.name)
                    ? "Class set from the name."
                    : "Type a name, or pick a class."
                }
                {...edit.field("name")}
                list={listId}
                autoComplete="off"
                value={row.name}
                onChange={(e) => {
                  const name = e.target.value;
                  const drugClass = classOfDrug(name);
                  edit.set(drugClass ? { name, medicationClass: drugClass } : { name });
                }}
              />
              <SelectField
                label="Class"
                {...edit.text("medicationClass", "class")}
                placeholder="Choose a class"
                options={MEDICATION_CLASS_OPTIONS}
              />
            </div>
            {takesGlucocorticoidDose(row.medicationClass === "" ? null : row.medicationClass) ? (
              <>
                <NumberField
                  className={styles.narrowField}
                  label="Dose (prednisolone-equivalent)"
                  unit="mg/day"
                  {...edit.text("doseMgPerDay", "dose")}
                />
                {/* ACR 2022: bone care starts with a course planned for 3 months or more. */}
                <YesNoField
                  legend="Planned for 3 months or more?"
                  {...edit.yesNo("plannedLongTerm")}
                  unansweredLabel="Not known"
                />
              </>
            ) : null}
            <div className={styles.fieldRow}>
              <DateField
                label="Started on (optional)"
                today={maxDate}
                {...edit.date("startedOn")}
              />
              <DateField
                label="Stopped on (optional)"
                today={maxDate}
                {...edit.date("stoppedOn")}
              />
            </div>
          </>
        )}
      </RowList>
    </>
  );
}
