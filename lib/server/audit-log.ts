import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, patients, sites, users } from "@/db/schema";
import {
  AUDIT_EXPORT_MAX_ROWS,
  type AuditEventItem,
  type AuditFilters,
  type AuditPage,
  type AuditQuery,
} from "@/lib/api/audit";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import { recordAudit } from "./audit";
import { csvCell } from "./csv";

export { csvCell } from "./csv";
import type { Ctx } from "./context";
import { defaultTimeZone } from "./dates";
import { isUuid } from "./scope";

/** `at` as UTC ISO 8601 with microseconds: exact (a keyset key) and the same on every server. */
const AT_TEXT = sql<string>`to_char(${auditEvents.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const cursorShape = z.tuple([z.string().regex(AT_PATTERN), z.number().int().positive()]);
const EXPORT_PAGE = 1000;

/**
 * Events about the patient `term` names: an id; else every patient whose MRN is `term` (any case)
 * or whose name starts with it ("Smith", "Ann Smith", "Smith, Ann"), at any site.
 */
function patientCondition(term: string): SQL {
  if (isUuid(term)) return eq(auditEvents.patientId, term.toLowerCase());
  const text = term.trim().toLowerCase();
  const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${auditEvents.patientId} in (select p.id from patients p
    where lower(p.mrn) = ${text}
      or lower(p.family_name) like ${prefix} or lower(p.given_name) like ${prefix}
      or lower(p.given_name || ' ' || p.family_name) like ${prefix}
      or lower(p.family_name || ', ' || p.given_name) like ${prefix})`;
}

/** The filters as SQL conditions. Dates are whole UTC days, both ends inclusive. */
function filterConditions(filters: AuditFilters): SQL[] {
  const parts: SQL[] = [];
  if (filters.user) {
    parts.push(
      isUuid(filters.user)
        ? eq(auditEvents.actorId, filters.user.toLowerCase())
        : eq(auditEvents.actorEmail, filters.user.trim().toLowerCase()),
    );
  }
  if (filters.patient) parts.push(patientCondition(filters.patient));
  // starts_with, not LIKE: `_` and `%` in a filter are plain characters.
  if (filters.action) parts.push(sql`starts_with(${auditEvents.action}, ${filters.action})`);
  if (filters.outcome) parts.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.from) {
    parts.push(sql`${auditEvents.at} >= (${filters.from}::date)::timestamp at time zone 'UTC'`);
  }
  if (filters.to) {
    parts.push(sql`${auditEvents.at} < (${filters.to}::date + 1)::timestamp at time zone 'UTC'`);
  }
  return parts;
}

function filtersOf(query: AuditQuery): AuditFilters {
  const { user, patient, action, outcome, from, to } = query;
  return Object.fromEntries(
    Object.entries({ user, patient, action, outcome, from, to }).filter(([, v]) => v !== undefined),
  ) as AuditFilters;
}

/** One page, newest first (time, then id), without auditing the read. */
async function selectPage(
  ctx: Ctx,
  filters: AuditFilters,
  cursor: string | undefined,
  limit: number,
): Promise<AuditPage> {
  const parts = filterConditions(filters);
  if (cursor) {
    const [at, id] = decodeCursor(cursor, cursorShape);
    parts.push(sql`(${auditEvents.at}, ${auditEvents.id}) < (${at}::timestamptz, ${id})`);
  }
  const rows = await ctx.db
    .select({
      id: auditEvents.id,
      at: AT_TEXT,
      actorId: auditEvents.actorId,
      actorEmail: auditEvents.actorEmail,
      actorRole: auditEvents.actorRole,
      actorName: users.name,
      action: auditEvents.action,
      outcome: auditEvents.outcome,
      patientId: auditEvents.patientId,
      // The audit reader (audit.read) sees who was concerned: answering "who looked at this
      // patient's record" needs the patient's name and MRN, not an id.
      patientName: sql<string | null>`case when ${patients.id} is null then null
        else ${patients.familyName} || ', ' || ${patients.givenName} end`,
      patientMrn: patients.mrn,
      siteZone: sites.timeZone,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .leftJoin(patients, eq(patients.id, auditEvents.patientId))
    .leftJoin(sites, eq(sites.id, patients.siteId))
    .where(parts.length ? and(...parts) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  const items: AuditEventItem[] = rows.slice(0, limit).map(({ siteZone, ...r }) => ({
    ...r,
    id: Number(r.id),
    timeZone: siteZone ?? defaultTimeZone(),
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

/** The audit log, newest first, filtered and keyset-paginated. Reading it is itself audited. */
export async function listAuditEvents(ctx: Ctx, query: AuditQuery): Promise<AuditPage> {
  const filters = filtersOf(query);
  const page = await selectPage(ctx, filters, query.cursor, query.limit);
  await recordAudit(ctx.db, ctx.actor, {
    action: "audit.read",
    detail: { count: page.items.length, filters, page: query.cursor ? "next" : "first" },
  });
  return page;
}

export const AUDIT_CSV_HEADER = [
  "id",
  "at_utc",
  "actor_id",
  "actor_email",
  "actor_role",
  "action",
  "outcome",
  "patient_id",
  "entity_type",
  "entity_id",
  "ip",
  "user_agent",
  "detail",
  "actor_name",
  "patient_name",
  "patient_mrn",
  ...EXPORT_CONTEXT_COLUMNS,
] as const;

/**
 * Exactly the filtered events (every page) as CSV, newest first; audited as `audit.export`. A
 * selection larger than AUDIT_EXPORT_MAX_ROWS is refused (422) rather than silently cut.
 */
export async function exportAuditCsv(
  ctx: Ctx,
  query: AuditQuery,
  now: Date = new Date(),
): Promise<{ csv: string; rows: number }> {
  const filters = filtersOf(query);
  const lines: string[] = [AUDIT_CSV_HEADER.join(",")];
  const context = exportContext(filters, now);
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await selectPage(ctx, filters, cursor, EXPORT_PAGE);
    for (const e of page.items) {
      lines.push(
        [
          e.id,
          e.at,
          e.actorId,
          e.actorEmail,
          e.actorRole,
          e.action,
          e.outcome,
          e.patientId,
          e.entityType,
          e.entityId,
          e.ip,
          e.userAgent,
          JSON.stringify(e.detail ?? {}),
          e.actorName,
          e.patientName,
          e.patientMrn,
          ...context,
        ]
          .map(csvCell)
          .join(","),
      );
      rows++;
    }
    if (rows > AUDIT_EXPORT_MAX_ROWS) {
      throw new AppError(
        "unprocessable",
        `More than ${AUDIT_EXPORT_MAX_ROWS} events match: narrow the dates or filters and export again.`,
        { extra: { limit: AUDIT_EXPORT_MAX_ROWS } },
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await recordAudit(ctx.db, ctx.actor, { action: "audit.export", detail: { rows, filters } });
  return { csv: lines.join("\r\n") + "\r\n", rows };
}
