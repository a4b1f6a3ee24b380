"use client";

import { BMD_SITES, type BmdSite } from "@/lib/clinical/constants";
import { TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import { InputField, YesNoField } from "./fields";
import type { VisitFormState } from "./visit-form.utils";
import styles from "./visit.module.css";

type Update = (change: (draft: VisitFormState) => VisitFormState) => void;

/** Site names as on a DXA report. */
export const BMD_SITE_NAME: Readonly<Record<BmdSite, string>> = {
  lumbar_spine: "Lumbar spine",
  total_hip: "Total hip",
  femoral_neck: "Femoral neck",
  radius_33: "33% radius",
};

/** Bone density: T- and Z-score per site; the DXA date is the visit date unless changed. */
export function BoneDensitySection({
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
  const setScore = (site: BmdSite, which: "tScore" | "zScore", value: string): void =>
    update((f) => ({ ...f, bmd: { ...f.bmd, [site]: { ...f.bmd[site], [which]: value } } }));
  return (
    <>
      <p className={styles.keysHint}>
        T-score <TermTip term="a T-score">{TERM_HINT.tScore}</TermTip> and Z-score{" "}
        <TermTip term="a Z-score">{TERM_HINT.zScore}</TermTip> per site, from −7 to +7. Leave a site
        empty when it was not measured.
      </p>
      <table className={styles.bmdTable}>
        <caption className="visually-hidden">DXA results by site</caption>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">T-score</th>
            <th scope="col">Z-score</th>
          </tr>
        </thead>
        <tbody>
          {BMD_SITES.map((site) => {
            const tKey = `bmd.${site}.tScore`;
            const zKey = `bmd.${site}.zScore`;
            return (
              <tr key={site}>
                <th scope="row">{BMD_SITE_NAME[site]}</th>
                <td>
                  <input
                    className="input"
                    type="text"
                    inputMode="decimal"
                    aria-label={`${BMD_SITE_NAME[site]} T-score`}
                    data-field={tKey}
                    value={form.bmd[site].tScore}
                    onChange={(e) => setScore(site, "tScore", e.target.value)}
                    aria-invalid={errors[tKey] ? true : undefined}
                    aria-describedby={errors[tKey] ? `${tKey}-error` : undefined}
                  />
                  {errors[tKey] ? (
                    <span className="error" id={`${tKey}-error`} style={{ display: "block" }}>
                      {errors[tKey]}
                    </span>
                  ) : null}
                </td>
                <td>
                  <input
                    className="input"
                    type="text"
                    inputMode="decimal"
                    aria-label={`${BMD_SITE_NAME[site]} Z-score`}
                    data-field={zKey}
                    value={form.bmd[site].zScore}
                    onChange={(e) => setScore(site, "zScore", e.target.value)}
                    aria-invalid={errors[zKey] ? true : undefined}
                    aria-describedby={errors[zKey] ? `${zKey}-error` : undefined}
                  />
                  {errors[zKey] ? (
                    <span className="error" id={`${zKey}-error`} style={{ display: "block" }}>
                      {errors[zKey]}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <InputField
        className={styles.narrowField}
        label="DXA date"
        hint="Leave empty when the scan was done on the visit date."
        field="bmd.effective"
        type="date"
        max={maxDate}
        value={form.bmdEffective}
        onChange={(e) => update((f) => ({ ...f, bmdEffective: e.target.value }))}
        error={errors["bmd.effective"]}
      />
    </>
  );
}

/** Fracture risk: the FRAX result as computed elsewhere (licensed tool). */
export function FraxSection({
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
  return (
    <>
      <p className={styles.keysHint}>
        FRAX <TermTip term="FRAX">{TERM_HINT.frax}</TermTip> is computed with the official tool
        elsewhere: enter its 10-year probabilities here.
      </p>
      <div className={styles.fieldRow}>
        <InputField
          label="Major osteoporotic fracture"
          field="frax.majorOsteoporoticPct"
          unit="%"
          type="text"
          inputMode="decimal"
          value={form.fraxMajorPct}
          onChange={(e) => update((f) => ({ ...f, fraxMajorPct: e.target.value }))}
          error={errors["frax.majorOsteoporoticPct"]}
        />
        <InputField
          label="Hip fracture"
          field="frax.hipPct"
          unit="%"
          type="text"
          inputMode="decimal"
          value={form.fraxHipPct}
          onChange={(e) => update((f) => ({ ...f, fraxHipPct: e.target.value }))}
          error={errors["frax.hipPct"]}
        />
      </div>
      <YesNoField
        legend="Calculated with BMD (femoral-neck T-score entered into FRAX)?"
        field="frax.withBmd"
        value={form.fraxWithBmd}
        onChange={(value) => update((f) => ({ ...f, fraxWithBmd: value }))}
        error={errors["frax.withBmd"]}
        unansweredLabel="Not stated"
      />
      <InputField
        className={styles.narrowField}
        label="FRAX date"
        hint="Leave empty when calculated on the visit date."
        field="frax.effective"
        type="date"
        max={maxDate}
        value={form.fraxEffective}
        onChange={(e) => update((f) => ({ ...f, fraxEffective: e.target.value }))}
        error={errors["frax.effective"]}
      />
    </>
  );
}
