import type { SelfReportItem } from "@/lib/api/self-reports";
import { formatDate } from "@/lib/clinical/dates";
import type { ItemAnswer, VisitFormState } from "@/components/visit/visit-form.utils";

/**
 * The visit form's fields from a submitted self-report, marked "patient-reported, <date>", for
 * the clinician to check and correct: only the instruments the patient answered are filled.
 */
export function selfReportPrefill(report: SelfReportItem): {
  values: Partial<VisitFormState>;
  note: string;
} {
  const values: Partial<VisitFormState> = {};
  const { phq9, gds15, steadi } = report.answers;
  if (phq9) {
    values.depressionInstrument = "phq9";
    values.phq9 = Array.from({ length: 9 }, (_, i) => (phq9[i] ?? null) as ItemAnswer);
  }
  if (gds15) values.gds15 = Array.from({ length: 15 }, (_, i) => gds15[i] ?? null);
  if (steadi) {
    if (steadi.countPast12Months !== null) values.fallsCount = String(steadi.countPast12Months);
    values.fallsInjurious = steadi.injurious;
    values.fallsUnsteady = steadi.unsteady;
    values.fallsWorried = steadi.worriedAboutFalling;
  }
  const day = (report.submittedAt ?? report.createdAt).slice(0, 10);
  return {
    values,
    note: `Pre-filled from the patient's own answers: patient-reported, ${formatDate(day)}. Check and correct them before saving.`,
  };
}
