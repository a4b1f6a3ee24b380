import type { Db, Tx } from "@/db/client";
import { auditEvents } from "@/db/schema";
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

/** Appends one audit event (who, what, which patient, when, from where). */
export async function recordAudit(
  db: Db | Tx,
  actor: Pick<Actor, "userId" | "email" | "role" | "ip" | "userAgent"> | null,
  event: AuditInput & { actorEmail?: string | null; ip?: string | null; userAgent?: string | null },
): Promise<void> {
  await db.insert(auditEvents).values({
    actorId: actor?.userId ?? null,
    actorEmail: actor?.email ?? event.actorEmail ?? null,
    actorRole: actor?.role ?? null,
    action: event.action,
    outcome: event.outcome ?? "success",
    patientId: event.patientId ?? null,
    entityType: event.entityType ?? null,
    entityId: event.entityId ?? null,
    ip: actor?.ip ?? event.ip ?? null,
    userAgent: (actor?.userAgent ?? event.userAgent ?? null)?.slice(0, 300) ?? null,
    detail: event.detail ?? {},
  });
}
