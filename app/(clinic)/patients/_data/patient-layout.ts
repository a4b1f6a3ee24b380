import "server-only";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePage } from "@/lib/auth/with-auth";
import { getPatientInScope } from "@/lib/server/scope";

/**
 * The layout of a patient's segment, in the clinic and in print: the permission to read patients
 * (else a redirect) and the patient in the actor's sites (else a 404). Layouts run before any
 * loading boundary below them, so these refusals are real HTTP 307/404 answers, not a page that
 * starts streaming and then changes its mind.
 */
export async function PatientLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ patientId: string }>;
}): Promise<ReactNode> {
  const { patientId } = await params;
  const ctx = await requirePage("patients.read");
  try {
    await getPatientInScope(ctx.db, ctx.actor, patientId);
  } catch {
    notFound();
  }
  return children;
}
