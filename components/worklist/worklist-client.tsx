"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { SelectField, Options, SiteOptions } from "@/components/list-page/fields";
import { LoadMoreButton } from "@/components/list-page/load-more";
import { PriorityBadge, SeverityBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { IconHigh } from "@/components/ui/icons";
import { SkeletonRows } from "@/components/ui/skeleton";
import type { WorklistItem, WorklistPage } from "@/lib/api/worklist";
import { FLAG_AREAS } from "@/lib/api/worklist-values";
import { errorMessage } from "@/lib/client/fetch-json";
import { useUrlKeysetList } from "@/lib/client/use-keyset-list";
import { FLAG_CODES } from "@/lib/clinical/constants";
import { formatDate } from "@/lib/clinical/dates";
import { ContactDetailsList, ContactLog } from "./contact-log";
import { FlagPanel } from "./flag-panel";
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
const PRIORITY_CHIPS = [
  { key: "urgent", label: "Urgent" },
  { key: "high", label: "High" },
  { key: "medium", label: "Medium" },
  { key: "low", label: "Low" },
  { key: "none", label: "Info only" },
] as const;
const COLUMNS: readonly Column[] = [
  "Priority",
  "Patient",
  "Top flags",
  { label: "Oldest flag", numeric: true },
  "Assignee",
  "Due",
  "Contact",
  "Last visit",
  { label: "Depression care", numeric: true },
];
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

  useEffect(() => {
    if (selected) drawerHeading.current?.focus();
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
        <div className={`${styles.layout} ${selectedItem ? styles.layoutWithDrawer : ""}`}>
          <div>
            <DataTable
              caption="Patients with open flags, most urgent first"
              columns={COLUMNS}
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
                        .slice(0, 3)
                        .map((f) => (
                          <span key={f.id} title={f.code}>
                            <SeverityBadge severity={f.severity} />{" "}
                            <span className={styles.small}>{f.title}</span>
                            {f.source === "self-report" ? (
                              <span className={styles.small}> (patient-reported, self-report)</span>
                            ) : null}
                          </span>
                        ))}
                      {flagsShown(item.flags, params.get("status")).length > 3 ? (
                        <span className={styles.small}>
                          +{flagsShown(item.flags, params.get("status")).length - 3} more
                        </span>
                      ) : null}
                    </div>
                  </td>
                  <td className="num">{item.oldestOpenFlagDays} d</td>
                  <td>
                    {item.assignees.length ? (
                      item.assignees.join(", ")
                    ) : (
                      <span className="muted">Unassigned</span>
                    )}
                  </td>
                  <td className={item.overdueDays ? styles.overdue : undefined}>
                    {dueText(item.dueOn, item.overdueDays, today, formatDate)}
                  </td>
                  <td className={contactOverdue(item, today) ? styles.overdue : undefined}>
                    {contactText(item, today, formatDate)}
                  </td>
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
            <aside className={styles.drawer} aria-labelledby="drawer-title">
              <div className={styles.drawerHead}>
                <div>
                  <h2 id="drawer-title" tabIndex={-1} ref={drawerHeading}>
                    {selectedItem.patient.familyName}, {selectedItem.patient.givenName}
                  </h2>
                  <p className={styles.small} style={{ margin: 0 }}>
                    {selectedItem.patient.age} y · {selectedItem.patient.siteCode} · MRN{" "}
                    {selectedItem.patient.mrn} ·{" "}
                    <Link href={`/patients/${selectedItem.patientId}`}>Open patient page</Link>
                  </p>
                </div>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setSelected(null)}
                  aria-label="Close the patient's flags"
                >
                  Close
                </button>
              </div>
              <ContactDetailsList details={selectedItem.patient} />
              <ContactLog patientId={selectedItem.patientId} today={today} canLog />
              {selectedItem.flags.map((f) => (
                <FlagPanel
                  key={f.id}
                  flag={f}
                  patientId={selectedItem.patientId}
                  siteId={selectedItem.patient.siteId}
                  canManage={canManage}
                  today={today}
                />
              ))}
            </aside>
          ) : null}
        </div>
      )}
    </>
  );
}
