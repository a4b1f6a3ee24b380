"use client";

import type { QualityMetric, QualityMetricId, QualityMetricsResponse } from "@/lib/api/quality";
import { TimeToActionFigure, TrendFigure } from "./chart-figures";
import styles from "./quality.module.css";
import { HeatmapFigure, RulePerformanceFigure } from "./table-figures";

/*
 * The full charts of /quality. Loaded with next/dynamic from the dashboard only, so recharts is
 * part of this page's code and no other. Every chart has a text summary and a table.
 */

const TRENDS: readonly { id: string; title: string; metrics: QualityMetricId[] }[] = [
  {
    id: "chart-screening",
    title: "Screening coverage by month",
    metrics: ["screening.depression", "screening.dxa", "screening.both"],
  },
  {
    id: "chart-prevalence",
    title: "Prevalence by month (rolling 12 months)",
    metrics: [
      "prevalence.depression-positive",
      "prevalence.bone-any",
      "prevalence.bone-osteoporosis",
      "prevalence.comorbidity-bone-brain",
    ],
  },
  {
    id: "chart-fracture-liaison",
    title: "Fracture liaison KPIs by month of fracture",
    metrics: ["fracture-liaison.dxa-12-weeks", "fracture-liaison.treatment-16-weeks"],
  },
  {
    id: "chart-depression-outcomes",
    title: "Depression outcomes at 6 months",
    metrics: ["depression-outcomes.response-6-months", "depression-outcomes.remission-6-months"],
  },
];

export function QualityCharts({
  data,
  canExport,
}: {
  data: QualityMetricsResponse;
  canExport: boolean;
}) {
  const byId = new Map(data.metrics.map((m) => [m.id, m]));
  const get = (id: QualityMetricId) => byId.get(id);
  const props = { filters: data.filters, canExport };
  return (
    <div className={styles.charts}>
      {TRENDS.map((t) => (
        <TrendFigure
          key={t.id}
          id={t.id}
          title={t.title}
          metrics={t.metrics.map(get).filter((m): m is QualityMetric => m !== undefined)}
          {...props}
        />
      ))}
      <TimeToActionFigure
        ack={get("time-to-action.acknowledge")}
        res={get("time-to-action.resolve")}
        crit={get("time-to-action.critical-acknowledged-24h")}
        {...props}
      />
      <HeatmapFigure metric={get("cross-tab.depression-bone")} {...props} />
      <RulePerformanceFigure metric={get("rule-performance")} {...props} />
    </div>
  );
}
