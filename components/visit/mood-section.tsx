"use client";

import type { GdsAnswer } from "@/lib/clinical/constants";
import { gds15BandLabel, phq9BandLabel } from "@/lib/clinical/instruments";
import { TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import {
  DIFFICULTY_ANSWERS,
  GDS15_ITEMS,
  GDS15_STEM,
  PHQ9_DIFFICULTY,
  PHQ9_ITEMS,
  PHQ9_STEM,
  PHQ_ANSWERS,
} from "./instrument-items";
import { ItemGrid, type GridOption } from "./item-grid";
import {
  gds15Progress,
  phq2Progress,
  phq9Progress,
  type ItemAnswer,
  type VisitFormState,
} from "./visit-form.utils";
import styles from "./visit.module.css";

type Answer = 0 | 1 | 2 | 3;

const PHQ_OPTIONS: readonly GridOption<Answer>[] = PHQ_ANSWERS.map((a) => ({
  value: a.value,
  face: String(a.value),
  label: a.label,
  key: String(a.value),
}));
const DIFFICULTY_OPTIONS: readonly GridOption<Answer>[] = DIFFICULTY_ANSWERS.map((a) => ({
  value: a.value,
  face: String(a.value),
  label: a.label,
  key: String(a.value),
}));
const GDS_OPTIONS: readonly GridOption<GdsAnswer>[] = [
  { value: "yes", face: "Yes", label: "Yes", key: "y" },
  { value: "no", face: "No", label: "No", key: "n" },
];

function itemsErrors(
  errors: Readonly<Record<string, string>>,
  prefix: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key.startsWith(`${prefix}.`)) out[key] = message;
  }
  return out;
}

/** Mood: PHQ-9 (or PHQ-2) with the difficulty item, then GDS-15; running totals and bands. */
export function MoodSection({
  form,
  update,
  errors,
}: {
  form: VisitFormState;
  update: (change: (draft: VisitFormState) => VisitFormState) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const phq9 = phq9Progress(form.phq9);
  const phq2 = phq2Progress(form.phq2);
  const gds = gds15Progress(form.gds15);
  const setItem = (list: "phq9" | "phq2", index: number, value: ItemAnswer): void =>
    update((f) => {
      const next = [...f[list]];
      next[index] = value;
      return { ...f, [list]: next };
    });

  return (
    <>
      <fieldset className={styles.choice}>
        <legend>Depression questionnaire</legend>
        <div className={styles.choiceOptions}>
          <label>
            <input
              type="radio"
              name="depression-instrument"
              checked={form.depressionInstrument === "phq9"}
              onChange={() => update((f) => ({ ...f, depressionInstrument: "phq9" }))}
            />
            PHQ-9
          </label>
          <label>
            <input
              type="radio"
              name="depression-instrument"
              checked={form.depressionInstrument === "phq2"}
              onChange={() => update((f) => ({ ...f, depressionInstrument: "phq2" }))}
            />
            PHQ-2 instead (items 1–2 only)
          </label>
        </div>
      </fieldset>

      {form.depressionInstrument === "phq9" ? (
        <>
          <h3 className={styles.subheading}>
            PHQ-9 <TermTip term="PHQ-9">{TERM_HINT.phq9}</TermTip>
          </h3>
          <p className={styles.keysHint}>
            {PHQ9_STEM} Type 0–3 on an item to answer it and move to the next.
          </p>
          <ItemGrid
            name="phq9"
            label="PHQ-9 items"
            items={PHQ9_ITEMS}
            options={PHQ_OPTIONS}
            values={form.phq9}
            onAnswer={(index, value) => setItem("phq9", index, value)}
            errors={itemsErrors(errors, "phq9.items")}
            fieldPrefix="phq9.items"
            emphasize={(index, value) => index === 8 && value !== null && value > 0}
          />
          <ItemGrid
            name="phq9-difficulty"
            label="PHQ-9 difficulty"
            items={[PHQ9_DIFFICULTY]}
            options={DIFFICULTY_OPTIONS}
            values={[form.phq9Difficulty]}
            onAnswer={(_index, value) => update((f) => ({ ...f, phq9Difficulty: value }))}
            errors={
              errors["phq9.difficulty"] ? { "phq9.difficulty.0": errors["phq9.difficulty"] } : {}
            }
            fieldPrefix="phq9.difficulty"
            firstNumber={10}
          />
          <div className={styles.total} aria-live="polite" data-testid="phq9-total">
            {phq9.total !== null && phq9.band !== null ? (
              <>
                <span>
                  PHQ-9 total <span className={styles.totalValue}>{phq9.total}</span> / 27
                </span>
                <span>{phq9BandLabel(phq9.band)}</span>
              </>
            ) : (
              <>
                <span>
                  Running total <span className={styles.totalValue}>{phq9.runningTotal}</span>
                </span>
                <span className={styles.incomplete}>
                  {phq9.answered} of 9 answered
                  {phq9.answered > 0 ? ": incomplete, no total (not prorated)" : ""}
                </span>
              </>
            )}
            {errors.phq9 ? <span className="error">{errors.phq9}</span> : null}
          </div>
        </>
      ) : (
        <>
          <h3 className={styles.subheading}>
            PHQ-2 <TermTip term="PHQ-2">{TERM_HINT.phq2}</TermTip>
          </h3>
          <p className={styles.keysHint}>{PHQ9_STEM} Type 0–3 on an item to answer it.</p>
          <ItemGrid
            name="phq2"
            label="PHQ-2 items"
            items={PHQ9_ITEMS.slice(0, 2)}
            options={PHQ_OPTIONS}
            values={form.phq2}
            onAnswer={(index, value) => setItem("phq2", index, value)}
            errors={itemsErrors(errors, "phq2.items")}
            fieldPrefix="phq2.items"
          />
          <div className={styles.total} aria-live="polite">
            {phq2.total !== null ? (
              <>
                <span>
                  PHQ-2 total <span className={styles.totalValue}>{phq2.total}</span> / 6
                </span>
                <span>
                  {phq2.band === "positive" ? "positive: follow with a PHQ-9" : "negative"}
                </span>
              </>
            ) : (
              <span className={styles.incomplete}>{phq2.answered} of 2 answered</span>
            )}
          </div>
        </>
      )}

      <h3 className={styles.subheading}>
        GDS-15 <TermTip term="GDS-15">{TERM_HINT.gds15}</TermTip>
      </h3>
      <p className={styles.keysHint}>
        {GDS15_STEM} Type y or n on an item to answer it and move to the next.
      </p>
      <ItemGrid
        name="gds15"
        label="GDS-15 items"
        items={GDS15_ITEMS}
        options={GDS_OPTIONS}
        values={form.gds15}
        onAnswer={(index, value) =>
          update((f) => {
            const next = [...f.gds15];
            next[index] = value;
            return { ...f, gds15: next };
          })
        }
        errors={itemsErrors(errors, "gds15.answers")}
        fieldPrefix="gds15.answers"
      />
      <div className={styles.total} aria-live="polite">
        {gds.total !== null && gds.band !== null ? (
          <>
            <span>
              GDS-15 total <span className={styles.totalValue}>{gds.total}</span> / 15
            </span>
            <span>{gds15BandLabel(gds.band)}</span>
          </>
        ) : (
          <>
            <span>
              Points so far <span className={styles.totalValue}>{gds.runningTotal}</span>
            </span>
            <span className={styles.incomplete}>
              {gds.answered} of 15 answered{gds.answered > 0 ? ": incomplete, no total" : ""}
            </span>
          </>
        )}
      </div>
    </>
  );
}
