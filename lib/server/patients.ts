import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  assessments,
  flags,
  observations,
  patients,
  patientState,
  sites,
  users,
  type Patient,
  type Site,
} from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import type {
  CreatePatientInput,
  DuplicatePatient,
  ObservationItem,
  OpenFlag,
  PatientDetail,
  PatientHeader,
  PatientListItem,
  PatientListPage,
} from "@/lib/api/patients";

/** The patient columns every patient listing selects (after the ids and site code). */
export const patientIdentityColumns = {
  mrn: patients.mrn,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  sex: patients.sex,
  postmenopausal: patients.postmenopausal,
};
export type { ObservationItem, PatientDetail } from "@/lib/api/patients";
import type { Assessment, Observation, Severity } from "@/lib/clinical";
import { SEVERITY_RANK } from "@/lib/clinical/constants";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { getPatientInScope } from "./scope";
import { siteToday } from "./sites";

const cursorShape = z.tuple([z.string(), z.string(), z.uuid()]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Text search: a birth date (YYYY-MM-DD), else a prefix of the MRN, family or given name. */
function searchCondition(q: string): SQL | undefined {
  const term = q.trim();
  if (!term) return undefined;
  if (ISO_DATE.test(term)) return eq(patients.birthDate, term);
  const prefix = `${escapeLike(term.toLowerCase())}%`;
  const words = term.split(/[\s,]+/).filter(Boolean);
  if (words.length >= 2) {
    // "Smith, Ann" or "Ann Smith": both orders of family and given name.
    const [a, b] = [words[0]!, words[1]!].map((w) => `${escapeLike(w.toLowerCase())}%`);
    return or(
      and(
        sql`lower(${patients.familyName}) like ${a}`,
        sql`lower(${patients.givenName}) like ${b}`,
      ),
      and(
        sql`lower(${patients.givenName}) like ${a}`,
        sql`lower(${patients.familyName}) like ${b}`,
      ),
    );
  }
  return or(
    sql`lower(${patients.familyName}) like ${prefix}`,
    sql`lower(${patients.givenName}) like ${prefix}`,
    // lower() like, not ilike: the same match, and patients_mrn_lower_idx serves it.
    sql`lower(${patients.mrn}) like ${prefix}`,
  );
}

/** Patients of the actor's sites, by name, keyset-paginated; audited without names. */
export async function listPatients(
  ctx: Ctx,
  input: { q?: string; siteId?: string; cursor?: string; limit: number },
): Promise<PatientListPage> {
  const allowed = input.siteId
    ? ctx.actor.siteIds.filter((s) => s === input.siteId)
    : [...ctx.actor.siteIds];
  if (allowed.length === 0) return { items: [], nextCursor: null };
  const search = searchCondition(input.q ?? "");
  const conditions: (SQL | undefined)[] = [inArray(patients.siteId, allowed), search];
  const after = input.cursor ? decodeCursor(input.cursor, cursorShape) : null;
  if (after) {
    const [family, given, id] = after;
    conditions.push(
      sql`(${patients.familyName}, ${patients.givenName}, ${patients.id}) > (${family}, ${given}, ${id})`,
    );
  }
  if (!search) {
    // Browsing (no search): per site, the next rows in name order walking patients_site_name_idx
    // (it stops after `limit`); the page is the first of those. Never a sort of every patient.
    // A search keeps the planner's choice (its name and MRN indexes, then a sort of the matches).
    const keyset = after
      ? sql`and (p.family_name, p.given_name, p.id) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`
      : sql``;
    conditions.push(
      sql`${patients.id} in (
        select p.id from unnest(array[${sql.join(
          allowed.map((s) => sql`${s}::uuid`),
          sql`, `,
        )}]) as site(id)
        cross join lateral (
          select p.id from patients p where p.site_id = site.id ${keyset}
          order by p.family_name, p.given_name, p.id
          limit ${input.limit + 1}
        ) p)`,
    );
  }
  const rows = await ctx.db
    .select({
      id: patients.id,
      siteId: patients.siteId,
      siteCode: sites.code,
      ...patientIdentityColumns,
      priority: sql<PatientListItem["priority"]>`coalesce(${patientState.priority}, 'none')`,
      openFlagCount: sql<number>`coalesce(${patientState.openFlagCount}, 0)::int`,
      // Written out: drizzle renders an outer column unqualified inside a select field.
      unacknowledgedCritical: sql<boolean>`exists (select 1 from flags f
        where f.patient_id = patients.id and f.severity = 'critical' and f.status = 'open')`,
      lastVisitOn: patientState.lastVisitOn,
    })
    .from(patients)
    .innerJoin(sites, eq(sites.id, patients.siteId))
    .leftJoin(patientState, eq(patientState.patientId, patients.id))
    .where(and(...conditions))
    .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > input.limit && last
      ? encodeCursor([last.familyName, last.givenName, last.id])
      : null;
  await recordAudit(ctx.db, ctx.actor, {
    action: "patients.list",
    entityType: "patient",
    detail: {
      count: items.length,
      searched: Boolean(input.q?.trim()),
      page: input.cursor ? "next" : "first",
    },
  });
  return { items, nextCursor };
}

/** Flags most severe first: SEVERITY_RANK as a SQL `case` (constants only, never input). */
const MOST_SEVERE_FIRST = desc(
  sql`case ${flags.severity} ${sql.raw(
    Object.entries(SEVERITY_RANK)
      .map(([severity, rank]) => `when '${severity}' then ${rank}`)
      .join(" "),
  )} else 0 end`,
);

/** A patient row as the API shows it, with its site's code and name. */
function patientHeader(p: Patient, site: Pick<Site, "code" | "name"> | undefined): PatientHeader {
  return {
    id: p.id,
    siteId: p.siteId,
    siteCode: site?.code ?? "",
    siteName: site?.name ?? "",
    mrn: p.mrn,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    sex: p.sex,
    postmenopausal: p.postmenopausal,
    phones: p.phones as PatientHeader["phones"],
    preferredContactTime: p.preferredContactTime,
    language: p.language,
    createdAt: p.createdAt.toISOString(),
  };
}

/** A patient of the actor's sites with the latest assessment and unresolved flags; audited. */
export async function getPatientDetail(ctx: Ctx, patientId: string): Promise<PatientDetail> {
  const p = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const [site] = await ctx.db.select().from(sites).where(eq(sites.id, p.siteId));
  const [state] = await ctx.db.select().from(patientState).where(eq(patientState.patientId, p.id));
  const [latest] = await ctx.db
    .select()
    .from(assessments)
    .where(eq(assessments.patientId, p.id))
    .orderBy(desc(assessments.createdAt))
    .limit(1);
  const flagRows = await ctx.db
    .select({ flag: flags, assigneeName: users.name })
    .from(flags)
    .leftJoin(users, eq(users.id, flags.assigneeId))
    .where(and(eq(flags.patientId, p.id), ne(flags.status, "resolved")))
    .orderBy(MOST_SEVERE_FIRST, asc(flags.code));
  const latestResult = (latest?.result ?? null) as Assessment | null;
  const firingByCode = new Map((latestResult?.flags ?? []).map((f) => [f.code as string, f]));
  // Flags kept open after they stopped firing show the rationale of the assessment that opened them.
  const olderIds = [
    ...new Set(
      flagRows
        .filter((r) => !firingByCode.has(r.flag.code) && r.flag.openedAssessmentId)
        .map((r) => r.flag.openedAssessmentId!),
    ),
  ];
  const older = olderIds.length
    ? await ctx.db
        .select({ id: assessments.id, result: assessments.result })
        .from(assessments)
        .where(inArray(assessments.id, olderIds))
    : [];
  const olderById = new Map(older.map((a) => [a.id, a.result as Assessment]));
  const openFlags: OpenFlag[] = flagRows.map(({ flag, assigneeName }) => {
    const firing = firingByCode.get(flag.code);
    const detail =
      firing ??
      olderById.get(flag.openedAssessmentId ?? "")?.flags.find((f) => f.code === flag.code) ??
      null;
    return {
      id: flag.id,
      code: flag.code,
      severity: flag.severity as Severity,
      status: flag.status as OpenFlag["status"],
      version: flag.version,
      openedAt: flag.openedAt.toISOString(),
      dueOn: flag.dueOn,
      assigneeId: flag.assigneeId,
      assigneeName,
      snoozedUntil: flag.snoozedUntil,
      rulesetVersion: flag.rulesetVersion,
      firing: Boolean(firing),
      detail,
    };
  });
  await recordAudit(ctx.db, ctx.actor, {
    action: "patients.read",
    patientId: p.id,
    entityType: "patient",
    entityId: p.id,
  });
  return {
    patient: patientHeader(p, site),
    latestAssessment:
      latest && latestResult
        ? {
            ...latestResult,
            id: latest.id,
            createdAt: latest.createdAt.toISOString(),
            visitId: latest.visitId,
          }
        : null,
    openFlags,
    lastVisitOn: state?.lastVisitOn ?? null,
  };
}

/** Registers a patient at one of the actor's sites; MRN unique per site (409); audited. */
/**
 * A patient of the site with the same given and family name (any case) and birth date: the same
 * person registered twice is the likelier reading, so registration asks first.
 */
async function findDuplicate(
  ctx: Ctx,
  input: CreatePatientInput,
): Promise<DuplicatePatient | null> {
  const [match] = await ctx.db
    .select({
      id: patients.id,
      mrn: patients.mrn,
      givenName: patients.givenName,
      familyName: patients.familyName,
      birthDate: patients.birthDate,
    })
    .from(patients)
    .where(
      and(
        eq(patients.siteId, input.siteId),
        eq(patients.birthDate, input.birthDate),
        // The same MRN is the same record: the insert answers that one at the MRN field.
        ne(patients.mrn, input.mrn),
        sql`lower(${patients.familyName}) = lower(${input.familyName})`,
        sql`lower(${patients.givenName}) = lower(${input.givenName})`,
      ),
    )
    .orderBy(asc(patients.createdAt), asc(patients.id))
    .limit(1);
  return match ?? null;
}

/**
 * Registers a patient at one of the actor's sites. A patient of the same name and birth date at
 * that site is answered with 409 and the match (`duplicateOf`, an audited read) unless the input
 * confirms the duplicate.
 */
export async function createPatient(
  ctx: Ctx,
  input: CreatePatientInput,
  now: Date = new Date(),
): Promise<PatientHeader> {
  if (!ctx.actor.siteIds.includes(input.siteId)) {
    throw new AppError("unprocessable", "You can register patients only at your own sites.", {
      errors: [{ path: "siteId", message: "Not one of your sites" }],
    });
  }
  if (input.birthDate > (await siteToday(ctx.db, input.siteId, now))) {
    throw new AppError("unprocessable", "The birth date is in the future.", {
      errors: [{ path: "birthDate", message: "Birth date cannot be in the future" }],
    });
  }
  const { confirmDuplicate, ...values } = input;
  if (confirmDuplicate !== true) {
    const duplicate = await findDuplicate(ctx, input);
    if (duplicate) {
      await recordAudit(ctx.db, ctx.actor, {
        action: "patients.duplicate-found",
        patientId: duplicate.id,
        entityType: "patient",
        entityId: duplicate.id,
      });
      throw new AppError(
        "conflict",
        "A patient with this name and birth date is already registered at this site. Open that " +
          "record, or confirm that this is another person (confirmDuplicate: true).",
        { extra: { duplicateOf: duplicate } },
      );
    }
  }
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(patients)
      .values({ ...values, createdBy: ctx.actor.userId, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: [patients.siteId, patients.mrn] })
      .returning();
    const row = inserted[0];
    if (!row) {
      throw new AppError(
        "conflict",
        "A patient with this MRN is already registered at this site.",
        {
          errors: [{ path: "mrn", message: "This MRN is already registered at this site" }],
        },
      );
    }
    const [site] = await tx.select().from(sites).where(eq(sites.id, row.siteId));
    await recordAudit(tx, ctx.actor, {
      action: "patients.create",
      patientId: row.id,
      entityType: "patient",
      entityId: row.id,
      ...(confirmDuplicate === true ? { detail: { confirmedDuplicate: true } } : {}),
    });
    return patientHeader(row, site);
  });
}

/** A patient's observations, newest first (retracted ones only on request); audited. */
export async function listObservations(
  ctx: Ctx,
  patientId: string,
  query: { kind?: string; includeRetracted: boolean },
): Promise<{ items: ObservationItem[] }> {
  const p = await getPatientInScope(ctx.db, ctx.actor, patientId);
  const rows = await ctx.db
    .select({ o: observations, recordedByName: users.name })
    .from(observations)
    .leftJoin(users, eq(users.id, observations.recordedBy))
    .where(
      and(
        eq(observations.patientId, p.id),
        query.kind ? eq(observations.kind, query.kind) : undefined,
        query.includeRetracted ? undefined : isNull(observations.enteredInErrorAt),
      ),
    )
    .orderBy(desc(observations.effective), desc(observations.recordedAt));
  await recordAudit(ctx.db, ctx.actor, {
    action: "observations.list",
    patientId: p.id,
    entityType: "patient",
    entityId: p.id,
    detail: { count: rows.length, kind: query.kind ?? null },
  });
  return {
    items: rows.map(({ o, recordedByName }) => ({
      id: o.id,
      kind: o.kind,
      effective: o.effective,
      payload: o.payload as Observation,
      valueNum: o.valueNum,
      visitId: o.visitId,
      recordedAt: o.recordedAt.toISOString(),
      recordedBy: recordedByName,
      enteredInError: o.enteredInErrorAt
        ? { at: o.enteredInErrorAt.toISOString(), reason: o.enteredInErrorReason }
        : null,
      ...(o.method ? { method: o.method } : {}),
    })),
  };
}
