import { and, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";

/** The audit events that meet every condition. */
export function auditEventsWhere(db: Db, ...conditions: (SQL | undefined)[]) {
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions));
}
