"use client";

import { Fragment } from "react";
import { DataTable } from "@/components/list-page/data-table";
import { InputField, SelectField, Options } from "@/components/list-page/fields";
import { LoadMoreButton } from "@/components/list-page/load-more";
import { EmptyState } from "@/components/ui/empty-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { AUDIT_OUTCOMES, type AuditPage } from "@/lib/api/audit";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { formatDateTime } from "@/lib/time-zone";
import { errorMessage } from "@/lib/client/fetch-json";
import { useUrlKeysetList } from "@/lib/client/use-keyset-list";
import {
  actionParts,
  detailFields,
  entityText,
  normalizeAuditParams,
  type AuditParamKey,
} from "./audit-log.utils";
import styles from "./audit-log.module.css";

/** The log stores the actor's role as text; one this table does not know shows as written. */
const ROLE_NAMES: Readonly<Record<string, string | undefined>> = ROLE_LABEL;

const toAuditQuery = (fields: URLSearchParams) => normalizeAuditParams(fields).toString();

function OutcomeBadge({ outcome }: { outcome: string }) {
  const cls =
    outcome === "denied" ? styles.denied : outcome === "failure" ? styles.failure : styles.outcome;
  return <span className={`badge ${cls}`}>{outcome}</span>;
}

/** An event's detail as labelled fields. */
function DetailList({ detail }: { detail: unknown }) {
  const fields = detailFields(detail);
  if (fields.length === 0) return null;
  return (
    <dl className={styles.fields}>
      {fields.map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface AuditLogClientProps {
  initialData: AuditPage;
  initialQuery: string;
}

/** The audit log with its URL filters, "Load more" (keyset) and CSV export of the same filters. */
export function AuditLogClient(props: AuditLogClientProps) {
  const list = useUrlKeysetList("audit", normalizeAuditParams, props, (e) => String(e.id));
  const { params, queryString, query, page, items, nextCursor } = list;

  const field = (name: AuditParamKey) => ({
    id: `au-${name}`,
    name,
    defaultValue: params.get(name) ?? "",
  });
  const text = (name: AuditParamKey) => ({ ...field(name), autoComplete: "off" });

  return (
    <>
      <form
        key={queryString}
        className={`card ${styles.filters}`}
        aria-label="Audit log filters"
        onSubmit={list.submit(toAuditQuery)}
      >
        <InputField {...text("user")} label="User" placeholder="email or user id" />
        <InputField {...text("patient")} label="Patient" placeholder="MRN, name or id" />
        <InputField
          {...text("action")}
          label="Action"
          placeholder="e.g. patients."
          hint="Starts with"
        />
        <SelectField
          id="au-outcome"
          name="outcome"
          label="Outcome"
          defaultValue={params.get("outcome") ?? ""}
        >
          <option value="">Any</option>
          <Options values={AUDIT_OUTCOMES} />
        </SelectField>
        <InputField {...field("from")} label="From (UTC)" type="date" />
        <InputField {...field("to")} label="To (UTC)" type="date" />
        <div className={styles.buttons}>
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          {queryString ? (
            <button type="button" className="btn" onClick={() => list.navigate("")}>
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
          <span className="muted">The export holds the applied filters: apply changes first.</span>
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
        <DataTable
          caption={`Audit events, newest first${queryString ? ", filtered" : ""}`}
          columns={["Time", "Actor", "Action", "Outcome", "Patient", "Entity", "IP", "Detail"]}
          className={styles.table}
        >
          {items.map((e) => (
            <tr key={e.id}>
              <td className={styles.time}>
                <time dateTime={e.at}>{formatDateTime(e.at, e.timeZone, { seconds: true })}</time>
              </td>
              <td>
                {e.actorName ?? e.actorEmail ?? <span className="muted">system</span>}
                {e.actorName && e.actorEmail ? <div className="muted">{e.actorEmail}</div> : null}
                {e.actorRole ? (
                  <div className="muted">{ROLE_NAMES[e.actorRole] ?? e.actorRole}</div>
                ) : null}
              </td>
              <td className={styles.action}>
                {actionParts(e.action).map((part, i) => (
                  <Fragment key={i}>
                    {i > 0 ? <wbr /> : null}
                    <span className={styles.word}>
                      {i > 0 ? "." : ""}
                      {part}
                    </span>
                  </Fragment>
                ))}
              </td>
              <td>
                <OutcomeBadge outcome={e.outcome} />
              </td>
              <td>
                {e.patientName ? (
                  <>
                    {e.patientName}
                    <div className="muted">MRN {e.patientMrn}</div>
                  </>
                ) : (
                  <span className={styles.mono}>{e.patientId ?? ""}</span>
                )}
              </td>
              <td className={styles.mono}>{entityText(e.entityType, e.entityId)}</td>
              <td className={styles.mono}>{e.ip ?? ""}</td>
              <td className={styles.detail}>
                <DetailList detail={e.detail} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <div className={styles.more}>
        <span className="muted" aria-live="polite">
          {items.length} event{items.length === 1 ? "" : "s"} shown
          {nextCursor ? "; more are older" : ""}
        </span>
        {nextCursor ? <LoadMoreButton {...list} /> : null}
      </div>
      {list.moreError ? (
        <p className="alert alert-error" role="alert">
          {list.moreError}
        </p>
      ) : null}
    </>
  );
}
