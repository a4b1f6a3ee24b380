import { and, asc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { patients, patientState, sites } from "@/db/schema";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";

export interface PatientListItem {
  id: string;
  siteId: string;
  siteCode: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: "female" | "male" | "other" | "unknown";
  postmenopausal: boolean | null;
  priority: "urgent" | "high" | "medium" | "low" | "none";
  openFlagCount: number;
  lastVisitOn: string | null;
}

export interface PatientListPage {
  items: PatientListItem[];
  nextCursor: string | null;
}

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
    ilike(patients.mrn, prefix),
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
  const conditions: (SQL | undefined)[] = [
    inArray(patients.siteId, allowed),
    searchCondition(input.q ?? ""),
  ];
  if (input.cursor) {
    const [family, given, id] = decodeCursor(input.cursor, cursorShape);
    conditions.push(
      sql`(${patients.familyName}, ${patients.givenName}, ${patients.id}) > (${family}, ${given}, ${id})`,
    );
  }
  const rows = await ctx.db
    .select({
      id: patients.id,
      siteId: patients.siteId,
      siteCode: sites.code,
      mrn: patients.mrn,
      givenName: patients.givenName,
      familyName: patients.familyName,
      birthDate: patients.birthDate,
      sex: patients.sex,
      postmenopausal: patients.postmenopausal,
      priority: sql<PatientListItem["priority"]>`coalesce(${patientState.priority}, 'none')`,
      openFlagCount: sql<number>`coalesce(${patientState.openFlagCount}, 0)::int`,
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
