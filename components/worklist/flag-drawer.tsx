"use client";

import Link from "next/link";
import { useState, type Ref } from "react";
import { FlagCard } from "@/components/clinical/flag-card";
import { PriorityBadge, SeverityBadge } from "@/components/ui/badge";
import type { FlagState, WorklistFlag, WorklistItem } from "@/lib/api/worklist";
import { RESOLUTION_REASON_LABEL, type ResolutionReason } from "@/lib/api/worklist-values";
import { errorMessage } from "@/lib/client/fetch-json";
import { useFlag, useFlagBatch } from "@/lib/client/use-worklist";
import { formatDate } from "@/lib/clinical/dates";
import { ContactDetailsList, ContactLog } from "./contact-log";
import { FlagActionBar, type BarFlag } from "./flag-action-bar";
import { Timeline } from "./flag-timeline";
import { contactOverdue, contactText, dueText } from "./worklist-filters.utils";
import styles from "./worklist.module.css";

const STATUS_TEXT: Record<BarFlag["status"], string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

/** A flag as the drawer shows it: the list's fields, updated by the answers to our own actions. */
type DrawerFlag = Omit<WorklistFlag, "status"> & BarFlag & { resolutionCode: string | null };

/** The list's flags with the newer state our actions returned (until the list catches up). */
function withSaved(flags: readonly WorklistFlag[], saved: Record<string, FlagState>): DrawerFlag[] {
  return flags.map((f) => {
    const s = saved[f.id];
    if (!s || s.version <= f.version) return { ...f, resolutionCode: null };
    return {
      ...f,
      status: s.status,
      version: s.version,
      assigneeName: s.assigneeName,
      snoozedUntil: s.snoozedUntil,
      resolutionCode: s.resolutionCode,
    };
  });
}

/**
 * The worklist's drawer for one patient: a summary (contact, priority, the flags as a list to
 * choose from), one action bar acting on the chosen flags, each flag's details and history on
 * demand, and the contact log.
 */
export function FlagDrawer({
  item,
  canManage,
  today,
  onClose,
  headingRef,
}: {
  item: WorklistItem;
  canManage: boolean;
  today: string;
  onClose: () => void;
  headingRef: Ref<HTMLHeadingElement>;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [saved, setSaved] = useState<Record<string, FlagState>>({});
  const flags = withSaved(item.flags, saved);
  // A flag resolved from here stays in the list (to reopen) but leaves the selection.
  const selected = flags.filter((f) => chosen.has(f.id) && f.status !== "resolved");
  const unresolved = flags.filter((f) => f.status !== "resolved");
  const allChosen = unresolved.length > 0 && unresolved.every((f) => chosen.has(f.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const p = item.patient;

  return (
    <aside className={styles.drawer} aria-labelledby="drawer-title">
      <div className={styles.drawerHead}>
        <div>
          <h2 id="drawer-title" tabIndex={-1} ref={headingRef}>
            {p.familyName}, {p.givenName}
          </h2>
          <p className={styles.small} style={{ margin: 0 }}>
            {p.age} y · {p.siteCode} · MRN {p.mrn} ·{" "}
            <Link href={`/patients/${item.patientId}`}>Open patient page</Link>
          </p>
        </div>
        <button
          type="button"
          className="btn btn-small"
          onClick={onClose}
          aria-label="Close the patient's flags"
        >
          Close
        </button>
      </div>

      <section aria-label="Summary" className={styles.summary}>
        <dl className={styles.facts}>
          <dt>Priority</dt>
          <dd>
            <PriorityBadge priority={item.priority} />
          </dd>
          <dt>Contact</dt>
          <dd className={contactOverdue(item, today) ? styles.overdue : undefined}>
            {contactText(item, today, formatDate, item.patient.timeZone)}
          </dd>
        </dl>
        <ContactDetailsList details={p} />
      </section>

      <section aria-labelledby="drawer-flags" className={styles.summary}>
        <div className={styles.flagsHead}>
          <h3 id="drawer-flags">
            Flags ({unresolved.length} open{unresolved.length === flags.length ? "" : ", "}
            {unresolved.length === flags.length ? "" : `${flags.length - unresolved.length} done`})
          </h3>
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={allChosen}
              disabled={unresolved.length === 0}
              onChange={(e) =>
                setChosen(e.target.checked ? new Set(unresolved.map((f) => f.id)) : new Set())
              }
            />
            Choose all
          </label>
        </div>
        <ul className={styles.drawerFlags}>
          {flags.map((f) => (
            <DrawerFlagItem
              key={f.id}
              flag={f}
              chosen={chosen.has(f.id)}
              onToggle={(on) => toggle(f.id, on)}
              today={today}
              patientId={item.patientId}
              timeZone={item.patient.timeZone}
              canManage={canManage}
              onSaved={(s) => setSaved((prev) => ({ ...prev, [s.id]: s }))}
            />
          ))}
        </ul>
        <FlagActionBar
          patientId={item.patientId}
          siteId={p.siteId}
          selected={selected}
          canManage={canManage}
          today={today}
          onSaved={(states) =>
            setSaved((prev) => ({ ...prev, ...Object.fromEntries(states.map((s) => [s.id, s])) }))
          }
        />
      </section>

      <ContactLog
        patientId={item.patientId}
        today={today}
        timeZone={item.patient.timeZone}
        canLog
      />
    </aside>
  );
}

/** One flag of the list: a checkbox named by the flag, its state, and its details on demand. */
function DrawerFlagItem({
  flag,
  chosen,
  onToggle,
  today,
  patientId,
  timeZone,
  canManage,
  onSaved,
}: {
  flag: DrawerFlag;
  chosen: boolean;
  onToggle: (on: boolean) => void;
  today: string;
  patientId: string;
  timeZone: string;
  canManage: boolean;
  onSaved: (state: FlagState) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const resolved = flag.status === "resolved";
  const id = `pick-${flag.id}`;
  return (
    <li data-flag-id={flag.id} className={chosen ? styles.flagChosen : undefined}>
      <div className={styles.flagLine}>
        <input
          type="checkbox"
          id={id}
          checked={chosen && !resolved}
          disabled={resolved}
          onChange={(e) => onToggle(e.target.checked)}
        />
        <label htmlFor={id} title={`Rule ${flag.code}`}>
          <SeverityBadge severity={flag.severity} /> <strong>{flag.title}</strong>
        </label>
      </div>
      <p className={styles.flagState}>
        {STATUS_TEXT[flag.status]}
        {resolved && flag.resolutionCode
          ? ` (${RESOLUTION_REASON_LABEL[flag.resolutionCode as ResolutionReason] ?? flag.resolutionCode})`
          : ""}
        {flag.status === "snoozed" && flag.snoozedUntil
          ? ` until ${formatDate(flag.snoozedUntil)}`
          : ""}
        {resolved ? "" : ` · ${dueText(flag.dueOn, flag.overdueDays, today, formatDate)}`}
        {` · ${flag.assigneeName ? `assigned to ${flag.assigneeName}` : "unassigned"}`}
      </p>
      {resolved && canManage ? (
        <ReopenButton flag={flag} patientId={patientId} onSaved={onSaved} />
      ) : null}
      <details onToggle={(e) => setExpanded(e.currentTarget.open)}>
        <summary>Details and history</summary>
        {expanded ? <FlagDetails flag={flag} timeZone={timeZone} /> : null}
      </details>
    </li>
  );
}

/** What the rules said and the flag's history, read when first opened. */
function FlagDetails({ flag, timeZone }: { flag: DrawerFlag; timeZone: string }) {
  const query = useFlag(flag.id);
  if (query.isError)
    return <p className="error">The flag could not be loaded: {errorMessage(query.error)}</p>;
  const current = query.data;
  return (
    <>
      <FlagCard
        code={flag.code}
        title={flag.title}
        severity={flag.severity}
        detail={current?.detail ?? null}
        headingLevel={4}
      />
      <Timeline flag={current} timeZone={timeZone} />
    </>
  );
}

/** Puts a flag resolved from this drawer back on the list. */
function ReopenButton({
  flag,
  patientId,
  onSaved,
}: {
  flag: DrawerFlag;
  patientId: string;
  onSaved: (state: FlagState) => void;
}) {
  const batch = useFlagBatch(patientId);
  const failed = batch.data?.failed;
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={batch.isPending}
        onClick={() =>
          batch.mutate([{ flagId: flag.id, action: { action: "reopen", version: flag.version } }], {
            onSuccess: (r) => r.saved.forEach(onSaved),
          })
        }
      >
        Reopen
      </button>
      {failed ? <span className="error"> {errorMessage(failed.error)}</span> : null}
    </>
  );
}
