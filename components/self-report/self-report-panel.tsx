"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  DEFAULT_EXPIRES_IN_DAYS,
  INSTRUMENT_LABEL,
  MAX_EXPIRES_IN_DAYS,
  SELF_REPORT_INSTRUMENTS,
  type SelfReportInstrument,
} from "@/lib/api/self-report-values";
import type { SelfReportItem, SelfReportList } from "@/lib/api/self-reports";
import { errorMessage } from "@/lib/client/fetch-json";
import {
  useAcceptSelfReport,
  useSelfReports,
  useStartSelfReport,
} from "@/lib/client/use-self-reports";
import { formatDate } from "@/lib/clinical/dates";
import { gds15Total, phq9Total } from "@/lib/clinical/instruments";

/** What the patient answered, in one line per instrument (totals only when every item is answered). */
export function answerSummary(item: SelfReportItem): string[] {
  const lines: string[] = [];
  const { phq9, gds15, steadi } = item.answers;
  if (phq9) {
    const total = phq9Total(phq9);
    const answered = phq9.filter((v) => v !== null).length;
    lines.push(
      `PHQ-9 ${total === null ? `${answered} of 9 answered` : `total ${total}`}, item 9 = ${phq9[8] ?? "not answered"}`,
    );
  }
  if (gds15) {
    const total = gds15Total(gds15);
    const answered = gds15.filter((v) => v !== null).length;
    lines.push(`GDS-15 ${total === null ? `${answered} of 15 answered` : `total ${total}`}`);
  }
  if (steadi) {
    const yesNo = (v: boolean | null) => (v === null ? "not answered" : v ? "yes" : "no");
    lines.push(
      `Falls in 12 months: ${steadi.countPast12Months ?? "not answered"}; unsteady: ${yesNo(steadi.unsteady)}; worried: ${yesNo(steadi.worriedAboutFalling)}`,
    );
  }
  return lines;
}

/**
 * The patient page's self-reports: start one (hand this tablet over, or a one-time link to send),
 * and the submitted answers waiting for review, each accepted into a visit in one action or
 * opened in the visit form, pre-filled, to correct.
 */
export function SelfReportPanel({
  patientId,
  initial,
  canStart,
  canAccept,
}: {
  patientId: string;
  initial: SelfReportList;
  canStart: boolean;
  canAccept: boolean;
}) {
  const router = useRouter();
  const list = useSelfReports(patientId, initial);
  const start = useStartSelfReport(patientId);
  const accept = useAcceptSelfReport(patientId);
  const [chosen, setChosen] = useState<SelfReportInstrument[]>([...SELF_REPORT_INSTRUMENTS]);
  const [days, setDays] = useState(String(DEFAULT_EXPIRES_IN_DAYS));
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const items = list.data?.items ?? [];
  const submitted = items.filter((i) => i.status === "submitted");
  const pending = items.filter((i) => i.status === "pending");

  const toggle = (instrument: SelfReportInstrument, on: boolean) =>
    setChosen((current) =>
      SELF_REPORT_INSTRUMENTS.filter((i) => (i === instrument ? on : current.includes(i))),
    );

  const handOver = () =>
    start.mutate(
      { instruments: chosen, mode: "tablet" },
      // The tablet opens the session itself: same origin, whatever PUBLIC_URL says.
      { onSuccess: (created) => window.location.assign(new URL(created.url).pathname) },
    );
  const makeLink = () =>
    start.mutate(
      { instruments: chosen, mode: "link", expiresInDays: Number(days) },
      { onSuccess: (created) => setLink({ url: created.url, expiresAt: created.expiresAt }) },
    );

  return (
    <div className="card">
      {submitted.length > 0 ? (
        <ul aria-label="Self-reports waiting for review" style={{ paddingLeft: "1.1rem" }}>
          {submitted.map((item) => (
            <li key={item.id} data-testid="pending-self-report">
              <strong>
                Pending self-report · patient-reported,{" "}
                {item.submittedAt ? formatDate(item.submittedAt.slice(0, 10)) : ""}
              </strong>
              {item.riskRaisedAt ? (
                <span> · item 9 answered above 0 (suicide-risk flag raised at once)</span>
              ) : null}
              <ul>
                {answerSummary(item).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {canAccept ? (
                <p style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={accept.isPending}
                    onClick={() => accept.mutate(item.id, { onSuccess: () => router.refresh() })}
                  >
                    Accept into a visit
                  </button>
                  <Link
                    className="btn"
                    href={`/patients/${patientId}/visits/new?selfReport=${item.id}`}
                  >
                    Review in the visit form
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No self-report waiting for review.</p>
      )}
      {accept.isError ? <p role="alert">{errorMessage(accept.error)}</p> : null}
      {pending.length > 0 ? (
        <p className="muted">
          {pending.length} waiting for the patient&apos;s answers (the latest expires{" "}
          {formatDate(pending[0]!.expiresAt.slice(0, 10))}).
        </p>
      ) : null}
      {canStart ? (
        <fieldset style={{ border: 0, padding: 0, margin: "0.75rem 0 0" }}>
          <legend>
            <strong>Ask the patient</strong>
          </legend>
          {SELF_REPORT_INSTRUMENTS.map((instrument) => (
            <label key={instrument} style={{ marginRight: "1rem" }}>
              <input
                type="checkbox"
                checked={chosen.includes(instrument)}
                onChange={(e) => toggle(instrument, e.target.checked)}
              />{" "}
              {INSTRUMENT_LABEL[instrument]}
            </label>
          ))}
          <p style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "end" }}>
            <button
              type="button"
              className="btn btn-primary"
              disabled={chosen.length === 0 || start.isPending}
              onClick={handOver}
            >
              Hand this tablet to the patient
            </button>
            <label>
              Link valid for (days){" "}
              <input
                className="input"
                style={{ width: "5rem" }}
                type="number"
                min={1}
                max={MAX_EXPIRES_IN_DAYS}
                value={days}
                onChange={(e) => setDays(e.target.value)}
              />
            </label>
            <button
              type="button"
              className="btn"
              disabled={chosen.length === 0 || start.isPending}
              onClick={makeLink}
            >
              Create a one-time link
            </button>
          </p>
          {start.isError ? <p role="alert">{errorMessage(start.error)}</p> : null}
          {link ? (
            <p role="status">
              One-time link (shown once; send it to the patient):{" "}
              <code data-testid="self-report-link">{link.url}</code> · expires{" "}
              {formatDate(link.expiresAt.slice(0, 10))}. The patient confirms their date of birth
              before the questions.
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </div>
  );
}
