import type { Metadata } from "next";
import { PrintPlan } from "@/components/patient/print-plan";
import { loadPatient } from "@/app/(clinic)/patients/_data/load-patient";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";

export const metadata: Metadata = { title: "Care plan (print)" };

export default async function PrintPage({ params }: { params: Promise<{ patientId: string }> }) {
  const ctx = await requirePage("patients.read");
  const { patientId } = await params;
  const { detail } = await loadPatient(ctx, patientId, "none");
  return (
    <PrintPlan
      patient={detail.patient}
      assessment={detail.latestAssessment}
      openFlags={detail.openFlags}
      today={todayIso()}
    />
  );
}
