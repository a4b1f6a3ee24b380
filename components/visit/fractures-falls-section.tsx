"use client";

import { FRACTURE_SITES } from "@/lib/clinical/constants";
import { fractureSiteLabel } from "@/lib/clinical/format";
import { SelectField } from "@/components/ui/field";
import {
  bindText,
  bindYesNo,
  DateField,
  NumberField,
  YesNoField,
  type SectionProps,
} from "./fields";
import { RowList } from "./row-list";
import { newRowId } from "./visit-form.utils";
import styles from "./visit.module.css";

const SITE_OPTIONS = FRACTURE_SITES.map((site) => ({
  value: site,
  label:
    site === "other" ? "Other site" : fractureSiteLabel(site).replace(/^./, (c) => c.toUpperCase()),
}));

/** Fractures (rows: site, date, fragility) and falls (count and the three STEADI questions). */
export function FracturesFallsSection(props: SectionProps) {
  const { maxDate } = props;
  return (
    <>
      <h3 className={styles.subheading}>Fractures</h3>
      <RowList
        list="fractures"
        section={props}
        noun="Fracture"
        newRow={() => ({ id: newRowId("f"), site: "", effective: "", fragility: null })}
        emptyText="No fracture entered at this visit."
      >
        {(row, edit) => (
          <>
            <div className={styles.fieldRow}>
              <SelectField
                label="Site"
                {...edit.text("site")}
                placeholder="Choose a site"
                options={SITE_OPTIONS}
              />
              <DateField label="Date of fracture" today={maxDate} {...edit.date("effective")} />
            </div>
            <YesNoField
              legend="Fragility fracture (from standing height or less)?"
              {...edit.yesNo("fragility")}
              unansweredLabel="Not known"
            />
          </>
        )}
      </RowList>

      <h3 className={styles.subheading}>Falls (STEADI)</h3>
      <NumberField
        className={styles.narrowField}
        label="Falls in the past 12 months"
        inputMode="numeric"
        {...bindText(props, "fallsCount", "falls.countPast12Months")}
      />
      <YesNoField
        legend="Was any fall injurious?"
        {...bindYesNo(props, "fallsInjurious", "falls.injurious")}
      />
      <YesNoField
        legend="Do you feel unsteady when standing or walking?"
        {...bindYesNo(props, "fallsUnsteady", "falls.unsteady")}
      />
      <YesNoField
        legend="Do you worry about falling?"
        {...bindYesNo(props, "fallsWorried", "falls.worriedAboutFalling")}
      />
    </>
  );
}
