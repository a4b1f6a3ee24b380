import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import type { RegistryPatientItem } from "@/lib/api/registry";
import { recordAudit } from "./audit";
import { defaultTimeZone } from "./dates";
import type { Ctx } from "./context";
import { toCsv, type CsvValue } from "./csv";

/*
 * What the care registries (bone, depression) share: who is in care is a query of the actor's
 * sites, each member comes with the patient's names and the last contact, the list is capped,
 * sorted with a stable tie-break, audited, and exported as CSV with its context.
 */

/** Most patients one registry list (or export) holds; more answers 422. */
export const REGISTRY_MAX_ROWS = 5000;

/** A registry member's row: the patient and the last contact (and what the registry adds). */
export interface RegistryMemberRow extends Record<string, unknown> {
  patient_id: string;
  given_name: string;
  family_name: string;
  mrn: string;
  site_code: string;
  time_zone: string | null;
  last_contact_at: string | null;
  next_due_on: string | null;
}

export const uuidList = (values: readonly string[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}::uuid`),
    sql`, `,
  );

/**
 * The registry's members at the actor's sites (or the one asked for, when it is theirs): `care`
 * selects `patient_id` (and more) of the patients in care at `sites`, as the CTE `care`; `columns`
 * and `joins` add to each member's row. More than REGISTRY_MAX_ROWS members is a 422 naming `what`.
 * Null when the actor has none of the sites asked for (nothing was read).
 */
export async function registryMembers<R extends RegistryMemberRow>(
  ctx: Ctx,
  site: string | undefined,
  what: string,
  query: {
    care: (sites: SQL, limit: number) => SQL;
    columns?: SQL;
    joins?: SQL;
  },
): Promise<R[] | null> {
  const siteIds = site ? ctx.actor.siteIds.filter((s) => s === site) : [...ctx.actor.siteIds];
  if (siteIds.length === 0) return null;
  const rows = await queryRows<R>(
    ctx.db,
    sql`
      with care as (${query.care(uuidList(siteIds), REGISTRY_MAX_ROWS + 1)})
      select p.id::text as patient_id, p.given_name, p.family_name, p.mrn, s.code as site_code, s.time_zone,
             ${query.columns ?? sql``}
             to_json(lc.at) #>> '{}' as last_contact_at, lc.next_due_on::text as next_due_on
      from care join patients p on p.id = care.patient_id join sites s on s.id = p.site_id
      ${query.joins ?? sql``}
      left join lateral (select c.at, c.next_due_on from patient_contacts c
        where c.patient_id = care.patient_id order by c.at desc limit 1) lc on true`,
  );
  if (rows.length > REGISTRY_MAX_ROWS) {
    throw new AppError(
      "unprocessable",
      `More than ${REGISTRY_MAX_ROWS} patients are in ${what} at these sites: choose one site.`,
      { extra: { limit: REGISTRY_MAX_ROWS } },
    );
  }
  return rows;
}

/** The patient's part of a registry item. */
export function registryPatient(row: RegistryMemberRow) {
  return {
    patientId: row.patient_id,
    givenName: row.given_name,
    familyName: row.family_name,
    mrn: row.mrn,
    siteCode: row.site_code,
    timeZone: row.time_zone ?? defaultTimeZone(),
  };
}

/** The contacts' part of a registry item: the last contact and the next one due. */
export function registryContact(row: RegistryMemberRow) {
  return {
    lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
    nextContactDue: row.next_due_on,
  };
}

/** Rows grouped by their `patient_id`, in the order given. */
export function byPatient<R extends { patient_id: string }, V>(
  rows: readonly R[],
  value: (row: R) => V,
): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const r of rows) {
    const list = out.get(r.patient_id) ?? [];
    list.push(value(r));
    out.set(r.patient_id, list);
  }
  return out;
}

/** Ascending, with a missing value last either way: an unknown is never "earliest". */
export function nullsLast(x: number | string | null, y: number | string | null): number {
  return x === null ? (y === null ? 0 : 1) : y === null ? -1 : x < y ? -1 : x > y ? 1 : 0;
}

const byName = (a: RegistryPatientItem, b: RegistryPatientItem) =>
  a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName);

/**
 * The registry's order: by `keys[sort]` (reversed for `desc`), then by name, then by id so that
 * equal rows keep one order. `name` sorts by name.
 */
export function registryOrder<I extends RegistryPatientItem, K extends string>(
  query: { sort: K; dir?: "asc" | "desc" },
  keys: Record<Exclude<K, "name">, (a: I, b: I) => number>,
): (a: I, b: I) => number {
  const sign = query.dir === "desc" ? -1 : 1;
  const key = query.sort === "name" ? byName : keys[query.sort as Exclude<K, "name">];
  return (a, b) => sign * key(a, b) || byName(a, b) || a.patientId.localeCompare(b.patientId);
}

/** The registry's items, once the actor's read of them is audited as `audit` (unless null). */
export async function registryRead<I>(
  ctx: Ctx,
  audit: string | null,
  filters: unknown,
  items: I[],
): Promise<{ items: I[] }> {
  if (audit) {
    await recordAudit(ctx.db, ctx.actor, {
      action: audit,
      detail: { count: items.length, filters },
    });
  }
  return { items };
}

/** The CSV columns every registry starts with: the patient. */
export const PATIENT_CSV_COLUMNS: readonly (readonly [
  string,
  (i: RegistryPatientItem) => CsvValue,
])[] = [
  ["family_name", (i) => i.familyName],
  ["given_name", (i) => i.givenName],
  ["mrn", (i) => i.mrn],
  ["site", (i) => i.siteCode],
];

/**
 * A registry's CSV export: the list (not audited as a read), one patient a row by `columns` (a
 * header and its value), the export's context (`context` of the query, the time) on each row;
 * audited as `action` with the row count and the query.
 */
export function registryExport<Q, I>(
  list: (ctx: Ctx, query: Q, now: Date, audit: null) => Promise<{ items: I[] }>,
  action: string,
  context: (query: Q, now: Date) => Record<string, unknown>,
  columns: readonly (readonly [string, (item: I) => CsvValue])[],
): (ctx: Ctx, query: Q, now?: Date) => Promise<{ csv: string; rows: number }> {
  return async (ctx, query, now = new Date()) => {
    const { items } = await list(ctx, query, now, null);
    const cells = exportContext(context(query, now), now);
    const csv = toCsv([
      [...columns.map(([header]) => header), ...EXPORT_CONTEXT_COLUMNS],
      ...items.map((i) => [...columns.map(([, value]) => value(i)), ...cells]),
    ]);
    await recordAudit(ctx.db, ctx.actor, {
      action,
      detail: { rows: items.length, filters: query },
    });
    return { csv, rows: items.length };
  };
}
