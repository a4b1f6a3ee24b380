"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { PriorityBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { IconCritical } from "@/components/ui/icons";
import { SkeletonRows } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/fetch-json";
import { usePatients } from "@/lib/client/use-patients";
import { ageOn, formatDate } from "@/lib/clinical/dates";
import { SEX_LABEL } from "./labels";
import styles from "./patient.module.css";

/** Milliseconds of quiet typing before a search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Patient search (clinician home): results as you type, "Load more", ↑/↓ to move through the
 * results and Enter to open one. The query is kept in the URL.
 */
export function PatientSearch({ initialQuery, today }: { initialQuery: string; today: string }) {
  const router = useRouter();
  const [q, setQ] = useState(initialQuery);
  const debounced = useDebounced(q, SEARCH_DEBOUNCE_MS);
  const query = usePatients({ q: debounced });
  const inputRef = useRef<HTMLInputElement | null>(null);
  const tableRef = useRef<HTMLTableSectionElement | null>(null);

  useEffect(() => {
    const url = new URL(window.location.href);
    const term = debounced.trim();
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
  }, [debounced]);

  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const rowLinks = (): HTMLAnchorElement[] =>
    Array.from(tableRef.current?.querySelectorAll<HTMLAnchorElement>("a[data-row-link]") ?? []);

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      rowLinks()[0]?.focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const first = items[0];
      if (first && items.length === 1) router.push(`/patients/${first.id}`);
      else rowLinks()[0]?.focus();
    }
  };

  const onTableKey = (event: KeyboardEvent<HTMLTableSectionElement>): void => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = rowLinks();
    const index = links.findIndex((a) => a === document.activeElement);
    if (index === -1) return;
    event.preventDefault();
    if (event.key === "ArrowDown") links[Math.min(index + 1, links.length - 1)]?.focus();
    else if (index === 0) inputRef.current?.focus();
    else links[index - 1]?.focus();
  };

  const searching = debounced.trim() !== "";
  return (
    <>
      <div role="search" className={`card ${styles.searchBar}`}>
        <div className="field">
          <label htmlFor="patient-search">Find a patient</label>
          <input
            ref={inputRef}
            id="patient-search"
            type="search"
            className="input"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={onSearchKey}
            placeholder="Name, MRN or birth date (YYYY-MM-DD)"
            aria-describedby="patient-search-hint"
            autoComplete="off"
            autoFocus
          />
          <span className="hint" id="patient-search-hint">
            Results update as you type. ↓ moves into the results, Enter opens one.
          </span>
        </div>
        <Link className="btn btn-primary" href="/patients/new">
          New patient
        </Link>
      </div>
      <p className={styles.status} role="status" aria-live="polite">
        {query.isPending
          ? "Searching…"
          : query.isError
            ? ""
            : items.length === 0
              ? ""
              : `${items.length}${query.hasNextPage ? "+" : ""} ${items.length === 1 ? "patient" : "patients"}${searching ? ` matching “${debounced.trim()}”` : ""}`}
      </p>
      {query.isError ? (
        <div className="alert alert-error" role="alert">
          <div>
            <strong>The patient list could not be loaded.</strong> {errorMessage(query.error)}{" "}
            <button type="button" className="btn btn-small" onClick={() => void query.refetch()}>
              Try again
            </button>
          </div>
        </div>
      ) : query.isPending ? (
        <SkeletonRows rows={8} />
      ) : items.length === 0 ? (
        <EmptyState
          title={searching ? "No patient matches" : "No patients yet"}
          action={
            <Link className="btn btn-primary" href="/patients/new">
              Register a new patient
            </Link>
          }
        >
          <p>
            {searching
              ? "Check the spelling, or search by MRN or birth date (YYYY-MM-DD). If the patient is new, register them."
              : "Patients of your sites appear here once registered."}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Patients of your sites</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Age
                </th>
                <th scope="col">Sex</th>
                <th scope="col">MRN</th>
                <th scope="col">Site</th>
                <th scope="col" className="num">
                  Open flags
                </th>
                <th scope="col">Last visit</th>
              </tr>
            </thead>
            <tbody ref={tableRef} onKeyDown={onTableKey}>
              {items.map((p) => (
                <tr key={p.id} className={styles.resultRow}>
                  <td>
                    <PriorityBadge priority={p.priority} />
                    {p.unacknowledgedCritical ? (
                      <span className={styles.criticalTag}>
                        <IconCritical /> Critical flag not acknowledged
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <Link href={`/patients/${p.id}`} className={styles.rowLink} data-row-link="">
                      {p.familyName}, {p.givenName}
                    </Link>
                  </td>
                  <td className="num">
                    {ageOn(p.birthDate, today)}{" "}
                    <span className="muted">({formatDate(p.birthDate)})</span>
                  </td>
                  <td>{SEX_LABEL[p.sex]}</td>
                  <td>{p.mrn}</td>
                  <td>{p.siteCode}</td>
                  <td className="num">{p.openFlagCount}</td>
                  <td>
                    {p.lastVisitOn ? (
                      formatDate(p.lastVisitOn)
                    ) : (
                      <span className="muted">No visit</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage ? (
        <div className="pager">
          <button
            type="button"
            className="btn"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
