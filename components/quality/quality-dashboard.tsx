"use client";

import dynamic from "next/dynamic";
import { useCallback } from "react";
import type { QualityMetricsResponse, QualitySite } from "@/lib/api/quality";
import { formatDate } from "@/lib/clinical/dates";
import { formatDateTime } from "@/lib/client/date-time";
import { useQualityMetrics } from "@/lib/client/use-quality-metrics";
import { useUrlFilters } from "@/lib/client/use-url-filters";
import { EmptyState } from "@/components/ui/empty-state";
import { AGE_BAND_LABELS, FilterBar, SEX_LABELS } from "./filter-bar";
import { MetricTile } from "./metric-tile";
import styles from "./quality.module.css";
import { ChartsSkeleton, TilesSkeleton } from "./quality-skeleton";
import {
  SECTION_TITLES,
  TILE_SECTIONS,
  filtersFromSearch,
  formatCount,
  qualitySearchOfFields,
} from "./quality.utils";

// recharts is only needed here: its code loads with this page, after the tiles.
const QualityCharts = dynamic(() => import("./quality-charts").then((m) => m.QualityCharts), {
  ssr: false,
  loading: () => <ChartsSkeleton />,
});

/** The /quality page body: filters in the URL, tiles, then the full charts. */
export function QualityDashboard({
  sites,
  today,
  canExport,
  smallCellThreshold,
}: {
  sites: QualitySite[];
  today: string;
  canExport: boolean;
  smallCellThreshold: number;
}) {
  const parse = useCallback((search: URLSearchParams) => filtersFromSearch(search, today), [today]);
  // Pushed, not replaced: each applied set of filters is a step of the browser's history.
  const { filters: parsed, submit } = useUrlFilters(parse, { history: "push" });
  const { filters, invalid } = parsed;
  const query = useQualityMetrics(filters);
  const data = query.data;
  const siteName = filters.site
    ? (sites.find((s) => s.id === filters.site)?.name ?? "Unknown site")
    : "All my sites";

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Quality</h1>
          <p className={styles.lede}>
            De-identified counts of your sites. No patient-level data is shown here. Any count of 1–
            {smallCellThreshold - 1} patients is shown as “&lt;{smallCellThreshold}”.
          </p>
        </div>
      </div>
      <FilterBar filters={filters} sites={sites} onSubmit={submit(qualitySearchOfFields)} />
      {invalid ? (
        <div className={`alert alert-error ${styles.notice}`} role="status">
          The filters in this link were not valid; showing the last 12 months instead.
        </div>
      ) : null}
      <p className={styles.scope} aria-live="polite">
        <span>
          {formatDate(filters.from)} – {formatDate(filters.to)}
        </span>
        <span>{siteName}</span>
        <span>{filters.ageBand ? `Age ${AGE_BAND_LABELS[filters.ageBand]}` : "All ages"}</span>
        <span>{filters.sex ? SEX_LABELS[filters.sex] : "All sexes"}</span>
        {data ? <span>{formatCount(data.patientsInScope)} patients in scope</span> : null}
        {query.isFetching && data ? <span className={styles.updating}>Updating…</span> : null}
      </p>
      {query.isError && !data ? (
        <div className={`alert alert-error ${styles.notice}`} role="alert">
          {query.error.message}
        </div>
      ) : null}
      {query.isError && data ? (
        <div className={`alert alert-error ${styles.notice}`} role="alert">
          {query.error.message} The figures below are for the previous filters.
        </div>
      ) : null}
      {!data ? (
        query.isError ? null : (
          <>
            <TilesSkeleton />
            <ChartsSkeleton />
          </>
        )
      ) : data.empty ? (
        <EmptyState title="No patients match these filters">
          <p>Widen the date range, or choose all sites, all ages or all sexes.</p>
        </EmptyState>
      ) : (
        <Metrics data={data} canExport={canExport} />
      )}
    </>
  );
}

function Metrics({ data, canExport }: { data: QualityMetricsResponse; canExport: boolean }) {
  return (
    <>
      {TILE_SECTIONS.map((section) => {
        const metrics = data.metrics.filter((m) => m.section === section);
        if (metrics.length === 0) return null;
        return (
          <section key={section} className={styles.section} aria-labelledby={`sec-${section}`}>
            <h2 id={`sec-${section}`}>{SECTION_TITLES[section]}</h2>
            <div className={styles.tiles}>
              {metrics.map((m) => (
                <MetricTile key={m.id} metric={m} filters={data.filters} canExport={canExport} />
              ))}
            </div>
          </section>
        );
      })}
      <section className={styles.section} aria-labelledby="sec-charts">
        <h2 id="sec-charts">Charts</h2>
        <QualityCharts data={data} canExport={canExport} />
      </section>
      <section className={`card ${styles.policy}`} aria-labelledby="sec-policy">
        <h2 id="sec-policy">Small numbers</h2>
        <p>{data.suppression}</p>
        <p className="muted">
          Small-cell threshold: {data.smallCellThreshold} patients. Generated{" "}
          {formatDateTime(data.generatedAt)}
          {data.computedAt && formatDateTime(data.computedAt) !== formatDateTime(data.generatedAt)
            ? `, from figures computed ${formatDateTime(data.computedAt)} (${data.readFrom?.stale ? "changes since then are counted within a few minutes" : "nothing they count has changed since"})`
            : ""}
          .{readFromNote(data.readFrom)}
        </p>
      </section>
    </>
  );
}

/** Where the figures were read, when it was not the cache: how fresh the replica's data was. */
function readFromNote(readFrom: QualityMetricsResponse["readFrom"]): string {
  if (!readFrom || readFrom.source === "cache") return "";
  if (readFrom.source === "replica")
    return ` Read from the read replica, ${Math.round(readFrom.lagSeconds ?? 0)} s behind the primary.`;
  if (readFrom.replica === "down" || readFrom.replica === "lagging")
    return ` The read replica was ${readFrom.replica === "down" ? "unavailable" : "too far behind"}: read from the primary.`;
  return "";
}
