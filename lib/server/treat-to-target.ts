import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
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
import type { Ctx } from "./context";
import { todayIso } from "./dates";
import {
  byPatient,
  nullsLast,
  PATIENT_CSV_COLUMNS,
  registryContact,
  registryExport,
  registryMembers,
  registryOrder,
  registryPatient,
  registryRead,
  uuidList,
  type RegistryMemberRow,
} from "./registry";

interface CareRow extends RegistryMemberRow {
  since: string;
  flag_id: string | null;
  flag_status: string | null;
  flag_opened_at: string | null;
}

/** The baseline: the latest PHQ-9 on or before the day care began, else the first one after. */
function baselineOf(series: { effective: string; total: number }[], since: string) {
  const before = series.filter((p) => p.effective <= since);
  return before[before.length - 1] ?? series[0] ?? null;
}

const STATUS_ORDER = ["not-improving", "in-progress", "response", "remission"] as const;

function compare(
  query: TreatToTargetQuery,
): (a: TreatToTargetItem, b: TreatToTargetItem) => number {
  return registryOrder<TreatToTargetItem, TreatToTargetQuery["sort"]>(query, {
    status: (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      b.weeksInCare - a.weeksInCare,
    change: (a, b) => nullsLast(a.changePercent, b.changePercent),
    weeks: (a, b) => a.weeksInCare - b.weeksInCare,
    latest: (a, b) => nullsLast(a.latestPhq9, b.latestPhq9),
    contact: (a, b) => nullsLast(a.nextContactDue, b.nextContactDue),
  });
}

/**
 * The depression registry: every patient of the actor's sites in depression care (a
 * `depression.positive` or `depression.not-improving` flag ever opened), with the baseline and
 * latest PHQ-9, the change, weeks in care, the status against the target and the last and next
 * contact. Filtered and sorted as asked; over REGISTRY_MAX_ROWS patients is a 422. Audited.
 */
export async function listTreatToTarget(
  ctx: Ctx,
  query: TreatToTargetQuery = treatToTargetQuerySchema.parse({}),
  now: Date = new Date(),
  audit: string | null = "worklist.treat-to-target",
): Promise<{ items: TreatToTargetItem[] }> {
  const today = todayIso(now);
  const rows = await registryMembers<CareRow>(ctx, query.site, "depression care", {
    care: (sites, limit) => sql`
      select f.patient_id, min(f.opened_at) as since
      from flags f join patients p on p.id = f.patient_id
      where f.code in ('depression.positive', 'depression.not-improving')
        and p.site_id in (${sites})
      group by f.patient_id
      limit ${limit}`,
    columns: sql`(care.since at time zone 'UTC')::date::text as since,
      ni.id::text as flag_id, ni.status as flag_status,
      to_json(ni.opened_at) #>> '{}' as flag_opened_at,`,
    joins: sql`left join lateral (select f.id, f.status, f.opened_at from flags f
      where f.patient_id = care.patient_id and f.code = 'depression.not-improving'
        and f.status <> 'resolved' limit 1) ni on true`,
  });
  if (!rows) return { items: [] };
  const series = rows.length
    ? await queryRows<{ patient_id: string; effective: string; total: number }>(
        ctx.db,
        sql`select patient_id::text as patient_id, effective::text as effective,
              value_num::int as total
            from observations
            where kind = 'phq9' and entered_in_error_at is null and value_num is not null
              and patient_id in (${uuidList(rows.map((r) => r.patient_id))})
            order by patient_id, effective asc, recorded_at asc`,
      )
    : [];
  const seriesOf = byPatient(series, (s) => ({ effective: s.effective, total: Number(s.total) }));
  const statuses = new Set(query.status ?? TTT_STATUSES);
  return registryRead(
    ctx,
    audit,
    query,
    rows
      .map((r): TreatToTargetItem => {
        const phq9 = seriesOf.get(r.patient_id) ?? [];
        const base = baselineOf(phq9, r.since);
        const last = phq9[phq9.length - 1] ?? null;
        const change = phq9Change(base?.total ?? null, last?.total ?? null);
        return {
          ...registryPatient(r),
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
          ...registryContact(r),
          psychiatricConsultation: r.flag_id !== null,
          flagId: r.flag_id,
          flagStatus: r.flag_status,
          openedAt: r.flag_opened_at ? new Date(r.flag_opened_at).toISOString() : null,
          phq9,
        };
      })
      .filter((i) => statuses.has(i.status))
      .sort(compare(query)),
  );
}

/** The treat-to-target list as CSV, one patient a row, with the filters and time on each; audited. */
export const exportTreatToTargetCsv = registryExport<TreatToTargetQuery, TreatToTargetItem>(
  listTreatToTarget,
  "worklist.treat-to-target.export",
  (query, now) => ({ ...query, as_of: todayIso(now) }),
  [
    ...PATIENT_CSV_COLUMNS,
    ["baseline_phq9", (i) => i.baselinePhq9],
    ["baseline_on", (i) => i.baselineOn],
    ["latest_phq9", (i) => i.latestPhq9],
    ["latest_on", (i) => i.latestOn],
    ["change_points", (i) => i.changePoints],
    ["change_percent", (i) => i.changePercent],
    ["weeks_in_care", (i) => i.weeksInCare],
    ["status", (i) => i.status],
    ["status_name", (i) => TTT_STATUS_LABEL[i.status]],
    ["last_contact_at", (i) => i.lastContactAt],
    ["next_contact_due", (i) => i.nextContactDue],
    ["psychiatric_consultation", (i) => (i.psychiatricConsultation ? "yes" : "no")],
  ],
);
