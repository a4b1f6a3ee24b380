import type { Metadata } from "next";
import { selfReportPrefill } from "@/components/self-report/prefill";
import { VisitEntry } from "@/components/visit/visit-entry";
import { requirePage } from "@/lib/auth/with-auth";
import { listSelfReports } from "@/lib/server/self-reports";
import { siteTimeZone } from "@/lib/server/sites";
import { todayInZone } from "@/lib/time-zone";
import { loadPatient } from "../../../_data/load-patient";

export const metadata: Metadata = { title: "New visit" };

export default async function NewVisitPage({
  params,
  searchParams,
}: {
  params: Promise<{ patientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requirePage("visits.create");
  const { patientId } = await params;
  const { detail, observations } = await loadPatient(ctx, patientId, "current");
  const { patient } = detail;
  const timeZone = await siteTimeZone(ctx.db, patient.siteId);
  // The patient's submitted answers pre-fill the form: the one asked for, else the latest.
  const wanted = (await searchParams).selfReport;
  const report = (await listSelfReports(ctx, patient.id)).items.find(
    (r) => r.status === "submitted" && (typeof wanted !== "string" || r.id === wanted),
  );
  return (
    <VisitEntry
      patient={{
        id: patient.id,
        givenName: patient.givenName,
        familyName: patient.familyName,
        mrn: patient.mrn,
        siteCode: patient.siteCode,
        birthDate: patient.birthDate,
        sex: patient.sex,
        postmenopausal: patient.postmenopausal,
      }}
      initialObservations={observations}
      serverToday={todayInZone(timeZone)}
      timeZone={timeZone}
      prefill={report ? selfReportPrefill(report) : undefined}
    />
  );
}
