import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/api/errors";
import { RULESET_VERSION } from "@/lib/clinical/policy";
import type { Ctx } from "@/lib/server/context";
import {
  getPatientDetail,
  listObservations,
  type ObservationItem,
  type PatientDetail,
} from "@/lib/server/patients";
import { siteToday } from "@/lib/server/sites";
import { reassessIfOutdated } from "@/lib/server/reassess";

/**
 * A patient of the actor's sites through the audited use-cases, with its observations when asked
 * ("all" includes retracted ones). A patient of another site (or no such patient) is a 404 page.
 * With `refresh`, a latest assessment from an earlier day or another ruleset version is first
 * brought up to date (a new assessment; the old one is kept), so the page never shows yesterday's
 * flags or an old ruleset's advice as today's.
 */
export async function loadPatient(
  ctx: Ctx,
  patientId: string,
  observations: "all" | "current" | "none",
  options: { refresh?: boolean } = {},
): Promise<{ detail: PatientDetail; observations: ObservationItem[] }> {
  try {
    let detail = await getPatientDetail(ctx, patientId);
    const latest = detail.latestAssessment;
    if (options.refresh && latest !== null) {
      const today = await siteToday(ctx.db, detail.patient.siteId);
      const outdated = latest.asOf < today || latest.rulesetVersion !== RULESET_VERSION;
      if (outdated && (await reassessIfOutdated(ctx.db, patientId, today))) {
        detail = await getPatientDetail(ctx, patientId);
      }
    }
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
