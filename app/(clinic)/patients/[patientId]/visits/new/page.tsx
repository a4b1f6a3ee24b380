import type { Metadata } from "next";
import { VisitEntry } from "@/components/visit/visit-entry";
import { requirePage } from "@/lib/auth/with-auth";
import { siteTimeZone } from "@/lib/server/sites";
import { todayInZone } from "@/lib/time-zone";
import { loadPatient } from "../../../_data/load-patient";

export const metadata: Metadata = { title: "New visit" };

export default async function NewVisitPage({ params }: { params: Promise<{ patientId: string }> }) {
  const ctx = await requirePage("visits.create");
  const { patientId } = await params;
  const { detail, observations } = await loadPatient(ctx, patientId, "current");
  const { patient } = detail;
  const timeZone = await siteTimeZone(ctx.db, patient.siteId);
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
    />
  );
}
