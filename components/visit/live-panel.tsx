"use client";

import { PriorityBadge } from "@/components/ui/badge";
import { DataStatusStrip } from "@/components/clinical/data-status-strip";
import { FlagCardList } from "@/components/clinical/flag-card";
import { SuggestionList } from "@/components/clinical/suggestion-list";
import { SuicideRiskBanner } from "@/components/clinical/critical-banner";
import { formatDate } from "@/lib/clinical/dates";
import { formatNumber } from "@/lib/clinical/format";
import { gds15BandLabel, phq9BandLabel } from "@/lib/clinical/instruments";
import type { Assessment, Scores } from "@/lib/clinical/types";
import { suicideBanner } from "./live-assessment";
import styles from "./visit.module.css";

interface Tile {
  label: string;
  value: string | null;
  note?: string;
}

/** The five headline results of one set of scores (null: none). */
function tilesOf(s: Scores): (Tile & { effective: string | null })[] {
  return [
    {
      label: "PHQ-9",
      value: s.phq9 ? (s.phq9.total !== null ? String(s.phq9.total) : "incomplete") : null,
      note: s.phq9?.band ? phq9BandLabel(s.phq9.band) : undefined,
      effective: s.phq9?.effective ?? null,
    },
    {
      label: "GDS-15",
      value: s.gds15 ? (s.gds15.total !== null ? String(s.gds15.total) : "incomplete") : null,
      note: s.gds15?.band ? gds15BandLabel(s.gds15.band) : undefined,
      effective: s.gds15?.effective ?? null,
    },
    {
      label: "Lowest T-score",
      value: s.lowestTScore ? formatNumber(s.lowestTScore.value, 1) : null,
      note: s.lowestTScore ? s.lowestTScore.site.replace("_", " ") : undefined,
      effective: s.lowestTScore?.effective ?? null,
    },
    {
      label: "Vitamin D",
      value: s.vitaminDNgPerMl !== null ? `${formatNumber(s.vitaminDNgPerMl, 1)} ng/mL` : null,
      effective: s.vitaminD?.effective ?? null,
    },
    {
      label: "FRAX major / hip",
      value: s.frax
        ? `${formatNumber(s.frax.majorOsteoporoticPct, 1)} % / ${formatNumber(s.frax.hipPct, 1)} %`
        : null,
      effective: s.frax?.effective ?? null,
    },
  ];
}

/**
 * This visit's results, each with the one on record before it ("last: PHQ-9 12 on 3 Sep 2026"):
 * a past result is never shown as a value of this visit.
 */
function ScoreTiles({ scores }: { scores: { visit: Scores; last: Scores } }) {
  const last = tilesOf(scores.last);
  return (
    <ul className={styles.scoreList} aria-label="This visit's results">
      {tilesOf(scores.visit).map((t, index) => {
        const before = last[index];
        return (
          <li key={t.label} className={t.value === null ? styles.missing : undefined}>
            {t.label}
            <span className={styles.scoreValue}>{t.value ?? "not entered"}</span>
            {t.note ? <span>{t.note}</span> : null}
            {before?.value && before.effective ? (
              <span className={styles.scoreLast}>
                last: {before.label} {before.value} on {formatDate(before.effective)}
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The live panel: the rules engine's result for this visit as typed (nothing is saved), with the
 * suicide-risk banner first.
 */
export function LivePanel({
  assessment,
  scores,
  item9,
  skipped,
  today,
}: {
  assessment: Assessment | null;
  /** This visit's results and those on record before it. */
  scores: { visit: Scores; last: Scores } | null;
  /** PHQ-9 item 9 as entered in this form (null when not answered). */
  item9: number | null;
  /** Entries of this form left out of the assessment, named, with why. */
  skipped: readonly string[];
  today: string;
}) {
  const banner = suicideBanner(assessment, item9);
  return (
    <aside className={styles.panel} aria-labelledby="live-panel-heading">
      {banner.show ? (
        <div className={`${styles.panelBanner} ${styles.wideOnly}`}>
          <SuicideRiskBanner item9={banner.item9} />
        </div>
      ) : null}
      <div className={styles.panelHead}>
        <h2 id="live-panel-heading">Live assessment</h2>
        {assessment ? <PriorityBadge priority={assessment.priority} /> : null}
      </div>
      <p className={styles.panelNote}>
        {assessment
          ? `As of ${formatDate(assessment.asOf)}, with this visit's entries. Not saved yet.`
          : "Enter a valid visit date to see the assessment."}
      </p>
      <div role="status">
        {skipped.length > 0 ? (
          <>
            <p className={styles.panelNote}>
              {skipped.length === 1
                ? "1 entry is incomplete or not valid yet and is not counted:"
                : `${skipped.length} entries are incomplete or not valid yet and are not counted:`}
            </p>
            <ul className={styles.panelNote}>
              {skipped.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      {assessment ? (
        <>
          {scores ? <ScoreTiles scores={scores} /> : null}
          <h3>Flags ({assessment.flags.length})</h3>
          <FlagCardList
            flags={assessment.flags}
            emptyText="No flag fires on the data so far. Missing data is listed below."
            headingLevel={4}
          />
          <h3>Suggestions</h3>
          <SuggestionList suggestions={assessment.suggestions} headingLevel={4} />
          <h3>Data status</h3>
          <DataStatusStrip dataStatus={assessment.dataStatus} today={today} />
        </>
      ) : null}
    </aside>
  );
}

/**
 * On a phone or tablet the live panel waits behind a bar pinned to the bottom: how many flags,
 * the highest priority and the suicide-risk state, always in view; it opens into the full panel.
 */
export function LiveBar({
  assessment,
  item9,
  open,
  onToggle,
}: {
  assessment: Assessment | null;
  item9: number | null;
  open: boolean;
  onToggle: () => void;
}) {
  const banner = suicideBanner(assessment, item9);
  const count = assessment?.flags.length ?? 0;
  return (
    <div className={styles.liveBar}>
      <button
        type="button"
        className={styles.liveBarButton}
        aria-expanded={open}
        aria-controls="live-panel-sheet"
        onClick={onToggle}
      >
        <span>{open ? "Close live assessment" : "Live assessment"}</span>
        <span>{count === 1 ? "1 flag" : `${count} flags`}</span>
        {assessment ? <PriorityBadge priority={assessment.priority} /> : null}
        <span className={banner.show ? styles.liveBarRisk : undefined}>
          {banner.show ? "Suicide risk" : "No suicide risk entered"}
        </span>
      </button>
    </div>
  );
}
