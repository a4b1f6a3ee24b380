"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { SelectField, Options, SiteOptions } from "@/components/list-page/fields";
import { LoadMoreButton } from "@/components/list-page/load-more";
import { PriorityBadge, SeverityBadge, priorityLabel } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { IconHigh } from "@/components/ui/icons";
import { SkeletonRows } from "@/components/ui/skeleton";
import type { WorklistItem, WorklistPage } from "@/lib/api/worklist";
import { FLAG_AREAS } from "@/lib/api/worklist-values";
import { errorMessage } from "@/lib/client/fetch-json";
import { useUrlKeysetList } from "@/lib/client/use-keyset-list";
import { FLAG_CODES, PRIORITIES } from "@/lib/clinical/constants";
import { formatDate } from "@/lib/clinical/dates";
import { FlagDrawer } from "./flag-drawer";
import {
  contactOverdue,
  contactText,
  dueText,
  flagsShown,
  normalizeWorklistParams,
  togglePriority,
  withParam,
  type WorklistParamKey,
} from "./worklist-filters.utils";
import styles from "./worklist.module.css";

const AREA_LABEL: Record<(typeof FLAG_AREAS)[number], string> = {
  safety: "Safety",
  depression: "Depression",
  bone: "Bone",
  vitd: "Vitamin D",
  falls: "Falls",
  meds: "Medications",
  comorbidity: "Comorbidity",
};
// A worklist row of priority "none" has flags, only informational ones.
const PRIORITY_CHIPS = PRIORITIES.map((key) => ({
  key,
  label: key === "none" ? "Info only" : priorityLabel(key),
}));
const COLUMNS: readonly Column[] = [
  "Priority",
  "Patient",
  "Top flags",
  { label: "Oldest flag", numeric: true },
  "Assignee",
  "Due",
  "Contact",
  "Last visit",
  { label: "Weeks in depression care", numeric: true },
];
/** Beside the drawer: the columns that decide who to call, so eight rows and more stay in view. */
const SPLIT_COLUMNS: readonly Column[] = ["Priority", "Patient", "Top flags", "Due", "Contact"];
const STATUS_LABEL = {
  active: "Open or acknowledged",
  open: "Open",
  acknowledged: "Acknowledged",
  snoozed: "Snoozed",
  all: "All unresolved",
} as const;
const ASSIGNEE_LABEL = { anyone: "Anyone", me: "Me", unassigned: "Unassigned" } as const;
const SORT_LABEL = {
  priority: "Priority, then oldest flag",
  contact: "Priority, then overdue contacts",
} as const;

export interface WorklistClientProps {
  initialData: WorklistPage;
  initialQuery: string;
  sites: { id: string; code: string; name: string }[];
  canManage: boolean;
  canExport: boolean;
  today: string;
}

export function WorklistClient(props: WorklistClientProps) {
  const { sites, canManage, canExport, today } = props;
  const list = useUrlKeysetList("worklist", normalizeWorklistParams, props, (i) => i.patientId);
  const { params, queryString, navigate, query, page, items } = list;
  // The drawer keeps the patient it opened with, even when a change takes the row out of the list.
  const [selection, setSelection] = useState<WorklistItem | null>(null);
  const selected = selection?.patientId ?? null;
  const setSelected = (item: WorklistItem | null) => setSelection(item);
  const drawerHeading = useRef<HTMLHeadingElement>(null);

  const fresh = items.find((i) => i.patientId === selected);
  const selectedItem = fresh
    ? {
        ...fresh,
        flags: [
          ...fresh.flags,
          ...(selection?.flags ?? []).filter((f) => !fresh.flags.some((g) => g.id === f.id)),
        ],
      }
    : selection;

  const layout = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selected) return;
    // Split view: the list and the drawer take the screen's height (the filters scroll away),
    // so the rows stay in view beside the drawer. Under 900 px the drawer covers the screen.
    if (window.matchMedia("(min-width: 901px)").matches)
      layout.current?.scrollIntoView({ block: "start" });
    drawerHeading.current?.focus({ preventScroll: true });
  }, [selected]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setSelected(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A select bound to one URL filter; its first option (the default) clears the filter.
  const select = (key: WorklistParamKey, fallback = "") => ({
    id: `wl-${key}`,
    value: params.get(key) ?? fallback,
    onChange: (e: ChangeEvent<HTMLSelectElement>) =>
      navigate(withParam(params, key, e.target.value)),
  });
  const split = Boolean(selectedItem);
  const shownFlags = split ? 1 : 3;
  const activePriorities = new Set((params.get("priority") ?? "").split(",").filter(Boolean));
  const counts = page?.counts;

  return (
    <>
      <div className={styles.chips} role="group" aria-label="Filter by priority">
        {PRIORITY_CHIPS.map((c) => (
          <button
            key={c.key}
            type="button"
            className={styles.chip}
            aria-pressed={activePriorities.has(c.key)}
            onClick={() => navigate(togglePriority(params, c.key))}
          >
            {c.label} <span className={styles.chipCount}>{counts ? counts[c.key] : "…"}</span>
          </button>
        ))}
      </div>
      <form
        className={`${styles.filters} card`}
        aria-label="Worklist filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <SelectField {...select("code")} label="Flag">
          <option value="">All flags</option>
          <optgroup label="Areas">
            <Options values={FLAG_AREAS} labels={AREA_LABEL} />
          </optgroup>
          <optgroup label="Flag codes">
            <Options values={FLAG_CODES} />
          </optgroup>
        </SelectField>
        <SelectField {...select("status", "active")} label="Status">
          <Options labels={STATUS_LABEL} />
        </SelectField>
        <SelectField {...select("assignee", "anyone")} label="Assignee">
          <Options labels={ASSIGNEE_LABEL} />
        </SelectField>
        <SelectField {...select("site")} label="Site">
          <SiteOptions sites={sites} />
        </SelectField>
        <SelectField {...select("sort", "priority")} label="Order">
          <Options labels={SORT_LABEL} />
        </SelectField>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={params.get("overdue") === "true"}
            onChange={(e) =>
              navigate(withParam(params, "overdue", e.target.checked ? "true" : null))
            }
          />
          Overdue only
        </label>
        {queryString ? (
          <button type="button" className="btn btn-small" onClick={() => navigate("")}>
            Clear filters
          </button>
        ) : null}
        {canExport ? (
          <a
            className="btn btn-small"
            href={`/api/v1/worklist.csv${queryString ? `?${queryString}` : ""}`}
            download
          >
            Export CSV
          </a>
        ) : null}
      </form>

      {query.isError && !page ? (
        <div className="alert alert-error" role="alert">
          <IconHigh />
          <span>The worklist could not be loaded: {errorMessage(query.error)}</span>
        </div>
      ) : !page ? (
        <SkeletonRows rows={8} />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing to work on with these filters">
          <p>
            {queryString
              ? "Clear or widen the filters to see more patients."
              : "No patient has an open flag. New flags appear here as visits are recorded."}
          </p>
        </EmptyState>
      ) : (
        <div
          ref={layout}
          className={`${styles.layout} ${selectedItem ? styles.layoutWithDrawer : ""}`}
        >
          <div>
            <DataTable
              caption="Patients with open flags, most urgent first"
              columns={split ? SPLIT_COLUMNS : COLUMNS}
              wrapClassName={styles.tableWrap}
              busy={query.isFetching}
            >
              {items.map((item) => (
                <tr
                  key={item.patientId}
                  className={item.patientId === selected ? styles.rowSelected : undefined}
                >
                  <td>
                    <PriorityBadge priority={item.priority} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className={styles.nameButton}
                      onClick={() => setSelected(item)}
                      aria-expanded={item.patientId === selected}
                    >
                      {item.patient.familyName}, {item.patient.givenName}
                    </button>
                    <div className={styles.small}>
                      {item.patient.age} y · {item.patient.siteCode} · MRN {item.patient.mrn}
                    </div>
                  </td>
                  <td>
                    <div className={styles.flagList}>
                      {flagsShown(item.flags, params.get("status"))
                        .slice(0, shownFlags)
                        .map((f) => (
                          <span key={f.id} title={f.code}>
                            <SeverityBadge severity={f.severity} />{" "}
                            <span className={styles.small}>{f.title}</span>
                            {f.source === "self-report" ? (
                              <span className={styles.small}> (patient-reported, self-report)</span>
                            ) : null}
                          </span>
                        ))}
                      {flagsShown(item.flags, params.get("status")).length > shownFlags ? (
                        <span className={styles.small}>
                          +{flagsShown(item.flags, params.get("status")).length - shownFlags} more
                        </span>
                      ) : null}
                    </div>
                  </td>
                  {split ? null : (
                    <>
                      <td className="num">{item.oldestOpenFlagDays} d</td>
                      <td>
                        {item.assignees.length ? (
                          item.assignees.join(", ")
                        ) : (
                          <span className="muted">Unassigned</span>
                        )}
                      </td>
                    </>
                  )}
                  <td className={item.overdueDays ? styles.overdue : undefined}>
                    {dueText(item.dueOn, item.overdueDays, today, formatDate)}
                  </td>
                  <td className={contactOverdue(item, today) ? styles.overdue : undefined}>
                    {contactText(item, today, formatDate, item.patient.timeZone)}
                  </td>
                  {split ? null : (
                    <>
                      <td>
                        {item.lastVisitOn ? (
                          formatDate(item.lastVisitOn)
                        ) : (
                          <span className="muted">No visit</span>
                        )}
                      </td>
                      <td className="num">
                        {item.weeksInDepressionCare === null ? (
                          <span className="muted">–</span>
                        ) : (
                          `${item.weeksInDepressionCare} wk`
                        )}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </DataTable>
            <div className="pager">
              {list.moreError ? <span className="error">{list.moreError}</span> : null}
              {list.nextCursor ? (
                <LoadMoreButton {...list} />
              ) : (
                <span className="muted">
                  {items.length} patient{items.length === 1 ? "" : "s"}
                </span>
              )}
            </div>
          </div>
          {selectedItem ? (
            <FlagDrawer
              key={selectedItem.patientId}
              item={selectedItem}
              canManage={canManage}
              today={today}
              onClose={() => setSelected(null)}
              headingRef={drawerHeading}
            />
          ) : null}
        </div>
      )}
    </>
  );
}
