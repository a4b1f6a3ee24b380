"use client";

import Link from "next/link";
import type { FormEventHandler } from "react";
import {
  AGE_BANDS,
  qualityFiltersToSearch,
  type AgeBand,
  type QualityFilters,
  type QualitySite,
} from "@/lib/api/quality";
import styles from "./quality.module.css";

export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  "<65": "Under 65",
  "65-74": "65–74",
  "75-84": "75–84",
  "85+": "85 and over",
};

export const SEX_LABELS = {
  female: "Female",
  male: "Male",
  other: "Other",
  unknown: "Unknown",
} as const;

/**
 * Date range, site, age band and sex. Applying puts them in the URL (a view can be shared); the
 * form also works without JavaScript (GET /quality).
 */
export function FilterBar({
  filters,
  sites,
  onSubmit,
}: {
  filters: QualityFilters;
  sites: QualitySite[];
  onSubmit: FormEventHandler<HTMLFormElement>;
}) {
  // Keyed on the filters so the fields follow the URL (back button, shared links).
  const key = qualityFiltersToSearch(filters);
  return (
    <form
      key={key}
      className={`card ${styles.filters}`}
      method="get"
      action="/quality"
      onSubmit={onSubmit}
      aria-label="Filters"
    >
      <div className="field">
        <label htmlFor="quality-from">From</label>
        <input
          id="quality-from"
          className="input"
          type="date"
          name="from"
          defaultValue={filters.from}
          max={filters.to}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="quality-to">To</label>
        <input
          id="quality-to"
          className="input"
          type="date"
          name="to"
          defaultValue={filters.to}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="quality-site">Site</label>
        <select id="quality-site" className="input" name="site" defaultValue={filters.site ?? ""}>
          <option value="">All my sites</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="quality-age">Age band</label>
        <select
          id="quality-age"
          className="input"
          name="ageBand"
          defaultValue={filters.ageBand ?? ""}
        >
          <option value="">All ages</option>
          {AGE_BANDS.map((b) => (
            <option key={b} value={b}>
              {AGE_BAND_LABELS[b]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="quality-sex">Sex</label>
        <select id="quality-sex" className="input" name="sex" defaultValue={filters.sex ?? ""}>
          <option value="">All</option>
          {(Object.keys(SEX_LABELS) as (keyof typeof SEX_LABELS)[]).map((s) => (
            <option key={s} value={s}>
              {SEX_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.filterActions}>
        <button className="btn btn-primary" type="submit">
          Apply filters
        </button>
        <Link className="btn" href="/quality" scroll={false}>
          Reset
        </Link>
      </div>
    </form>
  );
}
