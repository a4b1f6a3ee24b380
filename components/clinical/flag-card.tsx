import type { ReactNode } from "react";
import { SeverityBadge } from "@/components/ui/badge";
import type { Severity } from "@/lib/clinical/constants";
import { formatDate } from "@/lib/clinical/dates";
import type { Flag } from "@/lib/clinical/types";
import { EvidenceLinks } from "./evidence-links";
import styles from "./clinical.module.css";

/** Workflow facts of a stored flag (absent in the live preview, where nothing is stored yet). */
export interface FlagWorkflow {
  status: "open" | "acknowledged" | "snoozed";
  openedAt: string;
  dueOn: string | null;
  assigneeName: string | null;
  snoozedUntil: string | null;
  /** False when the latest assessment no longer fires it (a critical flag waiting for a person). */
  firing: boolean;
}

/** "femoral_neck T -2.7" → "femoral-neck T −2.7" (the engine's short value, for reading). */
export function readableValue(value: string | number): string {
  return String(value)
    .replace(/_/g, "-")
    .replace(/(^|[\s(=])-(?=\d)/g, "$1−");
}

const STATUS_LABEL: Record<FlagWorkflow["status"], string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  snoozed: "Snoozed",
};

/**
 * One flag: severity in words and icon, the one-line reason, the inputs with their dates (stale
 * ones marked), the thresholds and the sources; with its workflow when stored.
 */
export function FlagCard({
  code,
  title,
  severity,
  detail,
  workflow,
  headingLevel = 3,
  children,
}: {
  code: string;
  /** The flag's name while its details load (else the code stands in). */
  title?: string;
  severity: Severity;
  detail: Flag | null;
  workflow?: FlagWorkflow;
  headingLevel?: 3 | 4;
  /** The actions on the flag the reader may take, under its workflow. */
  children?: ReactNode;
}) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  return (
    <article
      className={`${styles.flagCard} ${styles[`edge-${severity}`] ?? ""}`}
      aria-label={detail?.title ?? title ?? code}
      data-flag-code={code}
    >
      <div className={styles.flagHead}>
        <SeverityBadge severity={severity} />
        {/* People read the rule's name; its code (for the rules reference) shows on hover. */}
        <Heading className={styles.flagTitle} title={`Rule ${code}`}>
          {detail?.title ?? title ?? code}
        </Heading>
      </div>
      {detail ? (
        <>
          <p className={styles.rationale}>{detail.rationale}</p>
          <dl className={styles.facts}>
            {detail.inputs.length > 0 ? (
              <>
                <dt>Based on</dt>
                <dd>
                  <ul className={styles.inlineList}>
                    {detail.inputs.map((input) => (
                      <li key={`${input.kind}-${input.effective}-${String(input.value)}`}>
                        {readableValue(input.value)} · {formatDate(input.effective)}
                        {input.stale ? <span className={styles.staleTag}>stale</span> : null}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            {detail.thresholds.length > 0 ? (
              <>
                <dt>Threshold</dt>
                <dd>{detail.thresholds.join("; ")}</dd>
              </>
            ) : null}
            {detail.sources.length > 0 ? (
              <>
                <dt>Evidence</dt>
                <dd>
                  <EvidenceLinks sources={detail.sources} label="Sources" />
                </dd>
              </>
            ) : null}
          </dl>
        </>
      ) : (
        <p className={styles.small}>The details of this flag are not available.</p>
      )}
      {workflow ? (
        <div className={styles.meta}>
          <span>
            Status: <strong>{STATUS_LABEL[workflow.status]}</strong>
            {workflow.status === "snoozed" && workflow.snoozedUntil
              ? ` until ${formatDate(workflow.snoozedUntil)}`
              : null}
          </span>
          <span>Opened {formatDate(workflow.openedAt.slice(0, 10))}</span>
          <span>Due {workflow.dueOn ? formatDate(workflow.dueOn) : "—"}</span>
          <span>Assigned to {workflow.assigneeName ?? "nobody yet"}</span>
          {!workflow.firing ? (
            <span>
              <strong>No longer met</strong>: stays open until a person resolves it
            </span>
          ) : null}
        </div>
      ) : null}
      {children}
    </article>
  );
}

/** The flags of an assessment as cards, or `emptyText` when none fires. */
export function FlagCardList({
  flags,
  emptyText,
  headingLevel,
}: {
  flags: readonly Flag[];
  emptyText: string;
  headingLevel?: 3 | 4;
}) {
  if (flags.length === 0) return <p className="muted">{emptyText}</p>;
  return flags.map((flag) => (
    <FlagCard
      key={flag.code}
      code={flag.code}
      severity={flag.severity}
      detail={flag}
      headingLevel={headingLevel}
    />
  ));
}
