import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import {
  phq9Change,
  treatToTargetQuerySchema,
  treatToTargetStatus,
  TTT_STATUS_LABEL,
  TTT_STATUSES,
  type TreatToTargetItem,
  type TreatToTargetQuery,
} from "@/lib/api/treat-to-target";
import { daysBetween } from "@/lib/clinical";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { toCsv } from "./csv";
import { todayIso } from "./dates";

/** Most patients one treat-to-target list (or export) holds; more answers 422. */
export const TREAT_TO_TARGET_MAX_ROWS = 5000;

interface CareRow extends Record<string, unknown> {
  patient_id: string;
  given_name: string;
  family_name: string;
  mrn: string;
  site_code: string;
  since: string;
  flag_id: string | null;
  flag_status: string | null;
  flag_opened_at: string | null;
  last_contact_at: string | null;
  next_due_on: string | null;
}

const sqlList = (values: readonly string[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}::uuid`),
    sql`, `,
  );

/** The baseline: the latest PHQ-9 on or before the day care began, else the first one after. */
function baselineOf(series: { effective: string; total: number }[], since: string) {
  const before = series.filter((p) => p.effective <= since);
  return before[before.length - 1] ?? series[0] ?? null;
}

const STATUS_ORDER = ["not-improving", "in-progress", "response", "remission"] as const;

function compare(
  query: TreatToTargetQuery,
): (a: TreatToTargetItem, b: TreatToTargetItem) => number {
  const nullsLast = (x: number | string | null, y: number | string | null) =>
    x === null ? (y === null ? 0 : 1) : y === null ? -1 : x < y ? -1 : x > y ? 1 : 0;
  const byName = (a: TreatToTargetItem, b: TreatToTargetItem) =>
    a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName);
  const sign = query.dir === "desc" ? -1 : 1;
  const key: Record<
    TreatToTargetQuery["sort"],
    (a: TreatToTargetItem, b: TreatToTargetItem) => number
  > = {
    status: (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      b.weeksInCare - a.weeksInCare,
    change: (a, b) => nullsLast(a.changePercent, b.changePercent),
    weeks: (a, b) => a.weeksInCare - b.weeksInCare,
    latest: (a, b) => nullsLast(a.latestPhq9, b.latestPhq9),
    name: byName,
    contact: (a, b) => nullsLast(a.nextContactDue, b.nextContactDue),
  };
  return (a, b) =>
    sign * key[query.sort](a, b) || byName(a, b) || a.patientId.localeCompare(b.patientId);
}

/**
 * The depression registry: every patient of the actor's sites in depression care (a
 * `depression.positive` or `depression.not-improving` flag ever opened), with the baseline and
 * latest PHQ-9, the change, weeks in care, the status against the target and the last and next
 * contact. Filtered and sorted as asked; over TREAT_TO_TARGET_MAX_ROWS patients is a 422. Audited.
 */
export async function listTreatToTarget(
  ctx: Ctx,
  query: TreatToTargetQuery = treatToTargetQuerySchema.parse({}),
  now: Date = new Date(),
  audit: string | null = "worklist.treat-to-target",
): Promise<{ items: TreatToTargetItem[] }> {
  const siteIds = query.site
    ? ctx.actor.siteIds.filter((s) => s === query.site)
    : [...ctx.actor.siteIds];
  if (siteIds.length === 0) return { items: [] };
  const today = todayIso(now);
  const rows = await queryRows<CareRow>(
    ctx.db,
    sql`
      with care as (
        select f.patient_id, min(f.opened_at) as since
        from flags f join patients p on p.id = f.patient_id
        where f.code in ('depression.positive', 'depression.not-improving')
          and p.site_id in (${sqlList(siteIds)})
        group by f.patient_id
        limit ${TREAT_TO_TARGET_MAX_ROWS + 1}
      )
      select p.id::text as patient_id, p.given_name, p.family_name, p.mrn, s.code as site_code,
             (care.since at time zone 'UTC')::date::text as since,
             ni.id::text as flag_id, ni.status as flag_status,
             to_json(ni.opened_at) #>> '{}' as flag_opened_at,
             to_json(lc.at) #>> '{}' as last_contact_at, lc.next_due_on::text as next_due_on
      from care join patients p on p.id = care.patient_id join sites s on s.id = p.site_id
      left join lateral (select f.id, f.status, f.opened_at from flags f
        where f.patient_id = care.patient_id and f.code = 'depression.not-improving'
          and f.status <> 'resolved' limit 1) ni on true
      left join lateral (select c.at, c.next_due_on from patient_contacts c
        where c.patient_id = care.patient_id order by c.at desc limit 1) lc on true`,
  );
  if (rows.length > TREAT_TO_TARGET_MAX_ROWS) {
    throw new AppError(
      "unprocessable",
      `More than ${TREAT_TO_TARGET_MAX_ROWS} patients are in depression care at these sites: choose one site.`,
      { extra: { limit: TREAT_TO_TARGET_MAX_ROWS } },
    );
  }
  const series = rows.length
    ? await queryRows<{ patient_id: string; effective: string; total: number }>(
        ctx.db,
        sql`select patient_id::text as patient_id, effective::text as effective,
              value_num::int as total
            from observations
            where kind = 'phq9' and entered_in_error_at is null and value_num is not null
              and patient_id in (${sqlList(rows.map((r) => r.patient_id))})
            order by patient_id, effective asc, recorded_at asc`,
      )
    : [];
  const byPatient = new Map<string, { effective: string; total: number }[]>();
  for (const s of series) {
    const list = byPatient.get(s.patient_id) ?? [];
    list.push({ effective: s.effective, total: Number(s.total) });
    byPatient.set(s.patient_id, list);
  }
  const statuses = new Set(query.status ?? TTT_STATUSES);
  const items = rows
    .map((r): TreatToTargetItem => {
      const phq9 = byPatient.get(r.patient_id) ?? [];
      const base = baselineOf(phq9, r.since);
      const last = phq9[phq9.length - 1] ?? null;
      const change = phq9Change(base?.total ?? null, last?.total ?? null);
      return {
        patientId: r.patient_id,
        givenName: r.given_name,
        familyName: r.family_name,
        mrn: r.mrn,
        siteCode: r.site_code,
        baselinePhq9: base?.total ?? null,
        baselineOn: base?.effective ?? null,
        latestPhq9: last?.total ?? null,
        latestOn: last?.effective ?? null,
        changePoints: change.points,
        changePercent: change.percent,
        careSince: r.since,
        weeksInCare: Math.max(0, Math.floor(daysBetween(r.since, today) / 7)),
        status: treatToTargetStatus(
          base && { total: base.total, on: base.effective },
          last && { total: last.total, on: last.effective },
        ),
        lastContactAt: r.last_contact_at ? new Date(r.last_contact_at).toISOString() : null,
        nextContactDue: r.next_due_on,
        psychiatricConsultation: r.flag_id !== null,
        flagId: r.flag_id,
        flagStatus: r.flag_status,
        openedAt: r.flag_opened_at ? new Date(r.flag_opened_at).toISOString() : null,
        phq9,
      };
    })
    .filter((i) => statuses.has(i.status))
    .sort(compare(query));
  if (audit) {
    await recordAudit(ctx.db, ctx.actor, {
      action: audit,
      detail: { count: items.length, filters: query },
    });
  }
  return { items };
}

/** The treat-to-target list as CSV, one patient a row, with the filters and time on each; audited. */
export async function exportTreatToTargetCsv(
  ctx: Ctx,
  query: TreatToTargetQuery,
  now: Date = new Date(),
): Promise<{ csv: string; rows: number }> {
  const { items } = await listTreatToTarget(ctx, query, now, null);
  const context = exportContext({ ...query, as_of: todayIso(now) }, now);
  const csv = toCsv([
    [
      "family_name",
      "given_name",
      "mrn",
      "site",
      "baseline_phq9",
      "baseline_on",
      "latest_phq9",
      "latest_on",
      "change_points",
      "change_percent",
      "weeks_in_care",
      "status",
      "status_name",
      "last_contact_at",
      "next_contact_due",
      "psychiatric_consultation",
      ...EXPORT_CONTEXT_COLUMNS,
    ],
    ...items.map((i) => [
      i.familyName,
      i.givenName,
      i.mrn,
      i.siteCode,
      i.baselinePhq9,
      i.baselineOn,
      i.latestPhq9,
      i.latestOn,
      i.changePoints,
      i.changePercent,
      i.weeksInCare,
      i.status,
      TTT_STATUS_LABEL[i.status],
      i.lastContactAt,
      i.nextContactDue,
      i.psychiatricConsultation ? "yes" : "no",
      ...context,
    ]),
  ]);
  await recordAudit(ctx.db, ctx.actor, {
    action: "worklist.treat-to-target.export",
    detail: { rows: items.length, filters: query },
  });
  return { csv, rows: items.length };
}
