"use client";

import { FRACTURE_SITES, type FractureSite } from "@/lib/clinical/constants";
import { fractureSiteLabel } from "@/lib/clinical/format";
import { InputField, SelectField, YesNoField } from "./fields";
import { newRowId, type FractureRow, type VisitFormState } from "./visit-form.utils";
import styles from "./visit.module.css";

type Update = (change: (draft: VisitFormState) => VisitFormState) => void;

const SITE_OPTIONS = FRACTURE_SITES.map((site) => ({
  value: site,
  label:
    site === "other" ? "Other site" : fractureSiteLabel(site).replace(/^./, (c) => c.toUpperCase()),
}));

/** Fractures (rows: site, date, fragility) and falls (count and the three STEADI questions). */
export function FracturesFallsSection({
  form,
  update,
  errors,
  maxDate,
}: {
  form: VisitFormState;
  update: Update;
  errors: Readonly<Record<string, string>>;
  maxDate: string;
}) {
  const setRow = (id: string, change: Partial<FractureRow>): void =>
    update((f) => ({
      ...f,
      fractures: f.fractures.map((row) => (row.id === id ? { ...row, ...change } : row)),
    }));
  return (
    <>
      <h3 className={styles.subheading}>Fractures</h3>
      {form.fractures.length === 0 ? (
        <p className={styles.keysHint}>No fracture entered at this visit.</p>
      ) : null}
      {form.fractures.map((row, index) => {
        const key = `fractures.${row.id}`;
        return (
          <div
            key={row.id}
            className={styles.rowCard}
            role="group"
            aria-label={`Fracture ${index + 1}`}
          >
            <div className={styles.rowHead}>
              <span>Fracture {index + 1}</span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  update((f) => ({ ...f, fractures: f.fractures.filter((r) => r.id !== row.id) }))
                }
              >
                Remove<span className="visually-hidden"> fracture {index + 1}</span>
              </button>
            </div>
            <div className={styles.fieldRow}>
              <SelectField
                label="Site"
                field={`${key}.site`}
                value={row.site}
                placeholder="Choose a site"
                options={SITE_OPTIONS}
                onChange={(value) => setRow(row.id, { site: value as FractureSite | "" })}
                error={errors[`${key}.site`]}
              />
              <InputField
                label="Date of fracture"
                field={`${key}.effective`}
                type="date"
                max={maxDate}
                value={row.effective}
                onChange={(e) => setRow(row.id, { effective: e.target.value })}
                error={errors[`${key}.effective`]}
              />
            </div>
            <YesNoField
              legend="Fragility fracture (from standing height or less)?"
              field={`${key}.fragility`}
              value={row.fragility}
              onChange={(value) => setRow(row.id, { fragility: value })}
              error={errors[`${key}.fragility`]}
              unansweredLabel="Not known"
            />
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          update((f) => ({
            ...f,
            fractures: [
              ...f.fractures,
              { id: newRowId("f"), site: "", effective: "", fragility: null },
            ],
          }))
        }
      >
        Add fracture
      </button>

      <h3 className={styles.subheading}>Falls (STEADI)</h3>
      <InputField
        className={styles.narrowField}
        label="Falls in the past 12 months"
        field="falls.countPast12Months"
        type="text"
        inputMode="numeric"
        value={form.fallsCount}
        onChange={(e) => update((f) => ({ ...f, fallsCount: e.target.value }))}
        error={errors["falls.countPast12Months"]}
      />
      <YesNoField
        legend="Was any fall injurious?"
        field="falls.injurious"
        value={form.fallsInjurious}
        onChange={(value) => update((f) => ({ ...f, fallsInjurious: value }))}
        error={errors["falls.injurious"]}
      />
      <YesNoField
        legend="Do you feel unsteady when standing or walking?"
        field="falls.unsteady"
        value={form.fallsUnsteady}
        onChange={(value) => update((f) => ({ ...f, fallsUnsteady: value }))}
        error={errors["falls.unsteady"]}
      />
      <YesNoField
        legend="Do you worry about falling?"
        field="falls.worriedAboutFalling"
        value={form.fallsWorried}
        onChange={(value) => update((f) => ({ ...f, fallsWorried: value }))}
        error={errors["falls.worriedAboutFalling"]}
      />
    </>
  );
}
