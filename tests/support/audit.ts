import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";

/** The audit events that meet every condition. */
export function auditEventsWhere(db: Db, ...conditions: (SQL | undefined)[]) {
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions));
}

/** The denied audit events of `action` that meet every further condition. */
export function deniedAuditEvents(db: Db, action: string, ...conditions: (SQL | undefined)[]) {
  return auditEventsWhere(
    db,
    eq(auditEvents.action, action),
    eq(auditEvents.outcome, "denied"),
    ...conditions,
  );
}
