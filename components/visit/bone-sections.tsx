"use client";

import { BMD_SITES, type BmdSite } from "@/lib/clinical/constants";
import { BMD_SITE_LABEL, TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import { FieldError } from "@/components/ui/field";
import {
  bindText,
  bindYesNo,
  NumberField,
  ResultDateField,
  YesNoField,
  type SectionProps,
} from "./fields";
import styles from "./visit.module.css";

type Score = "tScore" | "zScore";
const SCORE_NAME: Readonly<Record<Score, string>> = { tScore: "T-score", zScore: "Z-score" };

/** One score of one site in the DXA table (the column heads label it). */
function ScoreCell({
  site,
  which,
  form,
  update,
  errors,
}: Omit<SectionProps, "maxDate"> & { site: BmdSite; which: Score }) {
  const key = `bmd.${site}.${which}`;
  const errorId = errors[key] ? `${key}-error` : undefined;
  return (
    <td>
      <input
        className="input"
        type="text"
        inputMode="decimal"
        aria-label={`${BMD_SITE_LABEL[site]} ${SCORE_NAME[which]}`}
        data-field={key}
        value={form.bmd[site][which]}
        onChange={(e) => {
          const value = e.target.value;
          update((f) => ({ ...f, bmd: { ...f.bmd, [site]: { ...f.bmd[site], [which]: value } } }));
        }}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errorId}
      />
      <FieldError id={errorId} error={errors[key]} />
    </td>
  );
}

/** Bone density: T- and Z-score per site; the DXA date is the visit date unless changed. */
export function BoneDensitySection(props: SectionProps) {
  return (
    <>
      <div className={styles.keysHint}>
        T-score <TermTip term="a T-score">{TERM_HINT.tScore}</TermTip> and Z-score{" "}
        <TermTip term="a Z-score">{TERM_HINT.zScore}</TermTip> per site, from −7 to +7. Leave a site
        empty when it was not measured.
      </div>
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
          {BMD_SITES.map((site) => (
            <tr key={site}>
              <th scope="row">{BMD_SITE_LABEL[site]}</th>
              <ScoreCell {...props} site={site} which="tScore" />
              <ScoreCell {...props} site={site} which="zScore" />
            </tr>
          ))}
        </tbody>
      </table>
      <ResultDateField
        section={props}
        name="bmdEffective"
        field="bmd.effective"
        label="DXA date"
        hint="Leave empty when the scan was done on the visit date."
      />
    </>
  );
}

/** Fracture risk: the FRAX result as computed elsewhere (licensed tool). */
export function FraxSection(props: SectionProps) {
  return (
    <>
      <div className={styles.keysHint}>
        FRAX <TermTip term="FRAX">{TERM_HINT.frax}</TermTip> is computed with the official tool
        elsewhere: enter its 10-year probabilities here.
      </div>
      <div className={styles.fieldRow}>
        <NumberField
          label="Major osteoporotic fracture"
          unit="%"
          {...bindText(props, "fraxMajorPct", "frax.majorOsteoporoticPct")}
        />
        <NumberField
          label="Hip fracture"
          unit="%"
          {...bindText(props, "fraxHipPct", "frax.hipPct")}
        />
      </div>
      <YesNoField
        legend="Calculated with BMD (femoral-neck T-score entered into FRAX)?"
        {...bindYesNo(props, "fraxWithBmd", "frax.withBmd")}
        unansweredLabel="Not stated"
      />
      <ResultDateField
        section={props}
        name="fraxEffective"
        field="frax.effective"
        label="FRAX date"
        hint="Leave empty when calculated on the visit date."
      />
    </>
  );
}
