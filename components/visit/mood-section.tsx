"use client";

import type { GdsAnswer } from "@/lib/clinical/constants";
import { gds15BandLabel, phq9BandLabel } from "@/lib/clinical/instruments";
import { TERM_HINT } from "@/components/clinical/labels";
import { TermTip } from "@/components/clinical/term-tip";
import { ChoiceField } from "@/components/ui/field";
import type { SectionProps } from "./fields";
import {
  DIFFICULTY_ANSWERS,
  GDS15_ITEMS,
  GDS15_STEM,
  PHQ9_DIFFICULTY,
  PHQ9_ITEMS,
  PHQ9_STEM,
  PHQ_ANSWERS,
} from "./instrument-items";
import { gds15Progress, phq2Progress, phq9Progress } from "./instrument-progress";
import { ItemGrid, type GridOption } from "./item-grid";
import type { VisitFormState } from "./visit-form.utils";
import styles from "./visit.module.css";

type Answer = 0 | 1 | 2 | 3;

function digitOptions(
  answers: readonly { value: Answer; label: string }[],
): readonly GridOption<Answer>[] {
  return answers.map((a) => ({
    value: a.value,
    face: String(a.value),
    label: a.label,
    key: String(a.value),
  }));
}

const PHQ_OPTIONS = digitOptions(PHQ_ANSWERS);
const DIFFICULTY_OPTIONS = digitOptions(DIFFICULTY_ANSWERS);
const GDS_OPTIONS: readonly GridOption<GdsAnswer>[] = [
  { value: "yes", face: "Yes", label: "Yes", key: "y" },
  { value: "no", face: "No", label: "No", key: "n" },
];
const INSTRUMENT_OPTIONS: readonly {
  value: VisitFormState["depressionInstrument"];
  label: string;
}[] = [
  { value: "phq9", label: "PHQ-9" },
  { value: "phq2", label: "PHQ-2 instead (items 1–2 only)" },
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

/** Ties a questionnaire grid to its answers in the form; its items' keys are `${fieldPrefix}.i`. */
function gridOf<L extends "phq9" | "phq2" | "gds15">(
  { form, update, errors }: Omit<SectionProps, "maxDate">,
  list: L,
  fieldPrefix: string,
) {
  type Value = NonNullable<VisitFormState[L][number]>;
  return {
    name: list,
    values: form[list] as readonly (Value | null)[],
    onAnswer: (index: number, value: Value): void =>
      update((f) => {
        const next: (Value | null)[] = [...(f[list] as readonly (Value | null)[])];
        next[index] = value;
        return { ...f, [list]: next };
      }),
    errors: itemsErrors(errors, fieldPrefix),
    fieldPrefix,
  };
}

/**
 * A questionnaire's total and band once complete; until then how many items are answered (and,
 * where the instrument has one, the running total). Never prorated.
 */
function TotalLine<B extends string>({
  name,
  max,
  items,
  progress: { total, band, answered, runningTotal },
  bandText,
  runningLabel,
  incompleteNote = "",
  error,
  testId,
}: {
  name: string;
  max: number;
  items: number;
  progress: { total: number | null; band: B | null; answered: number; runningTotal?: number };
  bandText: (band: B) => string;
  /** Names the running total while incomplete, for the instruments that show one. */
  runningLabel?: string;
  incompleteNote?: string;
  error?: string | undefined;
  testId?: string;
}) {
  return (
    <div className={styles.total} aria-live="polite" data-testid={testId}>
      {total !== null && band !== null ? (
        <>
          <span>
            {name} total <span className={styles.totalValue}>{total}</span> / {max}
          </span>
          <span>{bandText(band)}</span>
        </>
      ) : (
        <>
          {runningLabel !== undefined && runningTotal !== undefined ? (
            <span>
              {runningLabel} <span className={styles.totalValue}>{runningTotal}</span>
            </span>
          ) : null}
          <span className={styles.incomplete}>
            {answered} of {items} answered
            {answered > 0 ? incompleteNote : ""}
          </span>
        </>
      )}
      {error ? <span className="error">{error}</span> : null}
    </div>
  );
}

/** Mood: PHQ-9 (or PHQ-2) with the difficulty item, then GDS-15; running totals and bands. */
export function MoodSection(props: Omit<SectionProps, "maxDate">) {
  const { form, update, errors } = props;
  return (
    <>
      <ChoiceField
        legend="Depression questionnaire"
        options={INSTRUMENT_OPTIONS}
        value={form.depressionInstrument}
        onChange={(value) => update((f) => ({ ...f, depressionInstrument: value }))}
      />

      {form.depressionInstrument === "phq9" ? (
        <>
          <h3 className={styles.subheading}>
            PHQ-9 <TermTip term="PHQ-9">{TERM_HINT.phq9}</TermTip>
          </h3>
          <p className={styles.keysHint}>
            {PHQ9_STEM} Type 0–3 on an item to answer it and move to the next.
          </p>
          <ItemGrid
            label="PHQ-9 items"
            items={PHQ9_ITEMS}
            options={PHQ_OPTIONS}
            {...gridOf(props, "phq9", "phq9.items")}
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
          <TotalLine
            name="PHQ-9"
            max={27}
            items={9}
            progress={phq9Progress(form.phq9)}
            bandText={phq9BandLabel}
            runningLabel="Running total"
            incompleteNote=": incomplete, no total (not prorated)"
            error={errors.phq9}
            testId="phq9-total"
          />
        </>
      ) : (
        <>
          <h3 className={styles.subheading}>
            PHQ-2 <TermTip term="PHQ-2">{TERM_HINT.phq2}</TermTip>
          </h3>
          <p className={styles.keysHint}>{PHQ9_STEM} Type 0–3 on an item to answer it.</p>
          <ItemGrid
            label="PHQ-2 items"
            items={PHQ9_ITEMS.slice(0, 2)}
            options={PHQ_OPTIONS}
            {...gridOf(props, "phq2", "phq2.items")}
          />
          <TotalLine
            name="PHQ-2"
            max={6}
            items={2}
            progress={phq2Progress(form.phq2)}
            bandText={(band) =>
              band === "positive" ? "positive: follow with a PHQ-9" : "negative"
            }
          />
        </>
      )}

      <h3 className={styles.subheading}>
        GDS-15 <TermTip term="GDS-15">{TERM_HINT.gds15}</TermTip>
      </h3>
      <p className={styles.keysHint}>
        {GDS15_STEM} Type y or n on an item to answer it and move to the next.
      </p>
      <ItemGrid
        label="GDS-15 items"
        items={GDS15_ITEMS}
        options={GDS_OPTIONS}
        {...gridOf(props, "gds15", "gds15.answers")}
      />
      <TotalLine
        name="GDS-15"
        max={15}
        items={15}
        progress={gds15Progress(form.gds15)}
        bandText={gds15BandLabel}
        runningLabel="Points so far"
        incompleteNote=": incomplete, no total"
      />
    </>
  );
}
