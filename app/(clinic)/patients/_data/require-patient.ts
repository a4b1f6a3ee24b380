import "server-only";
import { notFound } from "next/navigation";
import type { Permission } from "@/lib/auth/permissions";
import { auditRefusedLookup, requirePage } from "@/lib/auth/with-auth";
import { getPatientInScope } from "@/lib/server/scope";

/**
 * For a patient segment's layout: the permission (else a redirect) and the patient in the actor's
 * sites (else a 404). Layouts run before any loading boundary below them, so these refusals are
 * real HTTP 307/404 answers, not a page that starts streaming and then changes its mind.
 */
export async function requirePatientPage(permission: Permission, patientId: string): Promise<void> {
  const ctx = await requirePage(permission);
  try {
    await getPatientInScope(ctx.db, ctx.actor, patientId);
  } catch (error) {
    await auditRefusedLookup(ctx.actor, error, "page /patients/:id");
    notFound();
  }
}
