import type { Metadata } from "next";
import { PatientSearch } from "@/components/patient/patient-search";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";

export const metadata: Metadata = { title: "Patients" };

export default async function PatientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage("patients.read");
  const raw = await searchParams;
  const q = typeof raw.q === "string" ? raw.q.slice(0, 100) : "";
  return (
    <>
      <div className="page-header">
        <h1>Patients</h1>
      </div>
      <PatientSearch initialQuery={q} today={todayIso()} />
    </>
  );
}
