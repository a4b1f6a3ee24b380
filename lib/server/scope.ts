import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import type { Patient } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import type { Actor } from "./context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A syntactically valid id: anything else is simply "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

type PatientRow = Omit<Patient, "createdAt" | "updatedAt"> & {
  createdAt: string | Date;
  updatedAt: string | Date;
};

/**
 * The patient if it belongs to one of the actor's sites; otherwise "not found" (no existence leak).
 * Plain SQL (it runs on every patient request, visit writes included); the row is mapped as
 * drizzle maps `patients` (dates as strings, timestamps as Date).
 */
export async function getPatientInScope(
  db: Db | Tx,
  actor: Actor,
  patientId: string,
  lock = false,
): Promise<Patient> {
  if (!isUuid(patientId) || actor.siteIds.length === 0) throw notFound("Patient");
  const sites = sql.join(
    actor.siteIds.map((siteId) => sql`${siteId}`),
    sql`, `,
  );
  const [row] = await queryRows<PatientRow>(
    db,
    sql`select id, site_id as "siteId", mrn, given_name as "givenName",
          family_name as "familyName", birth_date as "birthDate", sex, postmenopausal, phones,
          preferred_contact_time as "preferredContactTime", language,
          created_at as "createdAt", created_by as "createdBy", updated_at as "updatedAt"
        from patients where id = ${patientId} and site_id in (${sites})
        limit 1${lock ? sql` for update` : sql``}`,
  );
  if (!row) throw notFound("Patient");
  return { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) };
}
