import type { QualityMetric } from "@/lib/api/quality";
import { FigureTable, QualityFigure, type FigureProps } from "./figure-shell";
import styles from "./quality.module.css";
import { formatCount, heatColours, heatShade, isSuppressed } from "./quality.utils";

/* The two figures that are tables: the depression × bone cross-tab and rule performance. */

/** Patients by PHQ-9 band and WHO bone category, shaded by count. */
export function HeatmapFigure({
  metric,
  ...props
}: FigureProps & { metric: QualityMetric | undefined }) {
  const tab = metric?.crossTab;
  if (!metric || !tab) return null;
  const cell = (row: string, column: string) =>
    tab.cells.find((c) => c.row === row && c.column === column)?.count ?? 0;
  const max = Math.max(0, ...tab.cells.map((c) => (typeof c.count === "number" ? c.count : 0)));
  const largest = tab.cells.reduce<(typeof tab.cells)[number] | null>(
    (best, c) =>
      typeof c.count === "number" && (best === null || c.count > (best.count as number)) ? c : best,
    null,
  );
  const label = (keys: { key: string; label: string }[], key: string) =>
    keys.find((k) => k.key === key)?.label ?? key;
  const summary = (
    <>
      {formatCount(metric.denominator)} patients with an assessment in the period, by PHQ-9 band
      (rows) and WHO bone category (columns).
      {largest && largest.count !== 0
        ? ` The largest group: ${label(tab.rows, largest.row)} × ${label(tab.columns, largest.column)} (${formatCount(largest.count)} patients).`
        : ""}
    </>
  );
  return (
    <QualityFigure
      id="chart-heatmap"
      title={metric.title}
      metrics={[metric]}
      {...props}
      summary={summary}
    >
      <FigureTable
        label="Depression band by bone category: table"
        caption="Patients by PHQ-9 band (rows) and WHO bone category (columns)"
        corner="PHQ-9 band"
        columns={tab.columns}
        tableClassName={styles.heatmap}
      >
        {tab.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            {tab.columns.map((c) => {
              const count = cell(r.key, c.key);
              const shade = heatShade(count, max);
              const cls = isSuppressed(count)
                ? styles.heatSuppressed
                : count === 0
                  ? styles.heatZero
                  : "";
              return (
                <td
                  key={c.key}
                  className={`num ${styles.heatCell} ${cls}`}
                  style={
                    typeof count === "number" && count > 0
                      ? {
                          background: heatColours(shade).background,
                          color: heatColours(shade).color,
                        }
                      : undefined
                  }
                >
                  {formatCount(count)}
                </td>
              );
            })}
          </tr>
        ))}
      </FigureTable>
      <p className={styles.heatLegend}>
        Darker cells hold more patients. Striped cells are not shown: “&lt;11” counts 1–10 patients;
        “hidden” is withheld so that a small cell cannot be worked out from the total.
      </p>
    </QualityFigure>
  );
}

const ALWAYS_SHOWN = new Set(["fired", "still-open", "no-longer-met"]);

/** Flags opened in the period and how they ended, per flag code and ruleset version. */
export function RulePerformanceFigure({
  metric,
  ...props
}: FigureProps & { metric: QualityMetric | undefined }) {
  if (!metric) return null;
  const groups = metric.groups ?? [];
  const keys = (metric.countKeys ?? []).filter(
    (k) => ALWAYS_SHOWN.has(k.key) || groups.some((g) => (g.counts?.[k.key] ?? 0) !== 0),
  );
  return (
    <QualityFigure
      id="chart-rules"
      title={metric.title}
      metrics={[metric]}
      {...props}
      summary={`${formatCount(metric.numerator)} flags opened in the period, by ${groups.length} rules and ruleset versions.`}
    >
      {groups.length === 0 ? (
        <p className={styles.noChart}>No flags were opened in the period.</p>
      ) : (
        <FigureTable
          label="Rule performance table"
          caption="Flags opened in the period and how they ended, per rule and ruleset version"
          corner="Rule (ruleset)"
          columns={keys}
          wrapClassName={styles.rulesWrap}
        >
          {groups.map((g) => (
            <tr key={g.key}>
              {/* The rule's name; its code (the group key before "@") on hover. */}
              <th scope="row" title={`Rule ${g.key.split("@")[0]}`}>
                {g.label}
              </th>
              {keys.map((k) => (
                <td className="num" key={k.key}>
                  {formatCount(g.counts?.[k.key] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </FigureTable>
      )}
    </QualityFigure>
  );
}
