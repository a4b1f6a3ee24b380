import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import {
  BONE_SHOW_LABEL,
  BONE_SHOWS,
  type BoneRegistryItem,
  type BoneRegistryQuery,
} from "@/lib/api/bone-registry";
import { formatDate } from "@/lib/clinical/dates";
import styles from "./worklist.module.css";

const SORTABLE: readonly { key: BoneRegistryQuery["sort"]; label: string }[] = [
  { key: "name", label: "Patient" },
  { key: "dxa", label: "DXA due" },
  { key: "treatment", label: "Treatment started" },
  { key: "follow-up", label: "Follow-up DXA due" },
];

const TREATMENT_LABEL: Record<string, string> = {
  bisphosphonate: "Bisphosphonate",
  denosumab: "Denosumab",
  teriparatide: "Teriparatide",
  abaloparatide: "Abaloparatide",
  romosozumab: "Romosozumab",
  raloxifene: "Raloxifene",
};

/** The query string of `query` with `patch` applied (defaults left out). */
export function boneHref(query: BoneRegistryQuery, patch: Partial<BoneRegistryQuery>): string {
  const next = { ...query, ...patch };
  const params = new URLSearchParams();
  if (next.show !== "all") params.set("show", next.show);
  if (next.site) params.set("site", next.site);
  if (next.sort !== "dxa") params.set("sort", next.sort);
  if (next.dir) params.set("dir", next.dir);
  return params.toString();
}

/** The bone registry table: sortable headers (links), filters (a GET form), export. */
export function BoneRegistryView({
  items,
  query,
  sites,
  canExport,
  today,
}: {
  items: BoneRegistryItem[];
  query: BoneRegistryQuery;
  sites: { id: string; code: string; name: string }[];
  canExport: boolean;
  today: string;
}) {
  const qs = boneHref(query, {});
  return (
    <>
      <form className={`${styles.filters} card`} aria-label="Bone registry filters" method="get">
        <div className="field">
          <label htmlFor="bone-show">Show</label>
          <select id="bone-show" name="show" className="input" defaultValue={query.show}>
            {BONE_SHOWS.map((s) => (
              <option key={s} value={s}>
                {BONE_SHOW_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bone-site">Site</label>
          <select id="bone-site" name="site" className="input" defaultValue={query.site ?? ""}>
            <option value="">All my sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </div>
        {query.sort !== "dxa" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <button type="submit" className="btn btn-small">
          Apply filters
        </button>
        {canExport ? (
          <a
            className="btn btn-small"
            href={`/api/v1/worklist/bone-registry.csv${qs ? `?${qs}` : ""}`}
            download
          >
            Export CSV
          </a>
        ) : null}
        <span className={styles.small}>The export holds the applied filters and order.</span>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No patient in bone care with these filters">
          <p>
            Patients appear here once a bone flag opens or an osteoporosis treatment is recorded.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Patients in bone care: DXA due, treatment, adherence, follow-up DXA and contact
            </caption>
            <thead>
              <tr>
                {SORTABLE.slice(0, 2).map((c) => (
                  <SortHeader key={c.key} column={c} query={query} />
                ))}
                <th scope="col">Latest DXA</th>
                {SORTABLE.slice(2, 3).map((c) => (
                  <SortHeader key={c.key} column={c} query={query} />
                ))}
                <th scope="col">Adherence</th>
                {SORTABLE.slice(3).map((c) => (
                  <SortHeader key={c.key} column={c} query={query} />
                ))}
                <th scope="col">Contact</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const late = i.nextContactDue !== null && i.nextContactDue < today;
                const followUpLate = i.followUpDxaDue !== null && i.followUpDxaDue <= today;
                return (
                  <tr key={i.patientId}>
                    <td>
                      <Link href={`/patients/${i.patientId}`}>
                        {i.familyName}, {i.givenName}
                      </Link>
                      <div className={styles.small}>
                        {i.siteCode} · MRN {i.mrn}
                      </div>
                    </td>
                    <td>
                      {i.dxaDue ? (
                        <span title={`Rule ${i.dxaDue.code}`}>
                          {i.dxaDue.title}
                          {i.dxaDue.dueOn ? (
                            <div className={styles.small}>due {formatDate(i.dxaDue.dueOn)}</div>
                          ) : null}
                        </span>
                      ) : (
                        <span className="muted">Not due</span>
                      )}
                    </td>
                    <td>
                      {i.latestDxaOn ? (
                        formatDate(i.latestDxaOn)
                      ) : (
                        <span className="muted">None</span>
                      )}
                      {i.lowestTScore !== null ? (
                        <div className={styles.small}>lowest T {i.lowestTScore}</div>
                      ) : null}
                    </td>
                    <td>
                      {i.treatmentStartedOn ? (
                        <>
                          {formatDate(i.treatmentStartedOn)}
                          <div className={styles.small}>
                            {i.treatments.map((t) => TREATMENT_LABEL[t] ?? t).join(", ")}
                          </div>
                        </>
                      ) : (
                        <span className="muted">Not on treatment</span>
                      )}
                    </td>
                    <td>
                      <span className="muted">Not recorded</span>
                    </td>
                    <td className={followUpLate ? styles.overdue : undefined}>
                      {i.followUpDxaDue ? (
                        `${followUpLate ? "due since" : ""} ${formatDate(i.followUpDxaDue)}`.trim()
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
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

function SortHeader({
  column,
  query,
}: {
  column: (typeof SORTABLE)[number];
  query: BoneRegistryQuery;
}) {
  const active = query.sort === column.key;
  const dir = active ? (query.dir ?? "asc") : undefined;
  const next = active && dir === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
    >
      <Link href={`?${boneHref(query, { sort: column.key, dir: next })}`} scroll={false}>
        {column.label}
        <span className="visually-hidden">
          {active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}` : ", sort"}
        </span>
      </Link>
    </th>
  );
}
