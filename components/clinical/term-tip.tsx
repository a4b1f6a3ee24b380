import type { ReactNode } from "react";
import styles from "./clinical.module.css";

/** A small "?" disclosure explaining a term (works with keyboard and touch, unlike `title`). */
export function TermTip({ term, children }: { term: string; children: ReactNode }) {
  return (
    <details className={styles.tip}>
      <summary aria-label={`What is ${term}?`} title={`What is ${term}?`}>
        ?
      </summary>
      <div className={styles.tipBody}>{children}</div>
    </details>
  );
}
