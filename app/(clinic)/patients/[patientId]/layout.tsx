import type { ReactNode } from "react";
import { requirePatientPage } from "../_data/require-patient";

export default async function PatientLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ patientId: string }>;
}) {
  await requirePatientPage("patients.read", (await params).patientId);
  return children;
}
