import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ChartFigure } from "@/components/charts/chart-figure";
import { tScoreTrend } from "@/components/charts/bone-trend.utils";
import { gds15Trend, phq9Trend } from "@/components/charts/mood-trend.utils";
import { vitaminDTrend } from "@/components/charts/vitamin-d-trend.utils";
import { CriticalBanner } from "@/components/clinical/critical-banner";
import { DataStatusStrip } from "@/components/clinical/data-status-strip";
import { FlagCard } from "@/components/clinical/flag-card";
import { TERM_HINT } from "@/components/clinical/labels";
import { SuggestionList } from "@/components/clinical/suggestion-list";
import { TermTip } from "@/components/clinical/term-tip";
import { FlagActions } from "@/components/patient/flag-actions";
import { EhrImports } from "@/components/patient/ehr-imports";
import { PatientHeader } from "@/components/patient/patient-header";
import { SelfReportPanel } from "@/components/self-report/self-report-panel";
import { VisitHistory } from "@/components/patient/visit-history";
import { ContactDetailsList, ContactLog } from "@/components/worklist/contact-log";
import styles from "@/components/patient/patient.module.css";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { formatDate } from "@/lib/clinical/dates";
import { listSelfReports } from "@/lib/server/self-reports";
import { siteTimeZone, siteToday } from "@/lib/server/sites";
import { listEhrImports } from "@/lib/server/smart";
import { loadPatient } from "../../_data/load-patient";

export const metadata: Metadata = { title: "Patient" };

export default async function PatientPage({ params }: { params: Promise<{ patientId: string }> }) {
  const ctx = await requirePage("patients.read");
  const { patientId } = await params;
  const { detail, observations } = await loadPatient(ctx, patientId, "all", { refresh: true });
  const { patient, latestAssessment, openFlags } = detail;
  const today = await siteToday(ctx.db, patient.siteId);
  const timeZone = await siteTimeZone(ctx.db, patient.siteId);
  // After loadPatient: the patient is in the actor's scope and the read is audited.
  const ehrImports = await listEhrImports(ctx.db, patient.id);
  const critical = openFlags.filter((f) => f.severity === "critical");
  const selfReports = await listSelfReports(ctx, patient.id);
  // An item 9 answer the patient gave on a self-report is named as its source.
  const riskReport = selfReports.items.find((r) => r.riskRaisedAt !== null);
  const usable = observations.filter((o) => !o.enteredInError);
  // Charts in a row: mood (PHQ-9 above GDS-15), bone, vitamin D.
  const chartColumns = [
    [
      { model: phq9Trend(usable), tip: <TermTip term="PHQ-9">{TERM_HINT.phq9}</TermTip> },
      { model: gds15Trend(usable), tip: <TermTip term="GDS-15">{TERM_HINT.gds15}</TermTip> },
    ],
    [{ model: tScoreTrend(usable), tip: <TermTip term="a T-score">{TERM_HINT.tScore}</TermTip> }],
    [
      {
        model: vitaminDTrend(usable),
        tip: <TermTip term="25(OH)D">{TERM_HINT.vitaminD}</TermTip>,
      },
    ],
  ];
  const canVisit = can(ctx.actor.role, "visits.create");
  const flagAbilities = {
    acknowledge: can(ctx.actor.role, "flags.acknowledge"),
    manage: can(ctx.actor.role, "flags.manage"),
  };
  return (
    <>
      {critical.map((flag) => (
        <div key={flag.id} className={styles.banner}>
          <CriticalBanner title={flag.detail?.title ?? "Critical flag open"} sticky>
            <p>
              {flag.detail?.rationale ?? flag.code}.{" "}
              {flag.code === "safety.suicide-risk"
                ? "Assess suicide risk today and agree a safety plan; give the crisis line (US: call or text 988)."
                : "Act today."}
            </p>
            {flag.code === "safety.suicide-risk" && riskReport?.riskRaisedAt ? (
              <p data-testid="risk-source">
                Source: patient-reported (self-report by{" "}
                {riskReport.mode === "tablet" ? "clinic tablet" : "one-time link"},{" "}
                {formatDate(riskReport.riskRaisedAt.slice(0, 10))}).
              </p>
            ) : null}
          </CriticalBanner>
        </div>
      ))}
      <PatientHeader
        patient={patient}
        priority={latestAssessment?.priority ?? "none"}
        today={today}
        actions={
          <>
            {canVisit ? (
              <Link className="btn btn-primary" href={`/patients/${patient.id}/visits/new`}>
                New visit
              </Link>
            ) : null}
            <Link className="btn" href={`/patients/${patient.id}/print`}>
              Print plan
            </Link>
          </>
        }
      />
      <section aria-label="Contact" className={styles.section}>
        <ContactDetailsList details={patient} />
        <ContactLog
          patientId={patient.id}
          today={today}
          timeZone={timeZone}
          canLog
          headingLevel={2}
        />
      </section>
      <PageSection headingId="self-report-heading" title="Patient self-report">
        <SelfReportPanel
          patientId={patient.id}
          initial={selfReports}
          canStart={can(ctx.actor.role, "selfreports.create")}
          canAccept={canVisit}
        />
      </PageSection>
      <PageSection headingId="data-status-heading" title="Data status">
        {latestAssessment ? (
          <>
            <DataStatusStrip dataStatus={latestAssessment.dataStatus} today={today} />
            <p className="muted" style={{ fontSize: "0.9rem", margin: "0.4rem 0 0" }}>
              Assessed as of {formatDate(latestAssessment.asOf)} · ruleset{" "}
              {latestAssessment.rulesetVersion}. Missing or stale data is not a normal result.
            </p>
          </>
        ) : (
          <p className="muted">
            No assessment yet: nothing is on record. Record a visit to assess mood and bone health.
          </p>
        )}
      </PageSection>
      <EhrImports imports={ehrImports} timeZone={timeZone} />
      <div className={`${styles.twoCol} ${styles.section}`}>
        <section aria-labelledby="flags-heading">
          <h2 id="flags-heading">Open flags ({openFlags.length})</h2>
          {openFlags.length === 0 ? (
            <p className="muted">
              No open flags. This is not an all-clear where data is missing or stale (see Data
              status).
            </p>
          ) : (
            openFlags.map((flag) => (
              <FlagCard
                key={flag.id}
                code={flag.code}
                severity={flag.severity}
                detail={flag.detail}
                workflow={flag}
              >
                <FlagActions flag={flag} siteId={patient.siteId} can={flagAbilities} />
              </FlagCard>
            ))
          )}
        </section>
        <section aria-labelledby="suggestions-heading">
          <h2 id="suggestions-heading">Suggestions</h2>
          <div className="card">
            {latestAssessment ? (
              <SuggestionList suggestions={latestAssessment.suggestions} />
            ) : (
              <p className="muted">Suggestions appear after the first visit.</p>
            )}
          </div>
        </section>
      </div>
      <PageSection headingId="trends-heading" title="Trends">
        <div className={styles.charts}>
          {chartColumns.map((column) => (
            <div key={column[0]?.model.id} className={styles.chartColumn}>
              {column.map(({ model, tip }) => (
                <ChartFigure key={model.id} model={model} tip={tip} />
              ))}
            </div>
          ))}
        </div>
      </PageSection>
      <PageSection headingId="history-heading" title="Visit history">
        <VisitHistory
          patientId={patient.id}
          observations={observations}
          canRetract={can(ctx.actor.role, "observations.retract")}
          timeZone={timeZone}
        />
      </PageSection>
    </>
  );
}

/** A section of the page, named by its visible heading. */
function PageSection({
  headingId,
  title,
  children,
}: {
  headingId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={headingId} className={styles.section}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
