import type { ReactNode } from "react";
import { IconCritical } from "@/components/ui/icons";
import styles from "./clinical.module.css";

/**
 * A critical safety message (suicide risk): its own colour, an icon and words, announced to
 * assistive technology, and sticky at the top of the page it heads so it cannot be scrolled past
 * unseen.
 */
export function CriticalBanner({
  title,
  children,
  sticky = false,
  id,
}: {
  title: string;
  children?: ReactNode;
  sticky?: boolean;
  id?: string;
}) {
  return (
    <div
      role="alert"
      id={id}
      className={`${styles.critical} ${sticky ? styles.sticky : ""}`}
      data-critical-banner=""
    >
      <IconCritical />
      <div>
        <strong className={styles.criticalTitle}>{title}</strong>
        {children}
      </div>
    </div>
  );
}

/** The words of the suicide-risk banner for a PHQ-9 item 9 answer (docs/CLINICAL-RULES.md §3, §9). */
export function SuicideRiskBanner({
  item9,
  effectiveText,
  sticky = false,
}: {
  item9: number | null;
  effectiveText?: string;
  sticky?: boolean;
}) {
  return (
    <CriticalBanner title="Suicide risk: PHQ-9 item 9 is positive" sticky={sticky}>
      <p>
        {item9 !== null ? `Item 9 answered ${item9}` : "Item 9 answered above 0"}
        {effectiveText ? ` on ${effectiveText}` : ""}. Assess suicide risk today, whatever the
        total, and agree a safety plan. Give the crisis line (in the US call or text 988); do not
        leave a patient at imminent risk alone.
      </p>
    </CriticalBanner>
  );
}
