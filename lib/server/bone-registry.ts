import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import {
  BONE_SHOW_LABEL,
  boneRegistryQuerySchema,
  type BoneRegistryItem,
  type BoneRegistryQuery,
} from "@/lib/api/bone-registry";
import { OSTEOPOROSIS_TREATMENT_CLASSES, type FlagCode } from "@/lib/clinical/constants";
import { boneCareStatus } from "@/lib/clinical/bone-registry";
import { getRule } from "@/lib/clinical/rules";
import type { Observation } from "@/lib/clinical/schemas";
import { assessPatient } from "./assessments";
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

/** The flags that say a DXA is due (the rules decide it, with their sources). */
const DXA_FLAGS = ["bone.fracture-followup-due", "bone.dxa-due"] as const;

interface MemberRow extends RegistryMemberRow {
  birth_date: string;
  sex: "female" | "male" | "other" | "unknown";
  postmenopausal: boolean | null;
}

function compare(query: BoneRegistryQuery): (a: BoneRegistryItem, b: BoneRegistryItem) => number {
  return registryOrder<BoneRegistryItem, BoneRegistryQuery["sort"]>(query, {
    // DXA due first (by the flag's due day), then the oldest DXA.
    dxa: (a, b) =>
      Number(b.dxaDue !== null) - Number(a.dxaDue !== null) ||
      nullsLast(a.dxaDue?.dueOn ?? null, b.dxaDue?.dueOn ?? null) ||
      nullsLast(a.latestDxaOn, b.latestDxaOn),
    treatment: (a, b) => nullsLast(a.treatmentStartedOn, b.treatmentStartedOn),
    "follow-up": (a, b) => nullsLast(a.followUpDxaDue, b.followUpDxaDue),
  });
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
 * Adherence is not recorded by the app, and is reported as such. Over REGISTRY_MAX_ROWS
 * patients is a 422. Audited.
 */
export async function listBoneRegistry(
  ctx: Ctx,
  query: BoneRegistryQuery = boneRegistryQuerySchema.parse({}),
  now: Date = new Date(),
  audit: string | null = "worklist.bone-registry",
): Promise<{ items: BoneRegistryItem[] }> {
  const today = todayIso(now);
  const members = await registryMembers<MemberRow>(ctx, query.site, "bone care", {
    care: (sites, limit) => sql`
      select f.patient_id from flags f join patients p on p.id = f.patient_id
      where f.code like 'bone.%' and p.site_id in (${sites})
      union
      select o.patient_id from observations o join patients p on p.id = o.patient_id
      where o.kind = 'medication' and o.entered_in_error_at is null
        and o.payload->>'class' in (${sql.join(
          OSTEOPOROSIS_TREATMENT_CLASSES.map((c) => sql`${c}`),
          sql`, `,
        )})
        and p.site_id in (${sites})
      limit ${limit}`,
    columns: sql`p.birth_date::text as birth_date, p.sex, p.postmenopausal,`,
  });
  if (!members) return { items: [] };
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
  const observationsOf = byPatient(observations, (o) => o.payload);
  const flagOf = new Map<string, { code: string; due_on: string | null }>();
  // The fracture follow-up outranks the routine DXA-due flag when both are open.
  for (const f of dxaFlags) {
    const seen = flagOf.get(f.patient_id);
    if (!seen || DXA_FLAGS.indexOf(f.code as never) < DXA_FLAGS.indexOf(seen.code as never))
      flagOf.set(f.patient_id, f);
  }
  return registryRead(
    ctx,
    audit,
    query,
    members
      .map((m): BoneRegistryItem => {
        const care = boneCareStatus({
          asOf: today,
          patient: assessPatient({
            birthDate: m.birth_date,
            sex: m.sex,
            postmenopausal: m.postmenopausal,
          }),
          observations: observationsOf.get(m.patient_id) ?? [],
        });
        const flag = flagOf.get(m.patient_id);
        return {
          ...registryPatient(m),
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
          ...registryContact(m),
        };
      })
      .filter((i) => shown(i, query.show))
      .sort(compare(query)),
  );
}

/** The bone registry as CSV, one patient a row, flag names beside codes, with the context; audited. */
export const exportBoneRegistryCsv = registryExport<BoneRegistryQuery, BoneRegistryItem>(
  listBoneRegistry,
  "worklist.bone-registry.export",
  (query, now) => ({
    ...query,
    show_name: BONE_SHOW_LABEL[query.show],
    as_of: todayIso(now),
  }),
  [
    ...PATIENT_CSV_COLUMNS,
    ["dxa_due_flag", (i) => i.dxaDue?.code ?? null],
    ["dxa_due_flag_name", (i) => i.dxaDue?.title ?? null],
    ["dxa_due_on", (i) => i.dxaDue?.dueOn ?? null],
    ["latest_dxa_on", (i) => i.latestDxaOn],
    ["lowest_t_score", (i) => i.lowestTScore],
    ["treatments", (i) => i.treatments.join("; ")],
    ["treatment_started_on", (i) => i.treatmentStartedOn],
    ["adherence_noted", () => "not recorded in the app"],
    ["follow_up_dxa_due", (i) => i.followUpDxaDue],
    ["last_contact_at", (i) => i.lastContactAt],
    ["next_contact_due", (i) => i.nextContactDue],
  ],
);
