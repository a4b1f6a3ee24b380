import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { boneRegistryQuerySchema } from "@/lib/api/bone-registry";
import { createPatientSchema } from "@/lib/api/patients";
import { exportBoneRegistryCsv, listBoneRegistry } from "@/lib/server/bone-registry";
import type { Ctx } from "@/lib/server/context";
import { createPatient } from "@/lib/server/patients";
import { recordVisit } from "@/lib/server/visits";
import { auditEventsWhere } from "../support/audit";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { expectOneRowExport } from "../support/registry-export";

const t = testDatabasePerFile();
let clinician: Ctx;
let care: Ctx;
let otherSite: Ctx;
const NOW = new Date("2026-11-26T12:00:00Z");
const ids = { treated: "", untreated: "" };
const bq = (raw: Record<string, string> = {}) => boneRegistryQuerySchema.parse(raw);

beforeAll(async () => {
  const world = await makeWorld(t.db);
  clinician = { db: t.db, actor: world.actor };
  care = { db: t.db, actor: await makeUser(t.db, "care_team", [world.siteId]) };
  otherSite = { db: t.db, actor: (await makeWorld(t.db, { role: "care_team" })).actor };
  for (const key of ["treated", "untreated"] as const) {
    const p = await createPatient(
      clinician,
      createPatientSchema.parse({
        siteId: world.siteId,
        mrn: `BR-${key}`,
        givenName: "Bo",
        familyName: key === "treated" ? "Treated" : "Untreated",
        birthDate: "1950-01-01",
        sex: "female",
      }),
      new Date("2024-06-01T08:00:00Z"),
    );
    ids[key] = p.id;
  }
  // Treated: osteoporosis on DXA in June 2024, a bisphosphonate since July 2024; seen again in
  // November 2026, when the DXA is more than two years old (the rules' DXA-due flag opens).
  await recordVisit(
    clinician,
    ids.treated,
    {
      occurredOn: "2024-06-01",
      observations: [{ kind: "bmd", site: "femoral_neck", tScore: -2.7 }],
    },
    new Date("2024-06-01T09:00:00Z"),
  );
  await recordVisit(
    clinician,
    ids.treated,
    {
      occurredOn: "2024-07-01",
      observations: [{ kind: "medication", class: "bisphosphonate", startedOn: "2024-07-01" }],
    },
    new Date("2024-07-01T09:00:00Z"),
  );
  await recordVisit(
    clinician,
    ids.treated,
    { occurredOn: "2026-11-20", observations: [{ kind: "phq9", items: phq9Items(2) }] },
    new Date("2026-11-20T09:00:00Z"),
  );
  // Untreated: 76 and never scanned (a DXA indication without a BMD).
  await recordVisit(
    clinician,
    ids.untreated,
    { occurredOn: "2026-11-20", observations: [{ kind: "phq9", items: phq9Items(2) }] },
    new Date("2026-11-20T10:00:00Z"),
  );
});

describe("bone registry", () => {
  it("lists each patient in bone care: the rules' DXA flag, latest DXA, treatment, follow-up DXA", async () => {
    const { items } = await listBoneRegistry(care, bq(), NOW);
    const treated = items.find((i) => i.patientId === ids.treated)!;
    expect(treated).toMatchObject({
      latestDxaOn: "2024-06-01",
      lowestTScore: -2.7,
      treatments: ["bisphosphonate"],
      treatmentStartedOn: "2024-07-01",
      adherenceNotedOn: null,
      followUpDxaDue: "2026-06-01",
      dxaDue: { code: "bone.dxa-due" },
    });
    const untreated = items.find((i) => i.patientId === ids.untreated)!;
    expect(untreated).toMatchObject({
      latestDxaOn: null,
      treatments: [],
      followUpDxaDue: null,
      dxaDue: { code: "bone.dxa-due" },
    });
    expect(untreated.dxaDue?.title).not.toBe("bone.dxa-due");
    const [audit] = await auditEventsWhere(t.db, eq(auditEvents.action, "worklist.bone-registry"));
    expect(audit).toBeDefined();
  });

  it("filters by treatment, sorts by follow-up DXA, and shows only the reader's sites", async () => {
    const on = await listBoneRegistry(care, bq({ show: "on-treatment" }), NOW);
    expect(on.items.map((i) => i.patientId)).toEqual([ids.treated]);
    const off = await listBoneRegistry(care, bq({ show: "untreated" }), NOW);
    expect(off.items.map((i) => i.patientId)).toEqual([ids.untreated]);
    const due = await listBoneRegistry(care, bq({ show: "dxa-due", sort: "follow-up" }), NOW);
    expect(due.items.map((i) => i.patientId)).toEqual([ids.treated, ids.untreated]);
    expect((await listBoneRegistry(otherSite, bq(), NOW)).items).toEqual([]);
    expect(boneRegistryQuerySchema.safeParse({ show: "everyone" }).success).toBe(false);
  });

  it("exports with flag names beside codes, adherence said to be unrecorded, and the context", async () => {
    expectOneRowExport(await exportBoneRegistryCsv(care, bq({ show: "on-treatment" }), NOW), {
      header: ["dxa_due_flag,dxa_due_flag_name"],
      row: [
        "bone.dxa-due,",
        "not recorded in the app",
        "show=on-treatment",
        "2026-11-26T12:00:00.000Z,UTC",
      ],
    });
  });
});
