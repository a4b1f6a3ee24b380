"use client";

import dynamic from "next/dynamic";

/** The recharts drawing, loaded only where a chart is shown (keeps recharts out of other pages). */
export const LazyTrendChart = dynamic(() => import("./trend-chart").then((m) => m.TrendChart), {
  ssr: false,
  loading: () => <div className="skeleton" style={{ height: 220 }} />,
});
