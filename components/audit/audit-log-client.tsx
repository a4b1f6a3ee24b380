"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, type FormEvent } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { AUDIT_OUTCOMES, type AuditPage } from "@/lib/api/audit";
import { errorMessage } from "@/lib/client/fetch-json";
import { useLoadMore } from "@/lib/client/use-load-more";
import { fetchAuditPage, useAuditLog } from "@/lib/client/use-audit-log";
import {
  compactDetail,
  entityText,
  formatAuditTime,
  normalizeAuditParams,
} from "./audit-log.utils";
import styles from "./audit-log.module.css";

const ROLE_NAMES: Record<string, string> = {
  clinician: "clinician",
  care_team: "care team",
  quality: "quality",
  admin: "administrator",
};

function OutcomeBadge({ outcome }: { outcome: string }) {
  const cls =
    outcome === "denied" ? styles.denied : outcome === "failure" ? styles.failure : styles.outcome;
  return <span className={`badge ${cls}`}>{outcome}</span>;
}

export interface AuditLogClientProps {
  initialData: AuditPage;
  initialQuery: string;
}

/** The audit log with its URL filters, "Load more" (keyset) and CSV export of the same filters. */
export function AuditLogClient({ initialData, initialQuery }: AuditLogClientProps) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = normalizeAuditParams(new URLSearchParams(search.toString()));
  const queryString = params.toString();
  const query = useAuditLog(queryString, queryString === initialQuery ? initialData : undefined);

  const { items, nextCursor, loadMore, loadingMore, moreError, reset } = useLoadMore(
    queryString,
    query.data,
    (i) => String(i.id),
    fetchAuditPage,
  );

  const navigate = useCallback(
    (qs: string) => {
      reset();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, reset, router],
  );

  const page = query.data;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const [k, v] of form.entries()) if (typeof v === "string") next.set(k, v);
    navigate(normalizeAuditParams(next).toString());
  }

  return (
    <>
      <form
        key={queryString}
        className={`card ${styles.filters}`}
        aria-label="Audit log filters"
        onSubmit={submit}
      >
        <div className="field">
          <label htmlFor="au-user">User</label>
          <input
            id="au-user"
            name="user"
            className="input"
            defaultValue={params.get("user") ?? ""}
            placeholder="email or user id"
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="au-patient">Patient id</label>
          <input
            id="au-patient"
            name="patient"
            className="input"
            defaultValue={params.get("patient") ?? ""}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="au-action">Action</label>
          <input
            id="au-action"
            name="action"
            className="input"
            defaultValue={params.get("action") ?? ""}
            placeholder="e.g. patients."
            aria-describedby="au-action-hint"
            autoComplete="off"
          />
          <span className="hint" id="au-action-hint">
            Starts with
          </span>
        </div>
        <div className="field">
          <label htmlFor="au-outcome">Outcome</label>
          <select
            id="au-outcome"
            name="outcome"
            className="input"
            defaultValue={params.get("outcome") ?? ""}
          >
            <option value="">Any</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="au-from">From (UTC)</label>
          <input
            id="au-from"
            name="from"
            type="date"
            className="input"
            defaultValue={params.get("from") ?? ""}
          />
        </div>
        <div className="field">
          <label htmlFor="au-to">To (UTC)</label>
          <input
            id="au-to"
            name="to"
            type="date"
            className="input"
            defaultValue={params.get("to") ?? ""}
          />
        </div>
        <div className={styles.buttons}>
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          {queryString ? (
            <button type="button" className="btn" onClick={() => navigate("")}>
              Clear filters
            </button>
          ) : null}
          <a
            className="btn"
            href={`/api/v1/audit.csv${queryString ? `?${queryString}` : ""}`}
            download
          >
            Export CSV
          </a>
        </div>
      </form>

      {query.isError ? (
        <p className="alert alert-error" role="alert">
          {errorMessage(query.error)}
        </p>
      ) : null}
      {!page && query.isPending ? <SkeletonRows /> : null}
      {page && items.length === 0 ? (
        <EmptyState title="No audit events match these filters">
          Widen the dates or clear a filter.
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className={`table ${styles.table}`}>
            <caption className="visually-hidden">
              Audit events, newest first{queryString ? ", filtered" : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Patient id</th>
                <th scope="col">Entity</th>
                <th scope="col">IP</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td className={styles.time}>
                    <time dateTime={e.at}>{formatAuditTime(e.at)}</time>
                  </td>
                  <td>
                    {e.actorEmail ?? <span className="muted">system</span>}
                    {e.actorRole ? (
                      <div className="muted">{ROLE_NAMES[e.actorRole] ?? e.actorRole}</div>
                    ) : null}
                  </td>
                  <td className={styles.mono}>{e.action}</td>
                  <td>
                    <OutcomeBadge outcome={e.outcome} />
                  </td>
                  <td className={styles.mono}>{e.patientId ?? ""}</td>
                  <td className={styles.mono}>{entityText(e.entityType, e.entityId)}</td>
                  <td className={styles.mono}>{e.ip ?? ""}</td>
                  <td className={`${styles.mono} ${styles.detail}`}>{compactDetail(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className={styles.more}>
        <span className="muted" aria-live="polite">
          {items.length} event{items.length === 1 ? "" : "s"} shown
          {nextCursor ? "; more are older" : ""}
        </span>
        {nextCursor ? (
          <button
            type="button"
            className="btn"
            onClick={() => void loadMore()}
            disabled={loadingMore}
          >
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        ) : null}
      </div>
      {moreError ? (
        <p className="alert alert-error" role="alert">
          {moreError}
        </p>
      ) : null}
    </>
  );
}
