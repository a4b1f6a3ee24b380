import { queryRows } from "@/db/client";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import {
  FLAG_AREAS,
  WORKLIST_PRIORITIES,
  type WorklistFlag,
  type WorklistItem,
  type WorklistPage,
  type WorklistQuery,
} from "@/lib/api/worklist";
import {
  ageOn,
  daysBetween,
  getRule,
  type FlagCode,
  type Priority,
  type Severity,
} from "@/lib/clinical";
import { recordAudit } from "./audit";
import { csvCell } from "./csv";
import type { Ctx } from "./context";
import { defaultTimeZone } from "./dates";
import { earliestToday } from "./sites";
import { severityRank } from "./flag-plans";
import { readTarget } from "./replica";

const cursorShape = z.tuple([z.number().int(), z.string(), z.uuid()]);
/** `?sort=contact`: priority, whether the next contact is overdue (1) or not (0), oldest, patient. */
const contactCursorShape = z.tuple([z.number().int(), z.number().int(), z.string(), z.uuid()]);

function effectiveStatus(today: string): SQL {
  return sql`(case when f.status = 'snoozed' and f.snoozed_until <= ${today}::date then 'open' else f.status end)`;
}

/** The flag-level filters, as SQL on alias `f`. */
function flagConditions(ctx: Ctx, query: WorklistQuery, today: string): SQL {
  const status = effectiveStatus(today);
  const parts: SQL[] = [sql`f.status <> 'resolved'`];
  switch (query.status) {
    case "active":
      parts.push(sql`${status} in ('open', 'acknowledged')`);
      break;
    case "open":
    case "acknowledged":
    case "snoozed":
      parts.push(sql`${status} = ${query.status}`);
      break;
    case "all":
      break;
  }
  if (query.code) {
    parts.push(
      (FLAG_AREAS as readonly string[]).includes(query.code)
        ? sql`f.code like ${`${query.code}.%`}`
        : sql`f.code = ${query.code}`,
    );
  }
  if (query.assignee === "me") parts.push(sql`f.assignee_id = ${ctx.actor.userId}`);
  else if (query.assignee === "unassigned") parts.push(sql`f.assignee_id is null`);
  else if (query.assignee !== "anyone") parts.push(sql`f.assignee_id = ${query.assignee}`);
  if (query.overdue)
    parts.push(sql`f.due_on < ${today}::date and ${status} in ('open', 'acknowledged')`);
  return sql.join(parts, sql` and `);
}

function sitesOf(ctx: Ctx, query: WorklistQuery): string[] {
  return query.site ? ctx.actor.siteIds.filter((s) => s === query.site) : [...ctx.actor.siteIds];
}

/** The patient-level filters, as SQL on alias `ps` (the site is said by the caller). */
function rowConditions(ctx: Ctx, query: WorklistQuery, today: string, withPriority: boolean): SQL {
  const parts: SQL[] = [
    sql`ps.open_flag_count > 0`,
    sql`exists (select 1 from flags f where f.patient_id = ps.patient_id and ${flagConditions(ctx, query, today)})`,
  ];
  if (withPriority && query.priority?.length) {
    parts.push(
      sql`ps.priority in (${sql.join(
        query.priority.map((p) => sql`${p}`),
        sql`, `,
      )})`,
    );
  }
  return sql.join(parts, sql` and `);
}

/**
 * The per-priority counts (the priority filter aside). With no flag-level filter but the status
 * `active` (the default), `snoozed` or `all`, they come from patient_state (and, for `snoozed`,
 * the snoozed flags): its counts are refreshed in the same transaction as every flag change. A
 * patient has an active flag unless every unresolved flag is snoozed and still asleep: that is,
 * when open_flag_count > snoozed_flag_count, or a snoozed flag's date has come
 * (snooze_wakes_on ≤ today), read index-only from patient_state_open_idx, where joining each
 * patient's flags would read every unresolved flag. Other filters join the flags.
 */
function countsQuery(
  ctx: Ctx,
  query: WorklistQuery,
  today: string,
  siteIds: readonly string[],
): SQL {
  const siteList = siteListSql(siteIds);
  const statusOnly = !query.code && query.assignee === "anyone" && !query.overdue;
  // Snoozed flags still asleep, per patient: effectiveStatus says 'snoozed' for them.
  const asleep = sql`(select f.patient_id, count(*)::int as n from flags f
      where f.status = 'snoozed' and (f.snoozed_until is null or f.snoozed_until > ${today}::date)
      group by f.patient_id) s`;
  const open = sql`ps.site_id in (${siteList}) and ps.open_flag_count > 0`;
  if (statusOnly && query.status === "all") {
    return sql`select ps.priority, count(*)::int as n from patient_state ps
        where ${open} group by ps.priority`;
  }
  if (statusOnly && query.status === "active") {
    return sql`select ps.priority, count(*)::int as n from patient_state ps
        where ${open} and (ps.open_flag_count > ps.snoozed_flag_count
          or ps.snooze_wakes_on <= ${today}::date)
        group by ps.priority`;
  }
  if (statusOnly && query.status === "snoozed") {
    return sql`select ps.priority, count(*)::int as n from patient_state ps
        join ${asleep} on s.patient_id = ps.patient_id
        where ${open} group by ps.priority`;
  }
  return sql`select ps.priority, count(*)::int as n from patient_state ps
      where ps.site_id in (${siteList}) and ${rowConditions(ctx, query, today, false)}
      group by ps.priority`;
}

interface RawRow extends Record<string, unknown> {
  patient_id: string;
  priority: Priority;
  priority_rank: number;
  oldest: string;
  last_visit_on: string | null;
  given_name: string;
  family_name: string;
  birth_date: string;
  mrn: string;
  site_id: string;
  site_code: string;
  time_zone: string | null;
  phones: { use: string; value: string }[];
  preferred_contact_time: string | null;
  language: string | null;
}

/**
 * The care team's worklist: one row per patient with unresolved flags matching the filters, sorted
 * by priority, then the oldest open flag; keyset-paginated; counts per priority. Audited.
 */
export async function listWorklist(
  ctx: Ctx,
  query: WorklistQuery,
  now: Date = new Date(),
  audit = true,
): Promise<WorklistPage> {
  const counts = Object.fromEntries(WORKLIST_PRIORITIES.map((p) => [p, 0])) as Record<
    Priority,
    number
  >;
  const siteIds = sitesOf(ctx, query);
  const today = await earliestToday(ctx.db, siteIds, now);
  if (siteIds.length === 0) return { items: [], nextCursor: null, counts };
  // The counts (the slowest query) run beside the page, its flags and the audit event.
  const [page, countRows] = await Promise.all([
    (async () => {
      const result = await loadPage(ctx, query, today, siteIds);
      if (audit) {
        await recordAudit(ctx.db, ctx.actor, {
          action: "worklist.list",
          detail: {
            count: result.items.length,
            filters: { ...query, cursor: query.cursor ? "next" : undefined },
          },
        });
      }
      return result;
    })(),
    queryRows<{ priority: Priority; n: number }>(ctx.db, countsQuery(ctx, query, today, siteIds)),
  ]);
  for (const r of countRows) {
    counts[r.priority] = r.n;
  }
  return { ...page, counts };
}

function siteListSql(siteIds: readonly string[]): SQL {
  return sql.join(
    siteIds.map((s) => sql`${s}::uuid`),
    sql`, `,
  );
}

/** One page of the worklist (no counts, no audit). */
async function loadPage(
  ctx: Ctx,
  query: WorklistQuery,
  today: string,
  siteIds: readonly string[],
): Promise<Pick<WorklistPage, "items" | "nextCursor">> {
  const where = rowConditions(ctx, query, today, true);
  const byContact = query.sort === "contact";
  // Whether the patient's latest contact set a next one due before today.
  const overdue = sql`(case when lc.next_due_on < ${today}::date then 1 else 0 end)`;
  const latestContact = byContact
    ? sql`left join lateral (select c.next_due_on from patient_contacts c
          where c.patient_id = ps.patient_id order by c.at desc limit 1) lc on true`
    : sql``;
  let keyset = sql`true`;
  if (query.cursor && byContact) {
    const [rank, late, oldest, id] = decodeCursor(query.cursor, contactCursorShape);
    keyset = sql`ps.priority_rank <= ${rank} and (ps.priority_rank < ${rank} or (ps.priority_rank = ${rank} and (${overdue} < ${late} or (${overdue} = ${late} and (ps.oldest_open_flag_at > ${oldest}::timestamptz or (ps.oldest_open_flag_at = ${oldest}::timestamptz and ps.patient_id > ${id}))))))`;
  } else if (query.cursor) {
    const [rank, oldest, id] = decodeCursor(query.cursor, cursorShape);
    // The first conjunct lets the index scan start at the cursor's priority.
    keyset = sql`ps.priority_rank <= ${rank} and (ps.priority_rank < ${rank} or (ps.priority_rank = ${rank} and (ps.oldest_open_flag_at > ${oldest}::timestamptz or (ps.oldest_open_flag_at = ${oldest}::timestamptz and ps.patient_id > ${id}))))`;
  }
  const orderBy = (late: SQL) =>
    byContact
      ? sql`ps.priority_rank desc, ${late} desc, ps.oldest_open_flag_at asc, ps.patient_id asc`
      : sql`ps.priority_rank desc, ps.oldest_open_flag_at asc, ps.patient_id asc`;
  const limit = query.limit + 1;
  // Per site, the first rows in worklist order walking patient_state's worklist index (it stops
  // after `limit` matches); then the sites' pages merged. One scan per site, never a sort of every
  // patient with open flags (sorting by contact reads each candidate's latest contact first).
  const rows = await queryRows<RawRow & { overdue_contact: number }>(
    ctx.db,
    sql`
      select ps.patient_id, ps.priority, ps.priority_rank::int as priority_rank,
             to_json(ps.oldest_open_flag_at) #>> '{}' as oldest, ps.last_visit_on::text as last_visit_on,
             ps.overdue_contact::int as overdue_contact,
             p.given_name, p.family_name, p.birth_date::text as birth_date, p.mrn, p.site_id, s.code as site_code, s.time_zone,
             p.phones, p.preferred_contact_time, p.language
      from unnest(array[${siteListSql(siteIds)}]) as site(id)
      cross join lateral (
        select ps.*, ${byContact ? overdue : sql`0`} as overdue_contact from patient_state ps
        ${latestContact}
        where ps.site_id = site.id and ${where} and ${keyset}
        order by ${orderBy(overdue)}
        limit ${limit}
      ) ps
      join patients p on p.id = ps.patient_id
      join sites s on s.id = p.site_id
      order by ${orderBy(sql`ps.overdue_contact`)}
      limit ${limit}`,
  );
  const page = rows.slice(0, query.limit);
  const items = await shapeItems(ctx, page, today);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor(
          byContact
            ? [last.priority_rank, last.overdue_contact, last.oldest, last.patient_id]
            : [last.priority_rank, last.oldest, last.patient_id],
        )
      : null;
  return { items, nextCursor };
}

interface PageFlagRow extends Record<string, unknown> {
  id: string;
  patient_id: string;
  code: string;
  severity: string;
  status: string;
  version: number;
  opened_at: string;
  due_on: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  snoozed_until: string | null;
  self_reported: boolean;
}

async function shapeItems(ctx: Ctx, page: RawRow[], today: string): Promise<WorklistItem[]> {
  if (page.length === 0) return [];
  // Plain SQL with only the columns shown: the query builder's row mapping costs CPU on every
  // worklist request.
  const ids = sql.join(
    page.map((r) => sql`${r.patient_id}::uuid`),
    sql`, `,
  );
  const [flagRows, depression, contacts] = await Promise.all([
    queryRows<PageFlagRow>(
      ctx.db,
      sql`select f.id::text as id, f.patient_id::text as patient_id, f.code, f.severity, f.status,
            f.version, to_json(f.opened_at) #>> '{}' as opened_at, f.due_on::text as due_on,
            f.assignee_id::text as assignee_id, u.name as assignee_name,
            f.snoozed_until::text as snoozed_until,
            coalesce(v.source = 'self-report', false) as self_reported
          from flags f left join users u on u.id = f.assignee_id
            left join assessments a on a.id = f.opened_assessment_id
            left join visits v on v.id = a.visit_id
          where f.patient_id in (${ids}) and f.status <> 'resolved'
          order by f.opened_at`,
    ),
    queryRows<{ patient_id: string; since: string }>(
      ctx.db,
      sql`select patient_id::text as patient_id, to_json(min(opened_at)) #>> '{}' as since
          from flags where patient_id in (${ids}) and code = 'depression.positive'
          group by patient_id`,
    ),
    queryRows<{ patient_id: string; at: string; next_due_on: string | null }>(
      ctx.db,
      sql`select distinct on (patient_id) patient_id::text as patient_id,
            to_json(at) #>> '{}' as at, next_due_on::text as next_due_on
          from patient_contacts where patient_id in (${ids})
          order by patient_id, at desc`,
    ),
  ]);
  const lastContact = new Map(contacts.map((c) => [c.patient_id, c]));
  const depressionSince = new Map(depression.map((d) => [d.patient_id, d.since]));
  const byPatient = new Map<string, WorklistFlag[]>();
  for (const f of flagRows) {
    const status =
      f.status === "snoozed" && f.snoozed_until !== null && f.snoozed_until <= today
        ? "open"
        : (f.status as WorklistFlag["status"]);
    const active = status !== "snoozed";
    const overdue =
      active && f.due_on !== null && f.due_on < today ? daysBetween(f.due_on, today) : null;
    const list = byPatient.get(f.patient_id) ?? [];
    list.push({
      id: f.id,
      code: f.code,
      title: getRule(f.code as FlagCode)?.title ?? f.code,
      severity: f.severity as Severity,
      status,
      version: Number(f.version),
      openedAt: new Date(f.opened_at).toISOString(),
      dueOn: f.due_on,
      overdueDays: overdue,
      assigneeId: f.assignee_id,
      assigneeName: f.assignee_name,
      snoozedUntil: f.snoozed_until,
      ...(f.self_reported ? { source: "self-report" as const } : {}),
    });
    byPatient.set(f.patient_id, list);
  }
  return page.map((r) => {
    const list = (byPatient.get(r.patient_id) ?? []).sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) || a.openedAt.localeCompare(b.openedAt),
    );
    const active = list.filter((f) => f.status !== "snoozed");
    const dues = active
      .map((f) => f.dueOn)
      .filter((d): d is string => d !== null)
      .sort();
    const dueOn = dues[0] ?? null;
    const since = depressionSince.get(r.patient_id) ?? null;
    const sinceIso = since ? new Date(since).toISOString().slice(0, 10) : null;
    const contact = lastContact.get(r.patient_id);
    return {
      patientId: r.patient_id,
      priority: r.priority,
      patient: {
        givenName: r.given_name,
        familyName: r.family_name,
        age: ageOn(r.birth_date, today),
        birthDate: r.birth_date,
        mrn: r.mrn,
        siteId: r.site_id,
        siteCode: r.site_code,
        timeZone: r.time_zone ?? defaultTimeZone(),
        phones: r.phones ?? [],
        preferredContactTime: r.preferred_contact_time,
        language: r.language,
      },
      flags: list,
      openFlags: list,
      oldestOpenFlagAt: r.oldest,
      oldestOpenFlagDays: Math.max(0, daysBetween(r.oldest.slice(0, 10), today)),
      assignees: [
        ...new Set(active.map((f) => f.assigneeName).filter((n): n is string => Boolean(n))),
      ],
      dueOn,
      overdueDays: dueOn && dueOn < today ? daysBetween(dueOn, today) : null,
      lastVisitOn: r.last_visit_on,
      lastContactAt: contact ? new Date(contact.at).toISOString() : null,
      nextContactDue: contact?.next_due_on ?? null,
      depressionCareSince: sinceIso,
      weeksInDepressionCare: sinceIso ? Math.floor(daysBetween(sinceIso, today) / 7) : null,
    };
  });
}

/** Most rows one CSV export holds. */
export const WORKLIST_EXPORT_MAX_ROWS = 50_000;

/**
 * Exactly the filtered worklist as CSV (every page), flag names beside codes and the filters, day
 * and time on each row; over WORKLIST_EXPORT_MAX_ROWS patients is a 422, never a cut. Audited.
 */
export async function exportWorklistCsv(
  ctx: Ctx,
  query: WorklistQuery,
  now: Date = new Date(),
): Promise<{ csv: string; rows: number }> {
  const header = [
    "priority",
    "family_name",
    "given_name",
    "age",
    "mrn",
    "site",
    "flags",
    "flag_names",
    "oldest_open_flag_days",
    "assignees",
    "due_on",
    "overdue_days",
    "last_visit_on",
    "last_contact_at",
    "next_contact_due",
    "weeks_in_depression_care",
    "as_of",
    ...EXPORT_CONTEXT_COLUMNS,
  ];
  const lines = [header.join(",")];
  const context = exportContext({ ...query, cursor: undefined, limit: undefined }, now);
  const siteIds = sitesOf(ctx, query);
  const today = await earliestToday(ctx.db, siteIds, now);
  let cursor: string | undefined;
  let rows = 0;
  // Pages without their counts: the export needs none.
  let more = siteIds.length > 0;
  // Pages from the read replica when it is fit (docs/OPERATIONS.md); the audit on the primary.
  const reader: Ctx = { ...ctx, db: (await readTarget(ctx.db)).db };
  while (more) {
    const page = await loadPage(reader, { ...query, cursor, limit: 100 }, today, siteIds);
    for (const item of page.items) {
      lines.push(
        [
          item.priority,
          item.patient.familyName,
          item.patient.givenName,
          item.patient.age,
          item.patient.mrn,
          item.patient.siteCode,
          item.flags.map((f) => `${f.code}:${f.severity}:${f.status}`).join(" "),
          item.flags.map((f) => f.title).join("; "),
          item.oldestOpenFlagDays,
          item.assignees.join("; "),
          item.dueOn,
          item.overdueDays,
          item.lastVisitOn,
          item.lastContactAt,
          item.nextContactDue,
          item.weeksInDepressionCare,
          today,
          ...context,
        ]
          .map(csvCell)
          .join(","),
      );
      rows++;
    }
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined;
    if (more && rows >= WORKLIST_EXPORT_MAX_ROWS) {
      throw new AppError(
        "unprocessable",
        `More than ${WORKLIST_EXPORT_MAX_ROWS} patients match: narrow the filters and export again.`,
        { extra: { limit: WORKLIST_EXPORT_MAX_ROWS } },
      );
    }
  }
  await recordAudit(ctx.db, ctx.actor, {
    action: "worklist.export",
    detail: { rows, filters: { ...query, cursor: undefined, limit: undefined } },
  });
  return { csv: lines.join("\r\n") + "\r\n", rows };
}

export { listTreatToTarget } from "./treat-to-target";
