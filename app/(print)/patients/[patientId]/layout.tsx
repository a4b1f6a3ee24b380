import type { ReactNode } from "react";
import { requirePatientPage } from "@/app/(clinic)/patients/_data/require-patient";

export default async function PrintPatientLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ patientId: string }>;
}) {
  await requirePatientPage("patients.read", (await params).patientId);
  return children;
}
