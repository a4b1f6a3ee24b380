"use client";

import Link from "next/link";
import { useState, type FormEvent, type FormEventHandler } from "react";
import {
  AGE_BANDS,
  qualityFiltersToSearch,
  type AgeBand,
  type QualityFilters,
  type QualitySite,
} from "@/lib/api/quality";
import { InputField, SelectField, Options, SiteOptions } from "@/components/list-page/fields";
import { formFields } from "@/lib/client/use-url-filters";
import styles from "./quality.module.css";
import { qualitySearchOfFields } from "./quality.utils";

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

interface FilterBarProps {
  filters: QualityFilters;
  sites: QualitySite[];
  onSubmit: FormEventHandler<HTMLFormElement>;
}

/**
 * Date range, site, age band and sex. Applying puts them in the URL (a view can be shared); the
 * form also works without JavaScript (GET /quality).
 */
export function FilterBar(props: FilterBarProps) {
  // Keyed on the filters so the fields follow the URL (back button, shared links).
  return <FilterForm key={qualityFiltersToSearch(props.filters)} {...props} />;
}

function FilterForm({ filters, sites, onSubmit }: FilterBarProps) {
  // Changed but not applied: the figures and the exports are still those of the applied filters.
  const [changed, setChanged] = useState(false);
  const onChange = (e: FormEvent<HTMLFormElement>) =>
    setChanged(
      qualitySearchOfFields(formFields(e.currentTarget)) !== qualityFiltersToSearch(filters),
    );
  return (
    <form
      className={`card ${styles.filters}`}
      method="get"
      action="/quality"
      onSubmit={onSubmit}
      onChange={onChange}
      aria-label="Filters"
    >
      <InputField
        id="quality-from"
        name="from"
        label="From"
        type="date"
        defaultValue={filters.from}
        max={filters.to}
        required
      />
      <InputField
        id="quality-to"
        name="to"
        label="To"
        type="date"
        defaultValue={filters.to}
        required
      />
      <SelectField id="quality-site" name="site" label="Site" defaultValue={filters.site ?? ""}>
        <SiteOptions sites={sites} />
      </SelectField>
      <SelectField
        id="quality-age"
        name="ageBand"
        label="Age band"
        defaultValue={filters.ageBand ?? ""}
      >
        <option value="">All ages</option>
        <Options values={AGE_BANDS} labels={AGE_BAND_LABELS} />
      </SelectField>
      <SelectField id="quality-sex" name="sex" label="Sex" defaultValue={filters.sex ?? ""}>
        <option value="">All</option>
        <Options labels={SEX_LABELS} />
      </SelectField>
      <div className={styles.filterActions}>
        <button className="btn btn-primary" type="submit">
          Apply filters
        </button>
        <Link className="btn" href="/quality" scroll={false}>
          Reset
        </Link>
      </div>
      <p role="status" className={styles.unapplied}>
        {changed
          ? "Not applied yet: the figures and the CSV exports below are still for the applied filters. Apply filters to use the new ones."
          : ""}
      </p>
    </form>
  );
}
