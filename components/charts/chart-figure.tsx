import type { ReactNode } from "react";
import { formatDate } from "@/lib/clinical/dates";
import { formatNumber } from "@/lib/clinical/format";
import { LazyTrendChart } from "./lazy-trend-chart";
import type { TrendModel } from "./trend.types";
import styles from "./charts.module.css";

/**
 * A chart with its text summary and a table alternative: the drawing is decorative (role img with
 * the summary as its name); the numbers are always in the table.
 */
export function ChartFigure({ model, tip }: { model: TrendModel; tip?: ReactNode }) {
  const captionId = `chart-${model.id}-caption`;
  return (
    <figure className={styles.figure} aria-labelledby={captionId} data-chart={model.id}>
      <figcaption id={captionId} className={styles.caption}>
        <span className={styles.title}>
          {model.title} {tip}
        </span>
      </figcaption>
      <p className={styles.summary}>{model.summary}</p>
      {model.points.length > 0 ? (
        <div role="img" aria-label={`${model.title}: ${model.summary}`} className={styles.plot}>
          <LazyTrendChart model={model} />
        </div>
      ) : (
        <div className={styles.noData}>No results on record yet: they appear after a visit.</div>
      )}
      <p className={styles.legend}>{model.legend}</p>
      <details className={styles.tableToggle}>
        <summary>Show as a table</summary>
        {model.points.length === 0 ? (
          <p className="muted">No results.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">{model.title}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                {model.series.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label} ({model.unit})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {model.points.map((p) => (
                <tr key={p.date}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {formatDate(p.date)}
                  </th>
                  {model.series.map((s) => {
                    const value = p.values[s.key];
                    return (
                      <td key={s.key} className="num">
                        {value === null || value === undefined
                          ? "—"
                          : formatNumber(value, model.decimals)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}
