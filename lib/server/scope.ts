import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { patients, type Patient } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import type { Actor } from "./context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A syntactically valid id: anything else is simply "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The patient if it belongs to one of the actor's sites; otherwise "not found" (no existence leak). */
export async function getPatientInScope(
  db: Db | Tx,
  actor: Actor,
  patientId: string,
  lock = false,
): Promise<Patient> {
  if (!isUuid(patientId) || actor.siteIds.length === 0) throw notFound("Patient");
  const query = db
    .select()
    .from(patients)
    .where(and(eq(patients.id, patientId), inArray(patients.siteId, [...actor.siteIds])))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("Patient");
  return row;
}
