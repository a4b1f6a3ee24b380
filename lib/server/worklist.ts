import { queryRows } from "@/db/client";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import {
  FLAG_AREAS,
  WORKLIST_PRIORITIES,
  type TreatToTargetItem,
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
import { earliestToday } from "./sites";
import { severityRank } from "./flag-plans";

const cursorShape = z.tuple([z.number().int(), z.string(), z.uuid()]);

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
  let keyset = sql`true`;
  if (query.cursor) {
    const [rank, oldest, id] = decodeCursor(query.cursor, cursorShape);
    // The first conjunct lets the index scan start at the cursor's priority.
    keyset = sql`ps.priority_rank <= ${rank} and (ps.priority_rank < ${rank} or (ps.priority_rank = ${rank} and (ps.oldest_open_flag_at > ${oldest}::timestamptz or (ps.oldest_open_flag_at = ${oldest}::timestamptz and ps.patient_id > ${id}))))`;
  }
  const limit = query.limit + 1;
  // Per site, the first rows in worklist order walking patient_state's worklist index (it stops
  // after `limit` matches); then the sites' pages merged. One scan per site, never a sort of every
  // patient with open flags.
  const rows = await queryRows<RawRow>(
    ctx.db,
    sql`
      select ps.patient_id, ps.priority, ps.priority_rank::int as priority_rank,
             to_json(ps.oldest_open_flag_at) #>> '{}' as oldest, ps.last_visit_on::text as last_visit_on,
             p.given_name, p.family_name, p.birth_date::text as birth_date, p.mrn, p.site_id, s.code as site_code
      from unnest(array[${siteListSql(siteIds)}]) as site(id)
      cross join lateral (
        select ps.* from patient_state ps
        where ps.site_id = site.id and ${where} and ${keyset}
        order by ps.priority_rank desc, ps.oldest_open_flag_at asc, ps.patient_id asc
        limit ${limit}
      ) ps
      join patients p on p.id = ps.patient_id
      join sites s on s.id = p.site_id
      order by ps.priority_rank desc, ps.oldest_open_flag_at asc, ps.patient_id asc
      limit ${limit}`,
  );
  const page = rows.slice(0, query.limit);
  const items = await shapeItems(ctx, page, today);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor([last.priority_rank, last.oldest, last.patient_id])
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
}

async function shapeItems(ctx: Ctx, page: RawRow[], today: string): Promise<WorklistItem[]> {
  if (page.length === 0) return [];
  // Plain SQL with only the columns shown: the query builder's row mapping costs CPU on every
  // worklist request.
  const ids = sql.join(
    page.map((r) => sql`${r.patient_id}::uuid`),
    sql`, `,
  );
  const [flagRows, depression] = await Promise.all([
    queryRows<PageFlagRow>(
      ctx.db,
      sql`select f.id::text as id, f.patient_id::text as patient_id, f.code, f.severity, f.status,
            f.version, to_json(f.opened_at) #>> '{}' as opened_at, f.due_on::text as due_on,
            f.assignee_id::text as assignee_id, u.name as assignee_name,
            f.snoozed_until::text as snoozed_until
          from flags f left join users u on u.id = f.assignee_id
          where f.patient_id in (${ids}) and f.status <> 'resolved'
          order by f.opened_at`,
    ),
    queryRows<{ patient_id: string; since: string }>(
      ctx.db,
      sql`select patient_id::text as patient_id, to_json(min(opened_at)) #>> '{}' as since
          from flags where patient_id in (${ids}) and code = 'depression.positive'
          group by patient_id`,
    ),
  ]);
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
      depressionCareSince: sinceIso,
      weeksInDepressionCare: sinceIso ? Math.floor(daysBetween(sinceIso, today) / 7) : null,
    };
  });
}

/** Most rows one CSV export holds. */
export const WORKLIST_EXPORT_MAX_ROWS = 50_000;

/** Exactly the filtered worklist as CSV (every page); audited as an export. */
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
    "oldest_open_flag_days",
    "assignees",
    "due_on",
    "overdue_days",
    "last_visit_on",
    "weeks_in_depression_care",
  ];
  const lines = [header.join(",")];
  const siteIds = sitesOf(ctx, query);
  const today = await earliestToday(ctx.db, siteIds, now);
  let cursor: string | undefined;
  let rows = 0;
  // Pages without their counts: the export needs none.
  let more = siteIds.length > 0;
  while (more) {
    const page = await loadPage(ctx, { ...query, cursor, limit: 100 }, today, siteIds);
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
          item.oldestOpenFlagDays,
          item.assignees.join("; "),
          item.dueOn,
          item.overdueDays,
          item.lastVisitOn,
          item.weeksInDepressionCare,
        ]
          .map(csvCell)
          .join(","),
      );
      rows++;
    }
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined && rows < WORKLIST_EXPORT_MAX_ROWS;
  }
  await recordAudit(ctx.db, ctx.actor, {
    action: "worklist.export",
    detail: { rows, filters: { ...query, cursor: undefined, limit: undefined } },
  });
  return { csv: lines.join("\r\n") + "\r\n", rows };
}

/** Patients with an unresolved `depression.not-improving` flag and their PHQ-9 series; audited. */
export async function listTreatToTarget(ctx: Ctx): Promise<{ items: TreatToTargetItem[] }> {
  if (ctx.actor.siteIds.length === 0) return { items: [] };
  const rows = await queryRows<{
    patient_id: string;
    given_name: string;
    family_name: string;
    site_code: string;
    flag_id: string;
    status: string;
    opened_at: string;
  }>(
    ctx.db,
    sql`
      select p.id as patient_id, p.given_name, p.family_name, s.code as site_code, f.id as flag_id, f.status,
             to_json(f.opened_at) #>> '{}' as opened_at
      from flags f join patients p on p.id = f.patient_id join sites s on s.id = p.site_id
      where f.code = 'depression.not-improving' and f.status <> 'resolved'
        and p.site_id in (${sql.join(
          ctx.actor.siteIds.map((s) => sql`${s}`),
          sql`, `,
        )})
      order by f.opened_at asc
      limit 500`,
  );
  const ids = rows.map((r) => r.patient_id);
  const series = ids.length
    ? await queryRows<{ patient_id: string; effective: string; total: number }>(
        ctx.db,
        sql`
          select patient_id, effective::text as effective, value_num::int as total
          from observations
          where kind = 'phq9' and entered_in_error_at is null and value_num is not null
            and patient_id in (${sql.join(
              ids.map((i) => sql`${i}`),
              sql`, `,
            )})
          order by patient_id, effective asc`,
      )
    : [];
  const byPatient = new Map<string, { effective: string; total: number }[]>();
  for (const s of series) {
    const list = byPatient.get(s.patient_id) ?? [];
    list.push({ effective: s.effective, total: s.total });
    byPatient.set(s.patient_id, list);
  }
  await recordAudit(ctx.db, ctx.actor, {
    action: "worklist.treat-to-target",
    detail: { count: rows.length },
  });
  return {
    items: rows.map((r) => ({
      patientId: r.patient_id,
      givenName: r.given_name,
      familyName: r.family_name,
      siteCode: r.site_code,
      flagId: r.flag_id,
      flagStatus: r.status,
      openedAt: r.opened_at,
      phq9: byPatient.get(r.patient_id) ?? [],
    })),
  };
}
