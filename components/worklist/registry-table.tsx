import Link from "next/link";
import type { ReactNode } from "react";
import { SelectField } from "@/components/list-page/fields";
import type { RegistryPatientItem } from "@/lib/api/registry";
import { formatDate } from "@/lib/clinical/dates";
import { dateInZone } from "@/lib/time-zone";
import styles from "./worklist.module.css";

/*
 * The parts the care registries (bone, depression) share: the filter form with its export link,
 * the table whose sortable headers are links, and the patient and contact cells.
 */

/** A sortable column (its header is a link that sorts by `key`), or a plain header's text. */
export type RegistryColumn<K extends string> = { key: K; label: string; numeric?: true } | string;

interface RegistrySort<K extends string> {
  sort: K;
  dir?: "asc" | "desc";
}

type RegistryQuery = RegistrySort<string> & { site?: string };

/** What a registry page hands its view. */
export interface RegistryViewProps<I, Q extends RegistryQuery> {
  items: I[];
  query: Q;
  sites: { id: string; code: string; name: string }[];
  canExport: boolean;
  today: string;
}

/** Every registry lists patients: its first column is the patient, sorted by name. */
const PATIENT_COLUMN = { key: "name", label: "Patient" } as const;

/**
 * A registry's view: its filters (`filter`, then the site) with the export of the same query, then
 * its table (the patient, then `cells`), or `empty` when no patient matches.
 */
export function RegistryShell<I extends RegistryPatientItem, Q extends RegistryQuery>({
  items,
  query,
  sites,
  canExport,
  label,
  idPrefix,
  defaultSort,
  filters,
  csvPath,
  filter,
  empty,
  caption,
  columns,
  patientMore,
  cells,
}: Omit<RegistryViewProps<I, Q>, "today"> & {
  label: string;
  idPrefix: string;
  defaultSort: Q["sort"];
  /** The registry's own filters as address parameters (unset ones left out). */
  filters: (query: Q) => Record<string, string | undefined>;
  csvPath: string;
  filter: ReactNode;
  empty: ReactNode;
  caption: string;
  /** The columns after the patient's (the registry must sort by name too). */
  columns: "name" extends Q["sort"] ? readonly RegistryColumn<Q["sort"]>[] : never;
  /** More to say under the patient's site and MRN. */
  patientMore?: (item: I) => string;
  cells: (item: I) => ReactNode;
}) {
  const href = (order: RegistrySort<string>) =>
    registryQueryString(filters(query), { ...query, ...order }, defaultSort);
  const qs = href(query);
  return (
    <>
      <RegistryFilters
        label={label}
        idPrefix={idPrefix}
        sites={sites}
        query={query}
        defaultSort={defaultSort}
        exportHref={canExport ? `${csvPath}${qs ? `?${qs}` : ""}` : null}
      >
        {filter}
      </RegistryFilters>
      {items.length === 0 ? (
        empty
      ) : (
        <RegistryTable
          caption={caption}
          columns={[PATIENT_COLUMN, ...columns]}
          query={query}
          sortHref={(sort, dir) => href({ sort, dir })}
        >
          {items.map((i) => (
            <tr key={i.patientId}>
              <PatientCell item={i} more={patientMore?.(i)} />
              {cells(i)}
            </tr>
          ))}
        </RegistryTable>
      )}
    </>
  );
}

/** The query string of a registry: its own filters, the site, and the order unless the default. */
function registryQueryString(
  filters: Record<string, string | undefined>,
  query: RegistryQuery,
  defaultSort: string,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (query.site) params.set("site", query.site);
  if (query.sort !== defaultSort) params.set("sort", query.sort);
  if (query.dir) params.set("dir", query.dir);
  return params.toString();
}

/**
 * A registry's filters as a GET form: the registry's own field (`children`), the site, the order
 * kept in hidden fields, and the CSV export of the same query when the actor may export.
 */
function RegistryFilters<K extends string>({
  label,
  idPrefix,
  sites,
  query,
  defaultSort,
  exportHref,
  children,
}: {
  label: string;
  idPrefix: string;
  sites: readonly { id: string; code: string; name: string }[];
  query: RegistrySort<K> & { site?: string };
  defaultSort: K;
  /** The export's address, or null when the actor may not export. */
  exportHref: string | null;
  children: ReactNode;
}) {
  return (
    <form className={`${styles.filters} card`} aria-label={label} method="get">
      {children}
      <SelectField id={`${idPrefix}-site`} label="Site" name="site" defaultValue={query.site ?? ""}>
        <option value="">All my sites</option>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} · {s.name}
          </option>
        ))}
      </SelectField>
      {query.sort !== defaultSort ? <input type="hidden" name="sort" value={query.sort} /> : null}
      {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
      <button type="submit" className="btn btn-small">
        Apply filters
      </button>
      {exportHref ? (
        <a className="btn btn-small" href={exportHref} download>
          Export CSV
        </a>
      ) : null}
      <span className={styles.small}>The export holds the applied filters and order.</span>
    </form>
  );
}

/** A registry's table: a caption for screen readers, then headers that sort by link. */
function RegistryTable<K extends string>({
  caption,
  columns,
  query,
  sortHref,
  children,
}: {
  caption: string;
  columns: readonly RegistryColumn<K>[];
  query: RegistrySort<K>;
  /** The query string that sorts by `sort` in `dir`, the other filters kept. */
  sortHref: (sort: K, dir: "asc" | "desc") => string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === "string" ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <SortHeader key={c.key} column={c} query={query} sortHref={sortHref} />
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function SortHeader<K extends string>({
  column,
  query,
  sortHref,
}: {
  column: Exclude<RegistryColumn<K>, string>;
  query: RegistrySort<K>;
  sortHref: (sort: K, dir: "asc" | "desc") => string;
}) {
  const active = query.sort === column.key;
  const dir = active ? (query.dir ?? "asc") : undefined;
  const next = active && dir === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      className={column.numeric ? "num" : undefined}
      aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
    >
      <Link href={`?${sortHref(column.key, next)}`} scroll={false}>
        {column.label}
        <span className="visually-hidden">
          {active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}` : ", sort"}
        </span>
      </Link>
    </th>
  );
}

/** The patient's name (a link to the chart), then the site and MRN and any `more`. */
function PatientCell({ item, more }: { item: RegistryPatientItem; more?: string }) {
  return (
    <td>
      <Link href={`/patients/${item.patientId}`}>
        {item.familyName}, {item.givenName}
      </Link>
      <div className={styles.small}>
        {item.siteCode} · MRN {item.mrn}
        {more}
      </div>
    </td>
  );
}

/** The last contact and the next one due, marked overdue once its day has passed. */
export function ContactCell({
  item,
  today,
}: {
  item: { lastContactAt: string | null; nextContactDue: string | null; timeZone: string };
  today: string;
}) {
  const late = item.nextContactDue !== null && item.nextContactDue < today;
  return (
    <td className={late ? styles.overdue : undefined}>
      {item.lastContactAt
        ? `last ${formatDate(dateInZone(item.lastContactAt, item.timeZone))}`
        : "never contacted"}
      {item.nextContactDue ? (
        <div>
          {late ? "overdue since" : "next"} {formatDate(item.nextContactDue)}
        </div>
      ) : null}
    </td>
  );
}
