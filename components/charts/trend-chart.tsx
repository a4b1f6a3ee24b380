"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDate } from "@/lib/clinical/dates";
import { formatNumber } from "@/lib/clinical/format";
import type { TrendModel } from "./trend.types";
import { isoOfDay } from "./trend.utils";

/** Flattens points for recharts: `{ day, [seriesKey]: value }`. */
function rows(model: TrendModel): Record<string, number | null>[] {
  return model.points.map((p) => ({ day: p.day, ...p.values }));
}

/**
 * A line chart of a trend model: bands shaded, reference lines labelled, one line per series (each
 * with its own dash pattern). Decorative for assistive technology: the figure around it carries
 * the text summary and a table. Give `width`/`height` for a fixed size (tests), else it fills its
 * box.
 */
export function TrendChart({
  model,
  width,
  height = 220,
}: {
  model: TrendModel;
  width?: number;
  height?: number;
}) {
  const data = rows(model);
  const days = model.points.map((p) => p.day);
  const minDay = Math.min(...days) - 20;
  const maxDay = Math.max(...days) + 20;
  const chart = (
    <LineChart
      data={data}
      width={width}
      height={width ? height : undefined}
      margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
      accessibilityLayer={false}
    >
      {model.bands.map((band) => (
        <ReferenceArea
          key={band.label}
          y1={band.from}
          y2={band.to}
          fill={band.fill}
          fillOpacity={1}
          ifOverflow="hidden"
          stroke="none"
        />
      ))}
      <CartesianGrid stroke="#eaecf0" vertical={false} />
      <XAxis
        dataKey="day"
        type="number"
        domain={[minDay, maxDay]}
        tickFormatter={(day: number) => formatDate(isoOfDay(Math.round(day)))}
        tick={{ fontSize: 12, fill: "#475467" }}
        minTickGap={24}
      />
      <YAxis
        domain={model.yDomain}
        ticks={model.ticks}
        interval={0}
        allowDataOverflow
        tick={{ fontSize: 12, fill: "#475467" }}
        tickFormatter={(v: number) => formatNumber(v, 1)}
        width={40}
      />
      {model.references.map((ref) => (
        <ReferenceLine
          key={ref.label}
          y={ref.y}
          stroke="#475467"
          strokeDasharray="4 3"
          label={{ value: ref.label, position: "insideTopRight", fontSize: 11, fill: "#344054" }}
        />
      ))}
      <Tooltip
        labelFormatter={(day) => formatDate(isoOfDay(Math.round(Number(day))))}
        formatter={(value) =>
          typeof value === "number" ? `${formatNumber(value, model.decimals)} ${model.unit}` : "—"
        }
      />
      {model.series.length > 1 ? <Legend wrapperStyle={{ fontSize: 13 }} /> : null}
      {model.series.map((s) => (
        <Line
          key={s.key}
          type="linear"
          dataKey={s.key}
          name={s.label}
          stroke={s.color}
          strokeWidth={2}
          strokeDasharray={s.dash}
          dot={{ r: 4, fill: s.color }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
  if (width) return chart;
  return (
    <ResponsiveContainer width="100%" height={height}>
      {chart}
    </ResponsiveContainer>
  );
}
