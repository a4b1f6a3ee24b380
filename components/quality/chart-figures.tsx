"use client";

import type { ReactNode } from "react";
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
import type { QualityMetric } from "@/lib/api/quality";
import { FigureTable, QualityFigure, lineStyle, type FigureProps } from "./figure-shell";
import styles from "./quality.module.css";
import { formatCount, formatMonth, formatValue, summarizeTrend, trendRows } from "./quality.utils";

/* The two figures drawn with recharts: trends by month, and time to action by severity. */

const MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
const TICK = { fontSize: 12, fill: "#475467" };
const GRID = "#eaecf0";
const LEGEND = { fontSize: 13 };

/** The chart, described for screen readers, or a sentence saying why there is none. */
function ChartBox({
  label,
  shown,
  empty,
  children,
}: {
  label: string;
  shown: boolean;
  empty: string;
  children: ReactNode;
}) {
  if (!shown) return <p className={styles.noChart}>{empty}</p>;
  return (
    <div
      className={styles.chartBox}
      role="img"
      aria-label={`${label} The summary and the table below give the same figures.`}
    >
      <ResponsiveContainer width="100%" height={240}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** Several metrics of one unit as lines by month. */
export function TrendFigure({
  id,
  title,
  metrics,
  ...props
}: FigureProps & { id: string; title: string; metrics: QualityMetric[] }) {
  if (metrics.length === 0) return null;
  const rows = trendRows(metrics);
  const unit = metrics[0]!.unit;
  const suffix = unit === "percent" ? " %" : "";
  const chart = (
    <ChartBox
      label={`Line chart: ${title}.`}
      shown={rows.some((r) => metrics.some((m) => r[m.id] !== null))}
      empty="No month can be shown: no patients were counted, or every month has fewer than 11."
    >
      <LineChart accessibilityLayer={false} data={rows} margin={MARGIN}>
        <CartesianGrid stroke={GRID} />
        <XAxis dataKey="month" tick={TICK} />
        <YAxis
          tick={TICK}
          domain={unit === "percent" ? [0, 100] : [0, "auto"]}
          unit={suffix}
          width={56}
        />
        <Tooltip formatter={(value) => (typeof value === "number" ? `${value}${suffix}` : "—")} />
        <Legend wrapperStyle={LEGEND} />
        {metrics.map((m, i) => (
          <Line
            key={m.id}
            type="monotone"
            dataKey={m.id}
            name={m.title}
            stroke={lineStyle(i).stroke}
            strokeDasharray={lineStyle(i).dash}
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartBox>
  );
  return (
    <QualityFigure
      id={id}
      title={title}
      metrics={metrics}
      {...props}
      chart={chart}
      summary={metrics.map((m) => (
        <p key={m.id}>{summarizeTrend(m)}</p>
      ))}
    >
      <FigureTable
        label={`${title}: table`}
        caption={title}
        corner="Month"
        columns={metrics.map((m) => ({ key: m.id, label: m.title }))}
      >
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
      </FigureTable>
    </QualityFigure>
  );
}

const TTA_COLUMNS = [
  { key: "acknowledge", label: "To acknowledge" },
  { key: "acknowledge-flags", label: "Flags" },
  { key: "resolve", label: "To resolve" },
  { key: "resolve-flags", label: "Flags" },
];

/** Median days to acknowledge and to resolve, by severity, with the critical-within-24h rate. */
export function TimeToActionFigure({
  ack,
  res,
  crit,
  ...props
}: FigureProps & {
  ack: QualityMetric | undefined;
  res: QualityMetric | undefined;
  crit: QualityMetric | undefined;
}) {
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
  const chart = (
    <ChartBox
      label="Bar chart: median days to acknowledge and to resolve, by severity."
      shown={rows.some((r) => r.acknowledge !== null || r.resolve !== null)}
      empty="No severity can be shown: no flags were acted on, or fewer than 11 patients each."
    >
      <BarChart accessibilityLayer={false} data={rows} margin={MARGIN}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="severity" tick={TICK} />
        <YAxis tick={TICK} unit=" d" width={48} />
        <Tooltip formatter={(value) => (typeof value === "number" ? `${value} days` : "—")} />
        <Legend wrapperStyle={LEGEND} />
        <Bar dataKey="acknowledge" name="To acknowledge" fill="#1f4e8c" isAnimationActive={false} />
        <Bar dataKey="resolve" name="To resolve" fill="#b54708" isAnimationActive={false} />
      </BarChart>
    </ChartBox>
  );
  const summary = (
    <>
      <p>
        Median {formatValue(ack, ack.value, ack)} to acknowledge ({formatCount(ack.denominator)}{" "}
        flags) and {formatValue(res, res.value, res)} to resolve ({formatCount(res.denominator)}{" "}
        flags) over the period.
      </p>
      {crit ? (
        <p>
          Critical flags acknowledged within 24 hours: {formatValue(crit, crit.value, crit)} (
          {formatCount(crit.numerator)} of {formatCount(crit.denominator)} flags).
        </p>
      ) : null}
    </>
  );
  return (
    <QualityFigure
      id="chart-tta"
      title="Time to action by severity (median days)"
      metrics={[ack, res, ...(crit ? [crit] : [])]}
      {...props}
      chart={chart}
      summary={summary}
    >
      <FigureTable
        label="Time to action: table"
        caption="Median days to act, by severity"
        corner="Severity"
        columns={TTA_COLUMNS}
      >
        {rows.map((r) => (
          <tr key={r.severity}>
            <th scope="row">{r.severity}</th>
            <td className="num">{formatValue(ack, r.acknowledge, r.ackGroup)}</td>
            <td className="num">{formatCount(r.ackGroup.denominator)}</td>
            <td className="num">{r.resGroup ? formatValue(res, r.resolve, r.resGroup) : "—"}</td>
            <td className="num">{formatCount(r.resGroup?.denominator ?? null)}</td>
          </tr>
        ))}
      </FigureTable>
    </QualityFigure>
  );
}
