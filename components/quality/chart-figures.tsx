"use client";

import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
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
import {
  formatCount,
  formatMonth,
  formatValue,
  isSuppressed,
  summarizeTrend,
  trendRows,
} from "./quality.utils";

/* The two figures drawn with recharts: trends by month, and time to action by severity. */

const MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
const TICK = { fontSize: 12, fill: "#475467" };
const GRID = "#eaecf0";
const LEGEND = { fontSize: 13 };

/**
 * A month on the x axis, with a second line naming what the small-cell rule withheld that month
 * ("<11" or "hidden"), so a gap in a line reads as withheld and not as missing.
 */
function MonthTick({
  x,
  y,
  payload,
  notes,
}: {
  x?: number;
  y?: number;
  payload?: { value: string };
  notes: ReadonlyMap<string, string>;
}) {
  const note = payload ? notes.get(payload.value) : undefined;
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={TICK.fontSize} fill={TICK.fill}>
      <tspan x={x} dy="0.9em">
        {payload?.value}
      </tspan>
      {note ? (
        <tspan x={x} dy="1.2em">
          {note}
        </tspan>
      ) : null}
    </text>
  );
}

/** Per month label, what was withheld in it ("<11", "hidden"), for the months with any. */
function withheldByMonth(metrics: readonly QualityMetric[]): Map<string, string> {
  const notes = new Map<string, string>();
  for (const m of metrics) {
    for (const p of m.series) {
      if (p.value !== null || !(isSuppressed(p.numerator) || isSuppressed(p.denominator))) continue;
      const label = formatMonth(p.month);
      const text = formatValue(m, null, p);
      const seen = notes.get(label);
      notes.set(label, seen && !seen.includes(text) ? `${seen} ${text}` : text);
    }
  }
  return notes;
}

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
  const notes = withheldByMonth(metrics);
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
        <XAxis
          dataKey="month"
          tick={<MonthTick notes={notes} />}
          height={notes.size > 0 ? 44 : 30}
          interval="preserveStartEnd"
        />
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

/** A bar's label: the median in days, or what the small-cell rule withheld ("<11", "hidden"). */
function barText(
  metric: QualityMetric,
  value: number | null,
  counts: { numerator: QualityMetric["numerator"]; denominator: QualityMetric["denominator"] },
): string {
  return value === null ? formatValue(metric, null, counts) : `${value} d`;
}

const TTA_COLUMNS = [
  { key: "acknowledge", label: "To acknowledge" },
  { key: "acknowledge-flags", label: "Flags" },
  { key: "resolve", label: "To resolve" },
  { key: "resolve-flags", label: "Flags" },
];

/**
 * One series of time-to-action medians, its value written on top. A withheld median is a 2 px
 * bar, so that its label ("<11", "hidden") is drawn. A function, not a component: the chart reads
 * its bars from its direct children.
 */
function medianBar(kind: "acknowledge" | "resolve", name: string, fill: string) {
  return (
    <Bar dataKey={`${kind}Bar`} name={name} fill={fill} isAnimationActive={false} minPointSize={2}>
      <LabelList dataKey={`${kind}Text`} position="top" fontSize={12} fill="#344054" />
    </Bar>
  );
}

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
    // A withheld median is drawn as an empty bar labelled "<11" or "hidden" (never as 0 days).
    return {
      severity: g.label,
      acknowledge: g.value,
      resolve: r?.value ?? null,
      acknowledgeBar: g.value ?? 0,
      resolveBar: r?.value ?? 0,
      acknowledgeText: barText(ack, g.value, g),
      resolveText: r ? barText(res, r.value, r) : "",
      ackGroup: g,
      resGroup: r,
    };
  });
  const chart = (
    <ChartBox
      label="Bar chart: median days to acknowledge and to resolve, by severity."
      // Drawn when any severity has a median or a withheld one ("<11", "hidden"): a withheld
      // median is an empty bar with its label, never a missing chart.
      shown={rows.some((r) => [r.acknowledgeText, r.resolveText].some((t) => t && t !== "—"))}
      empty="No severity can be shown: no flags were acted on in the period."
    >
      <BarChart accessibilityLayer={false} data={rows} margin={MARGIN}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="severity" tick={TICK} />
        <YAxis tick={TICK} unit=" d" width={48} />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = item.payload as (typeof rows)[number] | undefined;
            return item.dataKey === "resolveBar" ? row?.resolveText : row?.acknowledgeText;
          }}
        />
        <Legend wrapperStyle={LEGEND} />
        {medianBar("acknowledge", "To acknowledge", "#1f4e8c")}
        {medianBar("resolve", "To resolve", "#b54708")}
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
