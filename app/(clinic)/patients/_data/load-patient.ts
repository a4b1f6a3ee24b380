import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/api/errors";
import type { Ctx } from "@/lib/server/context";
import {
  getPatientDetail,
  listObservations,
  type ObservationItem,
  type PatientDetail,
} from "@/lib/server/patients";

/**
 * A patient of the actor's sites through the audited use-cases, with its observations when asked
 * ("all" includes retracted ones). A patient of another site (or no such patient) is a 404 page.
 */
export async function loadPatient(
  ctx: Ctx,
  patientId: string,
  observations: "all" | "current" | "none",
): Promise<{ detail: PatientDetail; observations: ObservationItem[] }> {
  try {
    const detail = await getPatientDetail(ctx, patientId);
    const list =
      observations === "none"
        ? { items: [] }
        : await listObservations(ctx, patientId, { includeRetracted: observations === "all" });
    return { detail, observations: list.items };
  } catch (error) {
    if (error instanceof AppError && error.kind === "not-found") notFound();
    throw error;
  }
}
