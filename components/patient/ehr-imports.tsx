import type { EhrImportItem } from "@/lib/api/ehr-imports";
import { formatDateTime } from "@/lib/client/date-time";
import styles from "./patient.module.css";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * What came from the EHR and from where: the clinician sees which system the data on this page
 * was read from, what was new, and what was left out (never silently dropped).
 */
export function EhrImports({
  imports,
  timeZone,
}: {
  imports: readonly EhrImportItem[];
  /** The patient's site's zone. */
  timeZone: string;
}) {
  if (imports.length === 0) return null;
  return (
    <section aria-labelledby="ehr-imports-heading" className={styles.section}>
      <h2 id="ehr-imports-heading">Imported from the EHR</h2>
      <ul className="card" style={{ listStyle: "none", margin: 0 }}>
        {imports.map((i) => {
          const read = Object.entries(i.summary.read)
            .map(([type, n]) => plural(n, type))
            .join(", ");
          return (
            <li key={i.id} data-testid="ehr-import" style={{ padding: "0.4rem 0" }}>
              <strong>{i.sourceName}</strong>{" "}
              <span className="muted">
                ({i.source}) · {formatDateTime(i.importedAt, timeZone)}
                {i.importedBy ? ` · opened by ${i.importedBy}` : ""}
              </span>
              <div>
                Read {read || "no resources"}: {i.summary.created} new, {i.summary.updated} updated,{" "}
                {i.summary.unchanged} already here, {i.summary.notUsed} not used by the rules.
              </div>
              {i.summary.problems.length ? (
                <details>
                  <summary>Left out ({i.summary.problems.length})</summary>
                  <ul>
                    {i.summary.problems.map((p, k) => (
                      <li key={k}>{p}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
