import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import {
  nextContactDue,
  type ContactItem,
  type ContactList,
  type CreateContactInput,
} from "@/lib/api/contacts";
import type { Priority } from "@/lib/clinical";
import { auditInsert, recordAudit } from "./audit";
import type { Ctx } from "./context";
import { todayIso } from "./dates";
import { getPatientInScope } from "./scope";

interface ContactRow extends Record<string, unknown> {
  id: string;
  kind: ContactItem["kind"];
  outcome: ContactItem["outcome"];
  note: string | null;
  at: string;
  next_due_on: string | null;
  by: string | null;
}

function toItem(r: ContactRow): ContactItem {
  return {
    id: r.id,
    kind: r.kind,
    outcome: r.outcome,
    note: r.note,
    at: new Date(r.at).toISOString(),
    nextDueOn: r.next_due_on,
    by: r.by,
  };
}

/** A patient's contacts, newest first; audited. */
export async function listContacts(ctx: Ctx, patientId: string): Promise<ContactList> {
  const p = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const rows = await queryRows<ContactRow>(
    ctx.db,
    sql`select c.id::text as id, c.kind, c.outcome, c.note, to_json(c.at) #>> '{}' as at,
          c.next_due_on::text as next_due_on, u.name as by
        from patient_contacts c left join users u on u.id = c.by_id
        where c.patient_id = ${p.id}
        order by c.at desc, c.id desc`,
  );
  await recordAudit(ctx.db, ctx.actor, {
    action: "contacts.list",
    patientId: p.id,
    entityType: "patient",
    entityId: p.id,
    detail: { count: rows.length },
  });
  return { items: rows.map(toItem) };
}

/**
 * Logs a contact with a patient of the actor's sites. The next contact is due after the default
 * interval of the patient's priority (a shorter retry when not reached), unless the caller names
 * the day. Audited in the same statement as the insert (without the note).
 */
export async function logContact(
  ctx: Ctx,
  patientId: string,
  input: CreateContactInput,
  now: Date = new Date(),
): Promise<ContactItem> {
  const p = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const today = todayIso(now);
  if (input.nextDueOn !== undefined && input.nextDueOn < today) {
    throw new AppError("unprocessable", "The next contact cannot be due before today.", {
      errors: [{ path: "nextDueOn", message: "Choose today or a later day" }],
    });
  }
  const [state] = await queryRows<{ priority: Priority }>(
    ctx.db,
    sql`select priority from patient_state where patient_id = ${p.id}`,
  );
  const nextDueOn =
    input.nextDueOn ?? nextContactDue(today, state?.priority ?? "none", input.outcome);
  const audit = auditInsert(ctx.actor, {
    action: "contacts.create",
    patientId: p.id,
    entityType: "patient",
    entityId: p.id,
    detail: { kind: input.kind, outcome: input.outcome, nextDueOn },
  });
  // One statement: the contact and its audit event are written together or not at all.
  const [row] = await queryRows<ContactRow>(
    ctx.db,
    sql`with inserted as (
          insert into patient_contacts (patient_id, kind, outcome, note, at, next_due_on, by_id)
          values (${p.id}, ${input.kind}, ${input.outcome}, ${input.note}, ${now.toISOString()}::timestamptz,
            ${nextDueOn}::date, ${ctx.actor.userId})
          returning id, kind, outcome, note, at, next_due_on
        ), audited as (${audit})
        select i.id::text as id, i.kind, i.outcome, i.note, to_json(i.at) #>> '{}' as at,
          i.next_due_on::text as next_due_on, ${ctx.actor.name}::text as by
        from inserted i`,
  );
  return toItem(row!);
}
