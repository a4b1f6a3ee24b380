import Link from "next/link";
import { SEVERITY_RANK, type FlagCode } from "@/lib/clinical/constants";
import { ageOn, formatDate } from "@/lib/clinical/dates";
import { getEvidence } from "@/lib/clinical/evidence";
import { formatNumber } from "@/lib/clinical/format";
import { gds15BandLabel, phq9BandLabel } from "@/lib/clinical/instruments";
import type { Assessment } from "@/lib/clinical/types";
import { KIND_LABEL, CATEGORY_LABEL } from "@/components/clinical/labels";
import { SeverityBadge } from "@/components/ui/badge";
import { FINDING_TEXT, NEXT_STEP_TEXT } from "./plain-language";
import { PrintButton } from "./print-button";
import type { OpenFlagView, PatientHeaderView } from "./types";
import styles from "./print.module.css";

/** "a, b and c". */
export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

function isFlagCode(code: string): code is FlagCode {
  return code in FINDING_TEXT;
}

/** Plain words for a kind of data we do not have yet ("a mood questionnaire"). */
const MISSING_TEXT: Partial<Record<Assessment["dataStatus"][number]["kind"], string>> = {
  phq9: "a recent mood questionnaire",
  bmd: "a bone density scan (DXA)",
  vitaminD: "a recent vitamin D blood test",
  falls: "answers to the falls questions",
};

/**
 * The printed plan: first a large-print, plain-language page for the patient (what we found, what
 * to do next), then a clinician summary (flags with rationale, scores, sources).
 */
export function PrintPlan({
  patient,
  assessment,
  openFlags,
  today,
}: {
  patient: PatientHeaderView;
  assessment: Assessment | null;
  openFlags: OpenFlagView[];
  today: string;
}) {
  const flags = [...openFlags].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  const suicide = flags.some((f) => f.code === "safety.suicide-risk");
  const findings = flags
    .filter((f) => f.severity !== "info" || f.code === "safety.suicide-item-unknown")
    .map((f) => (isFlagCode(f.code) ? FINDING_TEXT[f.code] : (f.detail?.title ?? f.code)));
  const steps = (assessment?.suggestions ?? [])
    .filter((s) => s.category !== "investigational")
    .map((s) => ({ id: s.id, text: NEXT_STEP_TEXT[s.id] ?? s.title }));
  const missing = (assessment?.dataStatus ?? [])
    .filter((d) => d.status === "missing" && MISSING_TEXT[d.kind])
    .map((d) => MISSING_TEXT[d.kind] as string);
  const name = `${patient.givenName} ${patient.familyName}`;
  const scores = assessment?.scores;
  const sources = [...new Set(flags.flatMap((f) => f.detail?.sources ?? []))];

  return (
    <>
      <div className={`${styles.toolbar} no-print`}>
        <Link href={`/patients/${patient.id}`}>← Back to the patient page</Link>
        <PrintButton label="Print" />
      </div>

      <article className={styles.patientPlan} aria-labelledby="plan-title">
        <header className={styles.planHeader}>
          <h1 id="plan-title">Your care plan</h1>
          <p>
            <strong>{name}</strong> · born {formatDate(patient.birthDate)} · {formatDate(today)}
          </p>
        </header>

        {suicide ? (
          <section className={styles.safety} aria-label="Your safety">
            <h2>Your safety comes first</h2>
            <p>
              If you have thoughts of harming yourself or that you would be better off dead, talk to
              someone now: call or text <strong>988</strong> (Suicide &amp; Crisis Lifeline, US) or
              your local crisis line, or go to the nearest emergency department. You are not alone.
            </p>
          </section>
        ) : null}

        <section aria-labelledby="found-title">
          <h2 id="found-title">What we found</h2>
          {findings.length === 0 ? (
            <p>Nothing of concern was found in the results we have.</p>
          ) : (
            <ul className={styles.bigList}>
              {findings.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          )}
          {missing.length > 0 ? (
            <p>
              We do not have {joinWithAnd(missing)} yet, so we cannot say anything about{" "}
              {missing.length === 1 ? "it" : "them"}.
            </p>
          ) : null}
        </section>

        <section aria-labelledby="next-title">
          <h2 id="next-title">What to do next</h2>
          {steps.length === 0 ? (
            <p>Keep up your usual care and come back for your next check-up.</p>
          ) : (
            <ol className={styles.bigList}>
              {steps.map((s) => (
                <li key={s.id}>{s.text}</li>
              ))}
            </ol>
          )}
        </section>

        <section aria-labelledby="questions-title">
          <h2 id="questions-title">Questions?</h2>
          <p>
            Ask us at your next visit, or call {patient.siteName || "your clinic"}. Bring this page
            and a list of all your medicines.
          </p>
        </section>
      </article>

      <article className={styles.clinician} aria-labelledby="clinician-title">
        <h2 id="clinician-title">Clinician summary</h2>
        <p className={styles.small}>
          {patient.familyName}, {patient.givenName} · {ageOn(patient.birthDate, today)} years · MRN{" "}
          {patient.mrn} · {patient.siteCode}
          {assessment
            ? ` · assessed as of ${formatDate(assessment.asOf)}, ruleset ${assessment.rulesetVersion}, priority ${assessment.priority}`
            : " · no assessment yet"}
        </p>
        {scores ? (
          <table className={styles.table}>
            <caption>Scores</caption>
            <tbody>
              <tr>
                <th scope="row">PHQ-9</th>
                <td>
                  {scores.phq9
                    ? `${scores.phq9.total ?? "incomplete"}${scores.phq9.band ? ` (${phq9BandLabel(scores.phq9.band)})` : ""}, item 9: ${scores.phq9.item9 ?? "not recorded"} · ${formatDate(scores.phq9.effective)}`
                    : `missing (${KIND_LABEL.phq9})`}
                </td>
              </tr>
              <tr>
                <th scope="row">GDS-15</th>
                <td>
                  {scores.gds15
                    ? `${scores.gds15.total ?? "incomplete"}${scores.gds15.band ? ` (${gds15BandLabel(scores.gds15.band)})` : ""} · ${formatDate(scores.gds15.effective)}`
                    : "missing"}
                </td>
              </tr>
              <tr>
                <th scope="row">Lowest T-score</th>
                <td>
                  {scores.lowestTScore
                    ? `${formatNumber(scores.lowestTScore.value, 1)} (${scores.lowestTScore.site.replace("_", " ")}) · ${formatDate(scores.lowestTScore.effective)}`
                    : "missing"}
                </td>
              </tr>
              <tr>
                <th scope="row">FRAX</th>
                <td>
                  {scores.frax
                    ? `major ${formatNumber(scores.frax.majorOsteoporoticPct, 1)} %, hip ${formatNumber(scores.frax.hipPct, 1)} % · ${formatDate(scores.frax.effective)}`
                    : "missing"}
                </td>
              </tr>
              <tr>
                <th scope="row">25(OH)D</th>
                <td>
                  {scores.vitaminD
                    ? `${formatNumber(scores.vitaminD.ngPerMl, 1)} ng/mL (${formatNumber(scores.vitaminD.nmolPerL, 1)} nmol/L) · ${formatDate(scores.vitaminD.effective)}`
                    : "missing"}
                </td>
              </tr>
              <tr>
                <th scope="row">Falls (12 months)</th>
                <td>
                  {scores.falls
                    ? `${scores.falls.countPast12Months}${scores.falls.atRisk ? ", at risk (STEADI)" : ""} · ${formatDate(scores.falls.effective)}`
                    : "missing"}
                </td>
              </tr>
            </tbody>
          </table>
        ) : null}
        <h3>Open flags</h3>
        {flags.length === 0 ? (
          <p>No open flags.</p>
        ) : (
          <ul className={styles.flagList}>
            {flags.map((f) => (
              <li key={f.id}>
                <SeverityBadge severity={f.severity} /> <strong>{f.detail?.title ?? f.code}</strong>
                {f.detail ? (
                  <>
                    <div>{f.detail.rationale}</div>
                    <div className={styles.small}>
                      Threshold: {f.detail.thresholds.join("; ")} · Sources:{" "}
                      {f.detail.sources.map((id) => getEvidence(id)?.label ?? id).join(", ")}
                    </div>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {assessment && assessment.suggestions.length > 0 ? (
          <>
            <h3>Suggestions</h3>
            <ul className={styles.flagList}>
              {assessment.suggestions
                .filter((s) => s.category !== "investigational")
                .map((s) => (
                  <li key={s.id}>
                    {CATEGORY_LABEL[s.category]}: {s.title}
                  </li>
                ))}
            </ul>
          </>
        ) : null}
        {sources.length > 0 ? (
          <p className={styles.small}>
            Sources:{" "}
            {sources
              .map((id) => {
                const source = getEvidence(id);
                return source ? `${source.label}: ${source.publisher}` : id;
              })
              .join(" · ")}
          </p>
        ) : null}
        <p className={styles.small}>
          Decision support, not a diagnosis. Thresholds and sources: the Evidence page of Bone–Brain
          Care.
        </p>
      </article>
    </>
  );
}
