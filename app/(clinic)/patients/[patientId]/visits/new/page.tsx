import type { Metadata } from "next";
import { VisitEntry } from "@/components/visit/visit-entry";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";
import { loadPatient } from "../../../_data/load-patient";

export const metadata: Metadata = { title: "New visit" };

export default async function NewVisitPage({ params }: { params: Promise<{ patientId: string }> }) {
  const ctx = await requirePage("visits.create");
  const { patientId } = await params;
  const { detail, observations } = await loadPatient(ctx, patientId, "current");
  const { patient } = detail;
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
      serverToday={todayIso()}
    />
  );
}
