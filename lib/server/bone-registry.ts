import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import {
  BONE_SHOW_LABEL,
  boneRegistryQuerySchema,
  type BoneRegistryItem,
  type BoneRegistryQuery,
} from "@/lib/api/bone-registry";
import { EXPORT_CONTEXT_COLUMNS, exportContext } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import { OSTEOPOROSIS_TREATMENT_CLASSES, type FlagCode } from "@/lib/clinical/constants";
import { boneCareStatus } from "@/lib/clinical/bone-registry";
import { getRule } from "@/lib/clinical/rules";
import type { Observation } from "@/lib/clinical/schemas";
import { assessPatient } from "./assessments";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { toCsv } from "./csv";
import { todayIso } from "./dates";

/** Most patients one bone registry list (or export) holds; more answers 422. */
export const BONE_REGISTRY_MAX_ROWS = 5000;

/** The flags that say a DXA is due (the rules decide it, with their sources). */
const DXA_FLAGS = ["bone.fracture-followup-due", "bone.dxa-due"] as const;

interface MemberRow extends Record<string, unknown> {
  patient_id: string;
  given_name: string;
  family_name: string;
  mrn: string;
  site_code: string;
  birth_date: string;
  sex: "female" | "male" | "other" | "unknown";
  postmenopausal: boolean | null;
  last_contact_at: string | null;
  next_due_on: string | null;
}

const uuidList = (values: readonly string[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}::uuid`),
    sql`, `,
  );

function compare(query: BoneRegistryQuery): (a: BoneRegistryItem, b: BoneRegistryItem) => number {
  // Missing dates sort last either way: an unknown is never "earliest".
  const nullsLast = (x: string | null, y: string | null) =>
    x === null ? (y === null ? 0 : 1) : y === null ? -1 : x < y ? -1 : x > y ? 1 : 0;
  const byName = (a: BoneRegistryItem, b: BoneRegistryItem) =>
    a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName);
  const sign = query.dir === "desc" ? -1 : 1;
  const key: Record<
    BoneRegistryQuery["sort"],
    (a: BoneRegistryItem, b: BoneRegistryItem) => number
  > = {
    name: byName,
    // DXA due first (by the flag's due day), then the oldest DXA.
    dxa: (a, b) =>
      Number(b.dxaDue !== null) - Number(a.dxaDue !== null) ||
      nullsLast(a.dxaDue?.dueOn ?? null, b.dxaDue?.dueOn ?? null) ||
      nullsLast(a.latestDxaOn, b.latestDxaOn),
    treatment: (a, b) => nullsLast(a.treatmentStartedOn, b.treatmentStartedOn),
    "follow-up": (a, b) => nullsLast(a.followUpDxaDue, b.followUpDxaDue),
  };
  return (a, b) =>
    sign * key[query.sort](a, b) || byName(a, b) || a.patientId.localeCompare(b.patientId);
}

function shown(item: BoneRegistryItem, show: BoneRegistryQuery["show"]): boolean {
  switch (show) {
    case "all":
      return true;
    case "dxa-due":
      return item.dxaDue !== null;
    case "on-treatment":
      return item.treatments.length > 0;
    case "untreated":
      return item.treatments.length === 0;
  }
}

/**
 * The bone registry: every patient of the actor's sites in bone care (a bone flag ever opened, or
 * an osteoporosis treatment recorded), with the rules' open DXA flag, the latest DXA, the active
 * treatment and its start, the follow-up DXA due on treatment, and the last and next contact.
 * Adherence is not recorded by the app, and is reported as such. Over BONE_REGISTRY_MAX_ROWS
 * patients is a 422. Audited.
 */
export async function listBoneRegistry(
  ctx: Ctx,
  query: BoneRegistryQuery = boneRegistryQuerySchema.parse({}),
  now: Date = new Date(),
  audit: string | null = "worklist.bone-registry",
): Promise<{ items: BoneRegistryItem[] }> {
  const siteIds = query.site
    ? ctx.actor.siteIds.filter((s) => s === query.site)
    : [...ctx.actor.siteIds];
  if (siteIds.length === 0) return { items: [] };
  const today = todayIso(now);
  const members = await queryRows<MemberRow>(
    ctx.db,
    sql`
      with care as (
        select f.patient_id from flags f join patients p on p.id = f.patient_id
        where f.code like 'bone.%' and p.site_id in (${uuidList(siteIds)})
        union
        select o.patient_id from observations o join patients p on p.id = o.patient_id
        where o.kind = 'medication' and o.entered_in_error_at is null
          and o.payload->>'class' in (${sql.join(
            OSTEOPOROSIS_TREATMENT_CLASSES.map((c) => sql`${c}`),
            sql`, `,
          )})
          and p.site_id in (${uuidList(siteIds)})
        limit ${BONE_REGISTRY_MAX_ROWS + 1}
      )
      select p.id::text as patient_id, p.given_name, p.family_name, p.mrn, s.code as site_code,
             p.birth_date::text as birth_date, p.sex, p.postmenopausal,
             to_json(lc.at) #>> '{}' as last_contact_at, lc.next_due_on::text as next_due_on
      from care join patients p on p.id = care.patient_id join sites s on s.id = p.site_id
      left join lateral (select c.at, c.next_due_on from patient_contacts c
        where c.patient_id = care.patient_id order by c.at desc limit 1) lc on true`,
  );
  if (members.length > BONE_REGISTRY_MAX_ROWS) {
    throw new AppError(
      "unprocessable",
      `More than ${BONE_REGISTRY_MAX_ROWS} patients are in bone care at these sites: choose one site.`,
      { extra: { limit: BONE_REGISTRY_MAX_ROWS } },
    );
  }
  const ids = members.map((m) => m.patient_id);
  const [observations, dxaFlags] = ids.length
    ? await Promise.all([
        queryRows<{ patient_id: string; payload: Observation }>(
          ctx.db,
          sql`select patient_id::text as patient_id, payload from observations
              where patient_id in (${uuidList(ids)}) and entered_in_error_at is null
                and kind in ('bmd', 'medication', 'fracture') and effective <= ${today}
              order by patient_id, effective, recorded_at`,
        ),
        queryRows<{ patient_id: string; code: string; due_on: string | null }>(
          ctx.db,
          sql`select patient_id::text as patient_id, code, due_on::text as due_on from flags
              where patient_id in (${uuidList(ids)}) and status <> 'resolved'
                and code in (${sql.join(
                  DXA_FLAGS.map((c) => sql`${c}`),
                  sql`, `,
                )})`,
        ),
      ])
    : [[], []];
  const byPatient = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byPatient.get(o.patient_id) ?? [];
    list.push(o.payload);
    byPatient.set(o.patient_id, list);
  }
  const flagOf = new Map<string, { code: string; due_on: string | null }>();
  // The fracture follow-up outranks the routine DXA-due flag when both are open.
  for (const f of dxaFlags) {
    const seen = flagOf.get(f.patient_id);
    if (!seen || DXA_FLAGS.indexOf(f.code as never) < DXA_FLAGS.indexOf(seen.code as never))
      flagOf.set(f.patient_id, f);
  }
  const items = members
    .map((m): BoneRegistryItem => {
      const care = boneCareStatus({
        asOf: today,
        patient: assessPatient({
          birthDate: m.birth_date,
          sex: m.sex,
          postmenopausal: m.postmenopausal,
        }),
        observations: byPatient.get(m.patient_id) ?? [],
      });
      const flag = flagOf.get(m.patient_id);
      return {
        patientId: m.patient_id,
        givenName: m.given_name,
        familyName: m.family_name,
        mrn: m.mrn,
        siteCode: m.site_code,
        dxaDue: flag
          ? {
              code: flag.code,
              title: getRule(flag.code as FlagCode)?.title ?? flag.code,
              dueOn: flag.due_on,
            }
          : null,
        latestDxaOn: care.latestDxaOn,
        lowestTScore: care.lowestTScore,
        treatments: care.treatments,
        treatmentStartedOn: care.treatmentStartedOn,
        adherenceNotedOn: null,
        followUpDxaDue: care.followUpDxaDue,
        lastContactAt: m.last_contact_at ? new Date(m.last_contact_at).toISOString() : null,
        nextContactDue: m.next_due_on,
      };
    })
    .filter((i) => shown(i, query.show))
    .sort(compare(query));
  if (audit) {
    await recordAudit(ctx.db, ctx.actor, {
      action: audit,
      detail: { count: items.length, filters: query },
    });
  }
  return { items };
}

/** The bone registry as CSV, one patient a row, flag names beside codes, with the context; audited. */
export async function exportBoneRegistryCsv(
  ctx: Ctx,
  query: BoneRegistryQuery,
  now: Date = new Date(),
): Promise<{ csv: string; rows: number }> {
  const { items } = await listBoneRegistry(ctx, query, now, null);
  const context = exportContext(
    { ...query, show_name: BONE_SHOW_LABEL[query.show], as_of: todayIso(now) },
    now,
  );
  const csv = toCsv([
    [
      "family_name",
      "given_name",
      "mrn",
      "site",
      "dxa_due_flag",
      "dxa_due_flag_name",
      "dxa_due_on",
      "latest_dxa_on",
      "lowest_t_score",
      "treatments",
      "treatment_started_on",
      "adherence_noted",
      "follow_up_dxa_due",
      "last_contact_at",
      "next_contact_due",
      ...EXPORT_CONTEXT_COLUMNS,
    ],
    ...items.map((i) => [
      i.familyName,
      i.givenName,
      i.mrn,
      i.siteCode,
      i.dxaDue?.code ?? null,
      i.dxaDue?.title ?? null,
      i.dxaDue?.dueOn ?? null,
      i.latestDxaOn,
      i.lowestTScore,
      i.treatments.join("; "),
      i.treatmentStartedOn,
      "not recorded in the app",
      i.followUpDxaDue,
      i.lastContactAt,
      i.nextContactDue,
      ...context,
    ]),
  ]);
  await recordAudit(ctx.db, ctx.actor, {
    action: "worklist.bone-registry.export",
    detail: { rows: items.length, filters: query },
  });
  return { csv, rows: items.length };
}
