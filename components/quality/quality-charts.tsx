"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type {
  QualityFilters,
  QualityMetric,
  QualityMetricId,
  QualityMetricsResponse,
} from "@/lib/api/quality";
import styles from "./quality.module.css";
import {
  exportHref,
  formatCount,
  formatMonth,
  formatValue,
  heatShade,
  isSuppressed,
  summarizeTrend,
  trendRows,
} from "./quality.utils";

/*
 * The full charts of /quality. Loaded with next/dynamic from the dashboard only, so recharts is
 * part of this page's code and no other. Every chart has a text summary and a table.
 */

/** Distinct colours that also differ in dash pattern (colour is never the only signal). */
const LINE_STYLES = [
  { stroke: "#1f4e8c", dash: undefined },
  { stroke: "#b54708", dash: "6 3" },
  { stroke: "#067647", dash: "2 3" },
  { stroke: "#6941c6", dash: "10 3 2 3" },
] as const;

type Get = (id: QualityMetricId) => QualityMetric | undefined;

export function QualityCharts({
  data,
  canExport,
}: {
  data: QualityMetricsResponse;
  canExport: boolean;
}) {
  const byId = new Map(data.metrics.map((m) => [m.id, m]));
  const get: Get = (id) => byId.get(id);
  const pick = (ids: QualityMetricId[]) =>
    ids.map(get).filter((m): m is QualityMetric => m !== undefined);
  const f = data.filters;
  return (
    <div className={styles.charts}>
      <TrendFigure
        id="chart-screening"
        title="Screening coverage by month"
        metrics={pick(["screening.depression", "screening.dxa", "screening.both"])}
        filters={f}
        canExport={canExport}
      />
      <TrendFigure
        id="chart-prevalence"
        title="Prevalence by month (rolling 12 months)"
        metrics={pick([
          "prevalence.depression-positive",
          "prevalence.bone-any",
          "prevalence.bone-osteoporosis",
          "prevalence.comorbidity-bone-brain",
        ])}
        filters={f}
        canExport={canExport}
      />
      <TrendFigure
        id="chart-fracture-liaison"
        title="Fracture liaison KPIs by month of fracture"
        metrics={pick(["fracture-liaison.dxa-12-weeks", "fracture-liaison.treatment-16-weeks"])}
        filters={f}
        canExport={canExport}
      />
      <TrendFigure
        id="chart-depression-outcomes"
        title="Depression outcomes at 6 months"
        metrics={pick([
          "depression-outcomes.response-6-months",
          "depression-outcomes.remission-6-months",
        ])}
        filters={f}
        canExport={canExport}
      />
      <TimeToActionFigure get={get} filters={f} canExport={canExport} />
      <HeatmapFigure metric={get("cross-tab.depression-bone")} filters={f} canExport={canExport} />
      <RulePerformanceFigure metric={get("rule-performance")} filters={f} canExport={canExport} />
    </div>
  );
}

function ExportLinks({
  metrics,
  filters,
  canExport,
}: {
  metrics: QualityMetric[];
  filters: QualityFilters;
  canExport: boolean;
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
        <details key={m.id} className={styles.definition}>
          <summary>
            <span
              className={styles.legendSwatch}
              style={{
                borderColor: LINE_STYLES[i % LINE_STYLES.length]!.stroke,
                borderStyle: i === 0 ? "solid" : "dashed",
              }}
              aria-hidden="true"
            />
            {m.title}: how this is counted
          </summary>
          <p>{m.definition}</p>
          <p className={styles.source}>Source: {m.source}</p>
        </details>
      ))}
    </div>
  );
}

function TrendFigure({
  id,
  title,
  metrics,
  filters,
  canExport,
}: {
  id: string;
  title: string;
  metrics: QualityMetric[];
  filters: QualityFilters;
  canExport: boolean;
}) {
  if (metrics.length === 0) return null;
  const rows = trendRows(metrics);
  const unit = metrics[0]!.unit;
  const anyValue = rows.some((r) => metrics.some((m) => r[m.id] !== null));
  return (
    <figure className={`card ${styles.figure}`} aria-labelledby={`${id}-title`} id={id}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
      </figcaption>
      <div className={styles.figureBody}>
        <div className={styles.chartArea}>
          {anyValue ? (
            <div
              className={styles.chartBox}
              role="img"
              aria-label={`Line chart: ${title}. The summary and the table below give the same figures.`}
            >
              <ResponsiveContainer width="100%" height={240}>
                <LineChart
                  accessibilityLayer={false}
                  data={rows}
                  margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
                >
                  <CartesianGrid stroke="#eaecf0" />
                  <XAxis dataKey="month" tick={{ fontSize: 12, fill: "#475467" }} />
                  <YAxis
                    tick={{ fontSize: 12, fill: "#475467" }}
                    domain={unit === "percent" ? [0, 100] : [0, "auto"]}
                    unit={unit === "percent" ? " %" : ""}
                    width={56}
                  />
                  <Tooltip
                    formatter={(value) =>
                      typeof value === "number" ? `${value}${unit === "percent" ? " %" : ""}` : "—"
                    }
                  />
                  <Legend wrapperStyle={{ fontSize: 13 }} />
                  {metrics.map((m, i) => {
                    const style = LINE_STYLES[i % LINE_STYLES.length]!;
                    return (
                      <Line
                        key={m.id}
                        type="monotone"
                        dataKey={m.id}
                        name={m.title}
                        stroke={style.stroke}
                        strokeDasharray={style.dash}
                        strokeWidth={2}
                        dot={{ r: 3 }}
                        connectNulls={false}
                        isAnimationActive={false}
                      />
                    );
                  })}
                </LineChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <p className={styles.noChart}>
              No month can be shown: no patients were counted, or every month has fewer than 11.
            </p>
          )}
          <div className={styles.summary}>
            {metrics.map((m) => (
              <p key={m.id}>{summarizeTrend(m)}</p>
            ))}
          </div>
          <details className={styles.tableToggle}>
            <summary>Show as a table</summary>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}: table`}>
              <table className="table">
                <caption className="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    {metrics.map((m) => (
                      <th scope="col" className="num" key={m.id}>
                        {m.title}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {metrics[0]!.series.map((p, i) => (
                    <tr key={p.month}>
                      <th scope="row">{formatMonth(p.month)}</th>
                      {metrics.map((m) => {
                        const point = m.series[i]!;
                        return (
                          <td className="num" key={m.id}>
                            {formatValue(m, point.value, point)}
                            {m.unit === "percent" ? (
                              <span className="muted">
                                {" "}
                                ({formatCount(point.numerator)}/{formatCount(point.denominator)})
                              </span>
                            ) : null}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
        <aside className={styles.side}>
          <Definitions metrics={metrics} />
          <ExportLinks metrics={metrics} filters={filters} canExport={canExport} />
        </aside>
      </div>
    </figure>
  );
}

function TimeToActionFigure({
  get,
  filters,
  canExport,
}: {
  get: Get;
  filters: QualityFilters;
  canExport: boolean;
}) {
  const ack = get("time-to-action.acknowledge");
  const res = get("time-to-action.resolve");
  const crit = get("time-to-action.critical-acknowledged-24h");
  if (!ack || !res) return null;
  const rows = (ack.groups ?? []).map((g, i) => {
    const r = res.groups?.[i];
    return {
      severity: g.label,
      acknowledge: g.value,
      resolve: r?.value ?? null,
      ackGroup: g,
      resGroup: r,
    };
  });
  const anyValue = rows.some((r) => r.acknowledge !== null || r.resolve !== null);
  const metrics = [ack, res, ...(crit ? [crit] : [])];
  return (
    <figure className={`card ${styles.figure}`} aria-labelledby="chart-tta-title" id="chart-tta">
      <figcaption>
        <h3 id="chart-tta-title">Time to action by severity (median days)</h3>
      </figcaption>
      <div className={styles.figureBody}>
        <div className={styles.chartArea}>
          {anyValue ? (
            <div
              className={styles.chartBox}
              role="img"
              aria-label="Bar chart: median days to acknowledge and to resolve, by severity. The summary and the table below give the same figures."
            >
              <ResponsiveContainer width="100%" height={240}>
                <BarChart
                  accessibilityLayer={false}
                  data={rows}
                  margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
                >
                  <CartesianGrid stroke="#eaecf0" vertical={false} />
                  <XAxis dataKey="severity" tick={{ fontSize: 12, fill: "#475467" }} />
                  <YAxis tick={{ fontSize: 12, fill: "#475467" }} unit=" d" width={48} />
                  <Tooltip
                    formatter={(value) => (typeof value === "number" ? `${value} days` : "—")}
                  />
                  <Legend wrapperStyle={{ fontSize: 13 }} />
                  <Bar
                    dataKey="acknowledge"
                    name="To acknowledge"
                    fill="#1f4e8c"
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="resolve"
                    name="To resolve"
                    fill="#b54708"
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <p className={styles.noChart}>
              No severity can be shown: no flags were acted on, or fewer than 11 patients each.
            </p>
          )}
          <div className={styles.summary}>
            <p>
              Median {formatValue(ack, ack.value, ack)} to acknowledge (
              {formatCount(ack.denominator)} flags) and {formatValue(res, res.value, res)} to
              resolve ({formatCount(res.denominator)} flags) over the period.
            </p>
            {crit ? (
              <p>
                Critical flags acknowledged within 24 hours: {formatValue(crit, crit.value, crit)} (
                {formatCount(crit.numerator)} of {formatCount(crit.denominator)} flags).
              </p>
            ) : null}
          </div>
          <details className={styles.tableToggle}>
            <summary>Show as a table</summary>
            <div
              className="table-wrap"
              tabIndex={0}
              role="region"
              aria-label="Time to action: table"
            >
              <table className="table">
                <caption className="visually-hidden">Median days to act, by severity</caption>
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col" className="num">
                      To acknowledge
                    </th>
                    <th scope="col" className="num">
                      Flags
                    </th>
                    <th scope="col" className="num">
                      To resolve
                    </th>
                    <th scope="col" className="num">
                      Flags
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.severity}>
                      <th scope="row">{r.severity}</th>
                      <td className="num">{formatValue(ack, r.acknowledge, r.ackGroup)}</td>
                      <td className="num">{formatCount(r.ackGroup.denominator)}</td>
                      <td className="num">
                        {r.resGroup ? formatValue(res, r.resolve, r.resGroup) : "—"}
                      </td>
                      <td className="num">{formatCount(r.resGroup?.denominator ?? null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
        <aside className={styles.side}>
          <Definitions metrics={metrics} />
          <ExportLinks metrics={metrics} filters={filters} canExport={canExport} />
        </aside>
      </div>
    </figure>
  );
}

function HeatmapFigure({
  metric,
  filters,
  canExport,
}: {
  metric: QualityMetric | undefined;
  filters: QualityFilters;
  canExport: boolean;
}) {
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
  return (
    <figure
      className={`card ${styles.figure}`}
      aria-labelledby="chart-heatmap-title"
      id="chart-heatmap"
    >
      <figcaption>
        <h3 id="chart-heatmap-title">{metric.title}</h3>
      </figcaption>
      <p className={styles.summary}>
        {formatCount(metric.denominator)} patients with an assessment in the period, by PHQ-9 band
        (rows) and WHO bone category (columns).
        {largest && largest.count !== 0
          ? ` The largest group: ${label(tab.rows, largest.row)} × ${label(tab.columns, largest.column)} (${formatCount(largest.count)} patients).`
          : ""}
      </p>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Depression band by bone category: table"
      >
        <table className={`table ${styles.heatmap}`}>
          <caption className="visually-hidden">
            Patients by PHQ-9 band (rows) and WHO bone category (columns)
          </caption>
          <thead>
            <tr>
              <th scope="col">PHQ-9 band</th>
              {tab.columns.map((c) => (
                <th scope="col" className="num" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
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
                              background: `rgba(31, 78, 140, ${(0.1 + shade * 0.75).toFixed(2)})`,
                              color: shade > 0.45 ? "#ffffff" : "#101828",
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
          </tbody>
        </table>
      </div>
      <p className={styles.heatLegend}>
        Darker cells hold more patients. Striped cells are not shown: “&lt;11” counts 1–10 patients;
        “hidden” is withheld so that a small cell cannot be worked out from the total.
      </p>
      <div className={styles.ruleFooter}>
        <Definitions metrics={[metric]} />
        <ExportLinks metrics={[metric]} filters={filters} canExport={canExport} />
      </div>
    </figure>
  );
}

function RulePerformanceFigure({
  metric,
  filters,
  canExport,
}: {
  metric: QualityMetric | undefined;
  filters: QualityFilters;
  canExport: boolean;
}) {
  if (!metric) return null;
  const groups = metric.groups ?? [];
  const always = new Set(["fired", "still-open", "no-longer-met"]);
  const keys = (metric.countKeys ?? []).filter(
    (k) => always.has(k.key) || groups.some((g) => (g.counts?.[k.key] ?? 0) !== 0),
  );
  return (
    <figure
      className={`card ${styles.figure}`}
      aria-labelledby="chart-rules-title"
      id="chart-rules"
    >
      <figcaption>
        <h3 id="chart-rules-title">{metric.title}</h3>
      </figcaption>
      <p className={styles.summary}>
        {formatCount(metric.numerator)} flags opened in the period, by {groups.length} flag codes
        and ruleset versions.
      </p>
      {groups.length === 0 ? (
        <p className={styles.noChart}>No flags were opened in the period.</p>
      ) : (
        <div
          className={`table-wrap ${styles.rulesWrap}`}
          tabIndex={0}
          role="region"
          aria-label="Rule performance table"
        >
          <table className="table">
            <caption className="visually-hidden">
              Flags opened in the period and how they ended, per flag code and ruleset version
            </caption>
            <thead>
              <tr>
                <th scope="col">Flag code (ruleset)</th>
                {keys.map((k) => (
                  <th scope="col" className="num" key={k.key}>
                    {k.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row">
                    <code>{g.label}</code>
                  </th>
                  {keys.map((k) => (
                    <td className="num" key={k.key}>
                      {formatCount(g.counts?.[k.key] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className={styles.ruleFooter}>
        <Definitions metrics={[metric]} />
        <ExportLinks metrics={[metric]} filters={filters} canExport={canExport} />
      </div>
    </figure>
  );
}
