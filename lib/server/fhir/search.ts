import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { patients, sites } from "@/db/schema";
import { FhirError } from "@/lib/api/fhir";
import {
  matchesSearch,
  operationOutcome,
  pageQuery,
  patientIdOf,
  patientResources,
  patientToFhir,
  searchsetBundle,
  siteCodeOfMrnSystem,
  sortByDate,
  type Bundle,
  type DateFilter,
  type OperationOutcome,
  type ParsedSearch,
  type PatientExtras,
  type Resource,
} from "@/lib/fhir";
import { recordAudit } from "../audit";
import type { Ctx } from "../context";
import { patientIdentityColumns } from "../patients";
import { isUuid } from "../scope";
import { readOnTarget } from "../replica";
import {
  fhirBaseUrl,
  metaOf,
  patientRecord,
  storedObservations,
  type FhirClinicalType,
} from "./records";

const KINDS_OF: Record<FhirClinicalType, readonly string[]> = {
  Observation: ["phq9", "phq2", "gds15", "bmd", "frax", "vitaminD", "falls"],
  Condition: ["fracture"],
  MedicationRequest: ["medication"],
};

/** One page of a search (`items`, of `total` matches) as a searchset with self and next links. */
function page(
  items: readonly Resource[],
  total: number,
  search: ParsedSearch,
  pathUrl: string,
  outcome: OperationOutcome | undefined,
): Bundle {
  const { offset, count } = search;
  const link = (at: number) => `${pathUrl}?${pageQuery(search, at)}`;
  const next = offset + count < total ? link(offset + count) : undefined;
  const previous = offset > 0 ? link(Math.max(0, offset - count)) : undefined;
  return searchsetBundle(items, fhirBaseUrl(), link(offset), {
    total,
    ...(next ? { next } : {}),
    ...(previous ? { previous } : {}),
    ...(outcome ? { outcome } : {}),
  });
}

/**
 * Search on one patient's resources (patient or subject is required, as US Core searches are),
 * with every other parameter of SEARCH_PARAMETERS; paged by `_count` and `_offset` (audited).
 */
export async function searchFhir(
  ctx: Ctx,
  type: FhirClinicalType,
  search: ParsedSearch,
  pathUrl: string,
  outcome?: OperationOutcome,
): Promise<Bundle> {
  const ids = new Set(search.references.map((r) => patientIdOf(r, fhirBaseUrl())));
  if (ids.size !== 1 || ids.has(null)) {
    throw new FhirError(
      400,
      operationOutcome([
        {
          severity: "error",
          code: "required",
          message:
            "Search by one patient: patient=<id>, Patient/<id> or an absolute reference on this server (or subject=Patient/<id>) is required.",
          expression: "patient",
        },
      ]),
    );
  }
  const patientId = [...ids][0]!;
  const record = await patientRecord(ctx.db, ctx, patientId).catch((error: unknown) => {
    // A search for an unknown patient is an empty result, not an error (no existence leak either).
    if (error instanceof FhirError && error.status === 404) return null;
    throw error;
  });
  let matches: Resource[] = [];
  if (record) {
    // The search's rows from the read replica when it is fit (the scope check above: primary).
    const { result: stored } = await readOnTarget(ctx.db, (db) =>
      storedObservations(db, record.id, KINDS_OF[type]),
    );
    matches = patientResources(record, stored).filter(
      (r) => r.resourceType === type && matchesSearch(r, search),
    );
    matches = sortByDate(matches, search.sort);
    await recordAudit(ctx.db, ctx.actor, {
      action: "observations.list",
      patientId: record.id,
      entityType: "patient",
      entityId: record.id,
      detail: {
        via: "fhir",
        resourceType: type,
        count: Math.max(0, Math.min(matches.length - search.offset, search.count)),
      },
    });
  }
  const { offset, count } = search;
  return page(matches.slice(offset, offset + count), matches.length, search, pathUrl, outcome);
}

/**
 * A date filter on a column, in SQL: a date column (birth date, one day) or a timestamp column
 * (last update, an instant), against the filter's [start, end).
 */
function dateCondition(column: SQL, filter: DateFilter, kind: "date" | "timestamptz"): SQL {
  const bound = (ms: number) =>
    kind === "date"
      ? sql`${new Date(ms).toISOString().slice(0, 10)}::date`
      : sql`${new Date(ms).toISOString()}::timestamptz`;
  const lo = bound(filter.range[0]);
  const hi = bound(filter.range[1]);
  const within = sql`(${column} >= ${lo} and ${column} < ${hi})`;
  switch (filter.prefix) {
    case "eq":
    case "ap":
      return within;
    case "ne":
      return sql`not ${within}`;
    case "gt":
    case "sa":
      return sql`${column} >= ${hi}`;
    case "lt":
    case "eb":
      return sql`${column} < ${lo}`;
    case "ge":
      return sql`${column} >= ${lo}`;
    case "le":
      return sql`${column} < ${hi}`;
  }
}

/** Patient search condition for `identifier`: our MRN system, or any identifier the sender sent. */
function identifierCondition(system: string | undefined, value: string): SQL | undefined {
  const ours = siteCodeOfMrnSystem(system);
  if (ours) return and(eq(sites.code, ours), eq(patients.mrn, value));
  const sent = JSON.stringify({
    identifier: [system === undefined ? { value } : { system, value }],
  });
  const byExtras = sql`${patients.fhir} @> ${sent}::jsonb`;
  // Without a system (or with an empty one), our MRN value matches too.
  return system ? byExtras : or(eq(patients.mrn, value), byExtras);
}

/** GET /fhir/r4/Patient: by identifier, name, family, given, birthdate, gender, _id (audited). */
export async function searchPatients(
  ctx: Ctx,
  search: ParsedSearch,
  pathUrl: string,
  outcome?: OperationOutcome,
): Promise<Bundle> {
  if (ctx.actor.siteIds.length === 0) return page([], 0, search, pathUrl, outcome);
  const where: (SQL | undefined)[] = [inArray(patients.siteId, [...ctx.actor.siteIds])];
  const identifiers = search.tokens.identifier ?? [];
  if (identifiers.length)
    where.push(or(...identifiers.map((x) => identifierCondition(x.system, x.code))));
  const gender = (search.tokens.gender ?? []).map((g) => g.code);
  if (gender.length)
    where.push(
      sql`${patients.sex} in (${sql.join(
        gender.map((g) => sql`${g}`),
        sql`, `,
      )})`,
    );
  if (search.ids.length) {
    const ids = search.ids.filter(isUuid);
    where.push(ids.length ? inArray(patients.id, ids) : sql`false`);
  }
  for (const f of search.dates.birthdate ?? [])
    where.push(dateCondition(sql`${patients.birthDate}`, f, "date"));
  for (const f of search.dates._lastUpdated ?? [])
    where.push(dateCondition(sql`${patients.updatedAt}`, f, "timestamptz"));
  // FHIR string search: case-insensitive, starts with.
  const starts = (column: SQL, values: readonly string[]) =>
    or(...values.map((v) => sql`lower(${column}) like ${`${v.replace(/[\\%_]/g, "\\$&")}%`}`));
  const name = search.strings.name ?? [];
  if (name.length)
    where.push(
      or(starts(sql`${patients.familyName}`, name), starts(sql`${patients.givenName}`, name)),
    );
  const family = search.strings.family ?? [];
  if (family.length) where.push(starts(sql`${patients.familyName}`, family));
  const given = search.strings.given ?? [];
  if (given.length) where.push(starts(sql`${patients.givenName}`, given));

  const condition = and(...where);
  const [counted] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(patients)
    .innerJoin(sites, eq(sites.id, patients.siteId))
    .where(condition);
  const rows = await ctx.db
    .select({
      id: patients.id,
      siteCode: sites.code,
      ...patientIdentityColumns,
      fhir: patients.fhir,
      updatedAt: patients.updatedAt,
    })
    .from(patients)
    .innerJoin(sites, eq(sites.id, patients.siteId))
    .where(condition)
    .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.id))
    .limit(search.count)
    .offset(search.offset);
  const resources = rows.map(({ fhir, updatedAt, ...r }) =>
    patientToFhir({ ...r, extras: fhir as PatientExtras | null, meta: metaOf(updatedAt) }),
  );
  await recordAudit(ctx.db, ctx.actor, {
    action: "patients.list",
    entityType: "patient",
    detail: { via: "fhir", count: resources.length },
  });
  return page(resources, Number(counted?.n ?? 0), search, pathUrl, outcome);
}
