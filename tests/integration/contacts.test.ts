import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { createContactSchema } from "@/lib/api/contacts";
import { createPatientSchema } from "@/lib/api/patients";
import { worklistQuerySchema } from "@/lib/api/worklist";
import type { Ctx } from "@/lib/server/context";
import { listContacts, logContact } from "@/lib/server/contacts";
import { createPatient, getPatientDetail } from "@/lib/server/patients";
import { recordVisit } from "@/lib/server/visits";
import { exportWorklistCsv, listWorklist } from "@/lib/server/worklist";
import { exportTreatToTargetCsv, listTreatToTarget } from "@/lib/server/treat-to-target";
import { treatToTargetQuerySchema } from "@/lib/api/treat-to-target";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { expectOneRowExport } from "../support/registry-export";
import { auditEventsWhere } from "../support/audit";

const t = testDatabasePerFile();
let clinician: Ctx;
let care: Ctx;
let otherSite: Ctx;
let siteId: string;
const NOW = new Date("2026-11-26T12:00:00Z");
const contact = (raw: Record<string, unknown>) => createContactSchema.parse(raw);
/** Two patients of the same priority (PHQ-9 12): `older` has the older flag. */
const ids = { older: "", newer: "" };

beforeAll(async () => {
  const world = await makeWorld(t.db);
  siteId = world.siteId;
  clinician = { db: t.db, actor: world.actor };
  care = { db: t.db, actor: await makeUser(t.db, "care_team", [siteId]) };
  otherSite = { db: t.db, actor: (await makeWorld(t.db, { role: "care_team" })).actor };
  for (const [key, mrn, day] of [
    ["older", "CT-1", "2026-10-01"],
    ["newer", "CT-2", "2026-11-01"],
  ] as const) {
    const p = await createPatient(
      clinician,
      createPatientSchema.parse({
        siteId,
        mrn,
        givenName: "Pat",
        familyName: key === "older" ? "Older" : "Newer",
        birthDate: "1950-01-01",
        sex: "female",
        phones: [{ use: "mobile", value: "+1 555 0100" }],
        preferredContactTime: "Mornings",
        language: "Español",
      }),
      new Date(`${day}T08:00:00Z`),
    );
    ids[key] = p.id;
    await recordVisit(
      clinician,
      p.id,
      { occurredOn: day, observations: [{ kind: "phq9", items: phq9Items(12) }] },
      new Date(`${day}T09:00:00Z`),
    );
  }
});

describe("patient contact details", () => {
  it("keeps phones, preferred contact time and language from registration", async () => {
    const detail = await getPatientDetail(care, ids.older);
    expect(detail.patient.phones).toEqual([{ use: "mobile", value: "+1 555 0100" }]);
    expect(detail.patient.preferredContactTime).toBe("Mornings");
    expect(detail.patient.language).toBe("Español");
  });

  it("refuses a phone number that is not one", () => {
    const parsed = createPatientSchema.safeParse({
      siteId,
      mrn: "X",
      givenName: "A",
      familyName: "B",
      birthDate: "1950-01-01",
      sex: "female",
      phones: [{ use: "mobile", value: "call me" }],
    });
    expect(parsed.success).toBe(false);
  });
});

describe("contact log", () => {
  it("logs a contact, sets the next one due from the priority and audits it without the note", async () => {
    const first = await logContact(
      care,
      ids.newer,
      contact({ kind: "call", outcome: "reached", note: "Feeling a bit better" }),
      new Date("2026-11-10T15:00:00Z"),
    );
    // Medium priority: the next contact two weeks later.
    expect(first).toMatchObject({
      kind: "call",
      outcome: "reached",
      note: "Feeling a bit better",
      at: "2026-11-10T15:00:00.000Z",
      nextDueOn: "2026-11-24",
      by: care.actor.name,
    });
    const audit = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "contacts.create"),
      eq(auditEvents.patientId, ids.newer),
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.detail)).not.toContain("better");
  });

  it("lists contacts newest first, with who logged them", async () => {
    await logContact(
      clinician,
      ids.newer,
      contact({ kind: "message", outcome: "left-message" }),
      new Date("2026-11-12T10:00:00Z"),
    );
    const list = await listContacts(care, ids.newer);
    expect(list.items.map((c) => c.kind)).toEqual(["message", "call"]);
    expect(list.items[0]).toMatchObject({ by: clinician.actor.name, nextDueOn: "2026-11-14" });
  });

  it("takes a chosen next day, but not one before today", async () => {
    const chosen = await logContact(
      care,
      ids.older,
      contact({ kind: "visit", outcome: "reached", nextDueOn: "2027-01-05" }),
      NOW,
    );
    expect(chosen.nextDueOn).toBe("2027-01-05");
    await expect(
      logContact(
        care,
        ids.older,
        contact({ kind: "call", outcome: "reached", nextDueOn: "2026-11-01" }),
        NOW,
      ),
    ).rejects.toMatchObject({ kind: "unprocessable" });
  });

  it("answers not found for a patient of another site", async () => {
    await expect(listContacts(otherSite, ids.older)).rejects.toMatchObject({ kind: "not-found" });
    await expect(
      logContact(otherSite, ids.older, contact({ kind: "call", outcome: "no-answer" })),
    ).rejects.toMatchObject({ kind: "not-found" });
  });
});

describe("worklist contacts", () => {
  const q = (raw: Record<string, string> = {}) => worklistQuerySchema.parse(raw);

  it("shows the last and next contact of each patient", async () => {
    const page = await listWorklist(care, q(), NOW, false);
    const newer = page.items.find((i) => i.patientId === ids.newer)!;
    expect(newer.lastContactAt).toBe("2026-11-12T10:00:00.000Z");
    expect(newer.nextContactDue).toBe("2026-11-14");
    const older = page.items.find((i) => i.patientId === ids.older)!;
    expect(older.nextContactDue).toBe("2027-01-05");
  });

  it("puts overdue contacts first within a priority with ?sort=contact, page by page", async () => {
    const byPriority = await listWorklist(care, q(), NOW, false);
    expect(byPriority.items.map((i) => i.patientId)).toEqual([ids.older, ids.newer]);
    const byContact = await listWorklist(care, q({ sort: "contact" }), NOW, false);
    expect(byContact.items.map((i) => i.patientId)).toEqual([ids.newer, ids.older]);
    const first = await listWorklist(care, q({ sort: "contact", limit: "1" }), NOW, false);
    expect(first.items.map((i) => i.patientId)).toEqual([ids.newer]);
    const second = await listWorklist(
      care,
      q({ sort: "contact", limit: "1", cursor: first.nextCursor! }),
      NOW,
      false,
    );
    expect(second.items.map((i) => i.patientId)).toEqual([ids.older]);
    expect(second.nextCursor).toBeNull();
  });

  it("exports the last and next contact", async () => {
    const { csv } = await exportWorklistCsv(care, q(), NOW);
    expect(csv).toContain("next_contact_due");
    expect(csv).toContain("2026-11-14");
  });
});

describe("treat to target", () => {
  const tq = (raw: Record<string, string> = {}) => treatToTargetQuerySchema.parse(raw);

  it("lists each patient in depression care with baseline, latest, change, weeks and status", async () => {
    // Older: PHQ-9 12 on 1 Oct, then 5 on 20 Nov (a fall of more than half: response).
    await recordVisit(
      clinician,
      ids.older,
      { occurredOn: "2026-11-20", observations: [{ kind: "phq9", items: phq9Items(5) }] },
      new Date("2026-11-20T09:00:00Z"),
    );
    const { items } = await listTreatToTarget(care, tq(), NOW);
    const older = items.find((i) => i.patientId === ids.older)!;
    expect(older).toMatchObject({
      baselinePhq9: 12,
      baselineOn: "2026-10-01",
      latestPhq9: 5,
      latestOn: "2026-11-20",
      changePoints: -7,
      changePercent: -58,
      weeksInCare: 8,
      status: "response",
      nextContactDue: "2027-01-05",
      psychiatricConsultation: false,
    });
    const newer = items.find((i) => i.patientId === ids.newer)!;
    expect(newer).toMatchObject({ baselinePhq9: 12, latestPhq9: 12, status: "in-progress" });
    expect(newer.lastContactAt).toBe("2026-11-12T10:00:00.000Z");
  });

  it("filters by status and sorts by change either way", async () => {
    const response = await listTreatToTarget(care, tq({ status: "response" }), NOW);
    expect(response.items.map((i) => i.patientId)).toEqual([ids.older]);
    const asc = await listTreatToTarget(care, tq({ sort: "change" }), NOW);
    expect(asc.items.map((i) => i.patientId)).toEqual([ids.older, ids.newer]);
    const desc = await listTreatToTarget(care, tq({ sort: "change", dir: "desc" }), NOW);
    expect(desc.items.map((i) => i.patientId)).toEqual([ids.newer, ids.older]);
    expect((await listTreatToTarget(otherSite, tq(), NOW)).items).toEqual([]);
  });

  it("exports the list with names beside codes and the filters and time on each row", async () => {
    expectOneRowExport(await exportTreatToTargetCsv(care, tq({ status: "response" }), NOW), {
      header: ["status,status_name"],
      row: ["response,Response", "status=response", "2026-11-26T12:00:00.000Z,UTC"],
    });
  });
});
