"use client";

import Link from "next/link";
import { SuicideRiskBanner } from "@/components/clinical/critical-banner";
import { FlagCardList } from "@/components/clinical/flag-card";
import { SuggestionList } from "@/components/clinical/suggestion-list";
import { PriorityBadge } from "@/components/ui/badge";
import { IconCheck } from "@/components/ui/icons";
import type { RecordVisitResult } from "@/lib/client/use-record-visit";
import { formatDate } from "@/lib/clinical/dates";
import { timeInZone } from "@/lib/time-zone";
import { NOT_ASSESSED, type SectionContents } from "./visit-sections";
import styles from "./visit.module.css";

/** After a save: when it was saved, where to go next, and the server's stored assessment. */
export function SavedVisit({
  saved,
  contents,
  timeZone,
  patientName,
  patientPath,
}: {
  saved: RecordVisitResult;
  /** What was saved, per section of the form. */
  contents: readonly SectionContents[];
  /** The site's zone: the time of the save as the clinic's clock shows it. */
  timeZone: string;
  patientName: string;
  patientPath: string;
}) {
  const result = saved.assessment;
  const savedCritical = result.flags.find((f) => f.severity === "critical");
  return (
    <div>
      {savedCritical ? (
        <div className={styles.pageBanner}>
          <SuicideRiskBanner item9={null} sticky />
        </div>
      ) : null}
      <div className="alert alert-success" role="status" tabIndex={-1}>
        <IconCheck />
        <div>
          <strong>
            Visit saved at {timeInZone(saved.visit.recordedAt, timeZone)} on{" "}
            {formatDate(saved.visit.occurredOn)}.
          </strong>{" "}
          The assessment below is the server&apos;s stored result for {patientName}.
        </div>
      </div>
      <div className={styles.actions}>
        <Link className="btn btn-primary" href={patientPath}>
          Open patient page
        </Link>
        <Link className="btn" href={`${patientPath}/print`}>
          Print plan
        </Link>
        <Link className="btn" href="/patients">
          Back to patients
        </Link>
      </div>
      <section className="card" aria-labelledby="saved-contents-heading">
        <h2 id="saved-contents-heading">What was saved</h2>
        <dl className={styles.savedContents}>
          {contents.map((section) => (
            <div key={section.id}>
              <dt>{section.title}</dt>
              {section.entries.length === 0 ? (
                <dd className="muted">{NOT_ASSESSED}</dd>
              ) : (
                section.entries.map((entry) => <dd key={entry}>{entry}</dd>)
              )}
            </div>
          ))}
        </dl>
      </section>
      <section className="card" aria-labelledby="saved-heading">
        <div className={styles.panelHead}>
          <h2 id="saved-heading" style={{ margin: 0 }}>
            Saved assessment
          </h2>
          <PriorityBadge priority={result.priority} />
        </div>
        <p className={styles.panelNote}>
          As of {formatDate(result.asOf)} · ruleset {result.rulesetVersion} ·{" "}
          {saved.flags.length === 1 ? "1 open flag" : `${saved.flags.length} open flags`}
        </p>
        <h3>Flags</h3>
        <FlagCardList flags={result.flags} emptyText="No flag fires." headingLevel={4} />
        <h3>Suggestions</h3>
        <SuggestionList suggestions={result.suggestions} headingLevel={4} />
      </section>
    </div>
  );
}
