import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import {
  TTT_STATUS_LABEL,
  TTT_STATUSES,
  type TreatToTargetItem,
  type TreatToTargetQuery,
} from "@/lib/api/treat-to-target";
import { formatDate } from "@/lib/clinical/dates";
import styles from "./worklist.module.css";

const SORTABLE: readonly { key: TreatToTargetQuery["sort"]; label: string; numeric?: true }[] = [
  { key: "name", label: "Patient" },
  { key: "status", label: "Status" },
  { key: "latest", label: "PHQ-9: baseline → latest", numeric: true },
  { key: "change", label: "Change", numeric: true },
  { key: "weeks", label: "Weeks in care", numeric: true },
  { key: "contact", label: "Contact" },
];

/** The query string of `query` with `patch` applied (defaults left out). */
export function tttHref(query: TreatToTargetQuery, patch: Partial<TreatToTargetQuery>): string {
  const next = { ...query, ...patch };
  const params = new URLSearchParams();
  if (next.status?.length) params.set("status", next.status.join(","));
  if (next.site) params.set("site", next.site);
  if (next.sort !== "status") params.set("sort", next.sort);
  if (next.dir) params.set("dir", next.dir);
  return params.toString();
}

/** A PHQ-9 series as a small line (decorative: the numbers are in the row's text). */
export function Sparkline({ points }: { points: { effective: string; total: number }[] }) {
  if (points.length < 2) return null;
  const w = 80;
  const h = 20;
  const step = w / (points.length - 1);
  const d = points
    .map(
      (p, i) =>
        `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${(h - (p.total / 27) * h).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

function changeText(i: TreatToTargetItem): string {
  if (i.changePoints === null) return "–";
  const sign = i.changePoints > 0 ? "+" : "";
  return `${sign}${i.changePoints}${i.changePercent === null ? "" : ` (${sign}${i.changePercent} %)`}`;
}

/** The depression registry table: sortable headers (links), filters (a GET form), export. */
export function TreatToTargetView({
  items,
  query,
  sites,
  canExport,
  today,
}: {
  items: TreatToTargetItem[];
  query: TreatToTargetQuery;
  sites: { id: string; code: string; name: string }[];
  canExport: boolean;
  today: string;
}) {
  const qs = tttHref(query, {});
  return (
    <>
      <form className={`${styles.filters} card`} aria-label="Treat-to-target filters" method="get">
        <div className="field">
          <label htmlFor="ttt-status">Status</label>
          <select
            id="ttt-status"
            name="status"
            className="input"
            defaultValue={query.status?.join(",") ?? ""}
          >
            <option value="">Every status</option>
            {TTT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {TTT_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ttt-site">Site</label>
          <select id="ttt-site" name="site" className="input" defaultValue={query.site ?? ""}>
            <option value="">All my sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </div>
        {query.sort !== "status" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <button type="submit" className="btn btn-small">
          Apply filters
        </button>
        {canExport ? (
          <a
            className="btn btn-small"
            href={`/api/v1/worklist/treat-to-target.csv${qs ? `?${qs}` : ""}`}
            download
          >
            Export CSV
          </a>
        ) : null}
        <span className={styles.small}>The export holds the applied filters and order.</span>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No patient in depression care with these filters">
          <p>Patients appear here once a PHQ-9 of 10 or more opens a depression flag.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Patients in depression care: PHQ-9 from baseline to latest, status and contact
            </caption>
            <thead>
              <tr>
                {SORTABLE.map((c) => {
                  const active = query.sort === c.key;
                  const dir = active ? (query.dir ?? "asc") : undefined;
                  const next = active && dir === "asc" ? "desc" : "asc";
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.numeric ? "num" : undefined}
                      aria-sort={
                        dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined
                      }
                    >
                      <Link href={`?${tttHref(query, { sort: c.key, dir: next })}`} scroll={false}>
                        {c.label}
                        <span className="visually-hidden">
                          {active
                            ? `, sorted ${dir === "asc" ? "ascending" : "descending"}`
                            : ", sort"}
                        </span>
                      </Link>
                    </th>
                  );
                })}
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const late = i.nextContactDue !== null && i.nextContactDue < today;
                return (
                  <tr key={i.patientId}>
                    <td>
                      <Link href={`/patients/${i.patientId}`}>
                        {i.familyName}, {i.givenName}
                      </Link>
                      <div className={styles.small}>
                        {i.siteCode} · MRN {i.mrn} · in care since {formatDate(i.careSince)}
                      </div>
                    </td>
                    <td>
                      {TTT_STATUS_LABEL[i.status]}
                      {i.psychiatricConsultation ? (
                        <div className={styles.small}>Psychiatric case review</div>
                      ) : null}
                    </td>
                    <td className="num">
                      {i.baselinePhq9 ?? "–"} → {i.latestPhq9 ?? "–"}
                      <div className={styles.small}>
                        {i.baselineOn ? formatDate(i.baselineOn) : ""}
                        {i.latestOn && i.latestOn !== i.baselineOn
                          ? ` → ${formatDate(i.latestOn)}`
                          : ""}
                      </div>
                    </td>
                    <td className="num">{changeText(i)}</td>
                    <td className="num">{i.weeksInCare}</td>
                    <td className={late ? styles.overdue : undefined}>
                      {i.lastContactAt
                        ? `last ${formatDate(i.lastContactAt.slice(0, 10))}`
                        : "never contacted"}
                      {i.nextContactDue ? (
                        <div>
                          {late ? "overdue since" : "next"} {formatDate(i.nextContactDue)}
                        </div>
                      ) : null}
                    </td>
                    <td className={styles.trend}>
                      <Sparkline points={i.phq9} />
                      <span className="visually-hidden">
                        PHQ-9 totals: {i.phq9.map((p) => p.total).join(", ")}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
