import type { ReactNode } from "react";
import type { QualityFilters, QualityMetric } from "@/lib/api/quality";
import styles from "./quality.module.css";
import {
  exportHref,
  formatBasis,
  formatMonth,
  formatValue,
  isSuppressed,
  sparklineSegments,
} from "./quality.utils";

const SPARK_W = 120;
const SPARK_H = 32;

/** A small trend line; the tile's text says the same, so it is hidden from screen readers. */
export function Sparkline({ metric }: { metric: QualityMetric }) {
  const values = metric.series.map((p) => p.value);
  const domain = metric.unit === "percent" ? { min: 0, max: 100 } : undefined;
  const segments = sparklineSegments(values, SPARK_W, SPARK_H, domain);
  if (segments.length === 0) {
    const nobody = metric.series.every((p) => p.denominator === 0 || p.denominator === null);
    return (
      <span className={styles.sparkEmpty}>
        {nobody ? "Nobody counted in any month" : "Months too small to show a trend"}
      </span>
    );
  }
  return (
    <svg
      className={styles.sparkline}
      width={SPARK_W}
      height={SPARK_H + 4}
      viewBox={`0 -2 ${SPARK_W} ${SPARK_H + 4}`}
      aria-hidden="true"
      focusable="false"
    >
      {segments.map((points) =>
        points.includes(" ") ? (
          <polyline key={points} points={points} fill="none" strokeWidth={2} />
        ) : (
          <circle
            key={points}
            cx={points.split(",")[0]}
            cy={points.split(",")[1]}
            r={2.5}
            className={styles.sparkDot}
          />
        ),
      )}
    </svg>
  );
}

/** A metric's definition and source, folded under a summary line. */
export function MetricDefinition({
  metric,
  children,
}: {
  metric: QualityMetric;
  children: ReactNode;
}) {
  return (
    <details className={styles.definition}>
      <summary>{children}</summary>
      <p>{metric.definition}</p>
      <p className={styles.source}>Source: {metric.source}</p>
    </details>
  );
}

/** A metric tile: value, basis, sparkline, "how this is counted" and the export link. */
export function MetricTile({
  metric,
  filters,
  canExport,
}: {
  metric: QualityMetric;
  filters: QualityFilters;
  canExport: boolean;
}) {
  const value = formatValue(metric, metric.value, metric);
  const suppressed = isSuppressed(metric.numerator) || isSuppressed(metric.denominator);
  const first = metric.series[0];
  const last = metric.series[metric.series.length - 1];
  const headingId = `tile-${metric.id.replace(/[^a-z0-9]+/gi, "-")}`;
  return (
    <article className={styles.tile} aria-labelledby={headingId} data-metric={metric.id}>
      <h3 id={headingId} className={styles.tileTitle}>
        {metric.title}
      </h3>
      <p className={styles.tileValue}>
        {value === "—" ? (
          <span className={styles.noValue}>No data</span>
        ) : (
          <span
            className={suppressed && metric.value === null ? styles.suppressedValue : undefined}
          >
            {value}
          </span>
        )}
        {metric.higherIsBetter !== null ? (
          <span className={styles.direction}>
            {metric.higherIsBetter ? "higher is better" : "lower is better"}
          </span>
        ) : null}
      </p>
      <p className={styles.tileBasis}>{formatBasis(metric)}</p>
      {metric.series.length > 0 ? (
        <div className={styles.sparkRow}>
          <Sparkline metric={metric} />
          {first && last && metric.series.some((p) => p.value !== null) ? (
            <span className={styles.sparkRange}>
              {formatMonth(first.month)} – {formatMonth(last.month)}
            </span>
          ) : null}
        </div>
      ) : null}
      <MetricDefinition metric={metric}>How this is counted</MetricDefinition>
      {canExport ? (
        <a className={styles.exportLink} href={exportHref(metric.id, filters)} download>
          Export CSV<span className="visually-hidden">: {metric.title}</span>
        </a>
      ) : null}
    </article>
  );
}
