import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import type { Patient } from "@/db/schema";
import { AppError, type DeniedLookup } from "@/lib/api/errors";
import { recordAudit } from "./audit";
import type { Actor } from "./context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A syntactically valid id: anything else is simply "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const LABEL: Record<DeniedLookup["entityType"], string> = {
  patient: "Patient",
  flag: "Flag",
  observation: "Observation",
};

/**
 * The 404 for a record outside the actor's sites, or of none (no existence leak): the route
 * wrapper audits it as denied with the id that was asked for (see recordDeniedLookup).
 */
export function outOfScope(
  entityType: DeniedLookup["entityType"],
  entityId: string,
  patientId: string | null = null,
): AppError {
  return new AppError("not-found", `${LABEL[entityType]} was not found.`, {
    deniedLookup: {
      entityType,
      entityId: entityId.slice(0, 200),
      patientId: patientId !== null && isUuid(patientId) ? patientId : null,
    },
  });
}

/** Audits a lookup refused by scope (outcome denied, the requested id, where it was asked). */
export async function recordDeniedLookup(
  db: Db,
  actor: Actor,
  lookup: DeniedLookup,
  where: string,
): Promise<void> {
  await recordAudit(db, actor, {
    action: "scope.denied",
    outcome: "denied",
    patientId: lookup.patientId,
    entityType: lookup.entityType,
    entityId: lookup.entityId,
    detail: { where },
  });
}

type PatientRow = Omit<Patient, "createdAt" | "updatedAt"> & {
  createdAt: string | Date;
  updatedAt: string | Date;
};

/**
 * The patient if it belongs to one of the actor's sites; otherwise "not found" (no existence leak),
 * named after `via` when the patient was reached through one of its records (a flag, an
 * observation). Plain SQL (it runs on every patient request, visit writes included); the row is
 * mapped as drizzle maps `patients` (dates as strings, timestamps as Date).
 */
export async function getPatientInScope(
  db: Db | Tx,
  actor: Actor,
  patientId: string,
  lock = false,
  via?: { entityType: "flag" | "observation"; entityId: string },
): Promise<Patient> {
  const refused = () =>
    via
      ? outOfScope(via.entityType, via.entityId, patientId)
      : outOfScope("patient", patientId, patientId);
  if (!isUuid(patientId) || actor.siteIds.length === 0) throw refused();
  const sites = sql.join(
    actor.siteIds.map((siteId) => sql`${siteId}`),
    sql`, `,
  );
  const [row] = await queryRows<PatientRow>(
    db,
    sql`select id, site_id as "siteId", mrn, given_name as "givenName",
          family_name as "familyName", birth_date as "birthDate", sex, postmenopausal, fhir, phones,
          preferred_contact_time as "preferredContactTime", language,
          created_at as "createdAt", created_by as "createdBy", updated_at as "updatedAt"
        from patients where id = ${patientId} and site_id in (${sites})
        limit 1${lock ? sql` for update` : sql``}`,
  );
  if (!row) throw refused();
  return { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) };
}

/**
 * A record of a patient (a flag, an observation) and its patient, locked: "not found" under the
 * record's name when the record does not exist or its patient is out of the actor's sites.
 */
export async function lockPatientOfRecord<R extends { patientId: string }>(
  tx: Tx,
  actor: Actor,
  via: { entityType: "flag" | "observation"; entityId: string },
  record: R | undefined,
): Promise<{ record: R; patient: Patient }> {
  if (!record) throw outOfScope(via.entityType, via.entityId);
  return { record, patient: await getPatientInScope(tx, actor, record.patientId, true, via) };
}
