import type { ReactNode } from "react";
import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import { MetricDefinition } from "./metric-tile";
import styles from "./quality.module.css";
import { exportHref } from "./quality.utils";

/** Distinct colours that also differ in dash pattern (colour is never the only signal). */
export const LINE_STYLES = [
  { stroke: "#1f4e8c", dash: undefined },
  { stroke: "#b54708", dash: "6 3" },
  { stroke: "#067647", dash: "2 3" },
  { stroke: "#6941c6", dash: "10 3 2 3" },
] as const;

export function lineStyle(index: number): (typeof LINE_STYLES)[number] {
  return LINE_STYLES[index % LINE_STYLES.length]!;
}

/** What every figure of /quality is given. */
export interface FigureProps {
  filters: QualityFilters;
  canExport: boolean;
}

function ExportLinks({
  metrics,
  filters,
  canExport,
}: FigureProps & {
  metrics: QualityMetric[];
}) {
  if (!canExport) return null;
  return (
    <ul className={styles.exports}>
      {metrics.map((m) => (
        <li key={m.id}>
          <a href={exportHref(m.id, filters)} download>
            Export CSV
            <span className={metrics.length > 1 ? undefined : "visually-hidden"}>: {m.title}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function Definitions({ metrics }: { metrics: QualityMetric[] }) {
  return (
    <div className={styles.definitions}>
      {metrics.map((m, i) => (
        <MetricDefinition key={m.id} metric={m}>
          <span
            className={styles.legendSwatch}
            style={{
              borderColor: lineStyle(i).stroke,
              borderStyle: i === 0 ? "solid" : "dashed",
            }}
            aria-hidden="true"
          />
          {m.title}: how this is counted
        </MetricDefinition>
      ))}
    </div>
  );
}

/**
 * A table of a figure in a focusable, labelled region (it may scroll sideways): a hidden caption,
 * a header row of `corner` then one numeric column each, and the body rows the caller draws.
 */
export function FigureTable({
  label,
  caption,
  corner,
  columns,
  wrapClassName,
  tableClassName,
  children,
}: {
  label: string;
  caption: ReactNode;
  corner: ReactNode;
  columns: readonly { key: string; label: ReactNode }[];
  wrapClassName?: string;
  tableClassName?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={wrapClassName ? `table-wrap ${wrapClassName}` : "table-wrap"}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <table className={tableClassName ? `table ${tableClassName}` : "table"}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {columns.map((c) => (
              <th scope="col" className="num" key={c.key}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * The frame every figure of /quality shares: its titled <figure>, a text summary, each metric's
 * definition and export link. With a `chart`, the summary follows the chart, the table
 * (`children`) folds behind "Show as a table" and the notes stand at the side; without one, the
 * table is the figure and the notes follow it.
 */
export function QualityFigure({
  id,
  title,
  metrics,
  filters,
  canExport,
  summary,
  chart,
  children,
}: FigureProps & {
  id: string;
  title: string;
  metrics: QualityMetric[];
  summary: ReactNode;
  chart?: ReactNode;
  children: ReactNode;
}) {
  const notes = (
    <>
      <Definitions metrics={metrics} />
      <ExportLinks metrics={metrics} filters={filters} canExport={canExport} />
    </>
  );
  return (
    <figure className={`card ${styles.figure}`} aria-labelledby={`${id}-title`} id={id}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
      </figcaption>
      {chart === undefined ? (
        <>
          <p className={styles.summary}>{summary}</p>
          {children}
          <div className={styles.ruleFooter}>{notes}</div>
        </>
      ) : (
        <div className={styles.figureBody}>
          <div className={styles.chartArea}>
            {chart}
            <div className={styles.summary}>{summary}</div>
            <details className={styles.tableToggle}>
              <summary>Show as a table</summary>
              {children}
            </details>
          </div>
          <aside className={styles.side}>{notes}</aside>
        </div>
      )}
    </figure>
  );
}
