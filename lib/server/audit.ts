import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import type { Actor } from "./context";

export interface AuditInput {
  action: string;
  outcome?: "success" | "denied" | "failure";
  patientId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  /** Never patient data: counts, filters, codes, reasons for refusal. */
  detail?: Record<string, unknown>;
}

export type AuditActor = Pick<Actor, "userId" | "email" | "role" | "ip" | "userAgent"> | null;

export type AuditEvent = AuditInput & {
  actorEmail?: string | null;
  /** Without a user: who acted instead (e.g. "patient", through a self-report link). */
  actorRole?: string | null;
  /** When it happened, for events a throttle counts by the caller's clock (default: now()). */
  at?: Date;
  ip?: string | null;
  userAgent?: string | null;
};

/**
 * The INSERT of one audit event (who, what, which patient, when, from where), for a use-case that
 * writes it in the same statement as its own rows. `at` is the transaction's time, as before.
 */
export function auditInsert(actor: AuditActor, event: AuditEvent): SQL {
  const userAgent = (actor?.userAgent ?? event.userAgent ?? null)?.slice(0, 300) ?? null;
  return sql`insert into audit_events (at, actor_id, actor_email, actor_role, action, outcome,
      patient_id, entity_type, entity_id, ip, user_agent, detail)
    values (coalesce(${event.at?.toISOString() ?? null}::timestamptz, now()), ${actor?.userId ?? null}, ${actor?.email ?? event.actorEmail ?? null},
      ${actor?.role ?? event.actorRole ?? null}, ${event.action}, ${event.outcome ?? "success"},
      ${event.patientId ?? null}, ${event.entityType ?? null}, ${event.entityId ?? null},
      ${actor?.ip ?? event.ip ?? null}, ${userAgent}, ${JSON.stringify(event.detail ?? {})}::jsonb)`;
}

/** Appends one audit event (who, what, which patient, when, from where). */
export async function recordAudit(
  db: Db | Tx,
  actor: AuditActor,
  event: AuditEvent,
): Promise<void> {
  await db.execute(auditInsert(actor, event));
}
