import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, patients } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/server/context";
import {
  createPatient,
  getPatientDetail,
  listObservations,
  listPatients,
} from "@/lib/server/patients";
import { findUserByEmail } from "@/lib/server/users";
import { recordVisit } from "@/lib/server/visits";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { seedDemoPatients } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

let t: TestDatabase;
let siteIds: Record<string, string>;
let clinicianId = "";
const actor = (sites: string[]): Actor => ({
  userId: clinicianId,
  email: "t@example.org",
  name: "Test",
  role: "clinician",
  siteIds: sites,
  ip: null,
  userAgent: null,
});

/** Registering a woman at the north site: MRN, [given, family] name, birth date, postmenopausal. */
const registration = (
  mrn: string,
  [givenName, familyName]: [string, string],
  birthDate: string,
  postmenopausal: boolean | null,
) => ({
  siteId: siteIds.north!,
  mrn,
  givenName,
  familyName,
  birthDate,
  sex: "female" as const,
  postmenopausal,
});

beforeAll(async () => {
  t = await createTestDatabase();
  const seeded = await seedDemoPatients(t.db, 120);
  siteIds = seeded.siteIds;
  clinicianId = (await findUserByEmail(t.db, "clinician@example.org"))!.id;
});
afterAll(async () => {
  await t?.dispose();
});

describe("listPatients", () => {
  it("pages through every patient of the actor's sites exactly once, in name order", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!, siteIds.river!]) };
    const seen: string[] = [];
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPatients(ctx, { limit: 17, cursor });
      seen.push(...page.items.map((p) => p.id));
      names.push(...page.items.map((p) => `${p.familyName}\u0000${p.givenName}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
  });

  it("pages exactly like one sort of every patient by name and id, ties across sites included", async () => {
    // Namesakes at both sites: the pages merged from each site's index walk keep the id order.
    for (const [i, site] of [siteIds.north!, siteIds.river!, siteIds.north!].entries()) {
      await t.db.insert(patients).values({
        siteId: site,
        mrn: `TIE-${i}`,
        givenName: "Sam",
        familyName: "Namesake",
        birthDate: "1960-01-01",
        sex: "female",
      });
    }
    const both = [siteIds.north!, siteIds.river!];
    const expected = (
      await t.db
        .select({ id: patients.id })
        .from(patients)
        .where(inArray(patients.siteId, both))
        .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.id))
    ).map((r) => r.id);
    for (const limit of [1, 7, 50]) {
      const ctx = { db: t.db, actor: actor(both) };
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listPatients(ctx, { limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
    const north = await listPatients(
      { db: t.db, actor: actor(both) },
      { limit: 500, siteId: siteIds.north },
    );
    expect(north.items.map((p) => p.id)).toEqual(
      expected.filter((id) => north.items.some((p) => p.id === id)),
    );
    expect(north.items.every((p) => p.siteId === siteIds.north)).toBe(true);
  });

  it("shows only the actor's sites", async () => {
    const north = await listPatients({ db: t.db, actor: actor([siteIds.north!]) }, { limit: 100 });
    expect(north.items.length).toBeGreaterThan(0);
    expect(north.items.every((p) => p.siteId === siteIds.north)).toBe(true);
    const none = await listPatients({ db: t.db, actor: actor([]) }, { limit: 100 });
    expect(none.items).toEqual([]);
    const other = await listPatients(
      { db: t.db, actor: actor([siteIds.north!]) },
      { limit: 100, siteId: siteIds.river },
    );
    expect(other.items).toEqual([]);
  });

  it("searches by name prefix, MRN and birth date", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!, siteIds.river!]) };
    const [p] = await t.db.select().from(patients).limit(1);
    const byFamily = await listPatients(ctx, {
      limit: 100,
      q: p!.familyName.slice(0, 3).toLowerCase(),
    });
    expect(byFamily.items.map((i) => i.id)).toContain(p!.id);
    const byMrn = await listPatients(ctx, { limit: 100, q: p!.mrn });
    expect(byMrn.items.map((i) => i.id)).toEqual([p!.id]);
    const byMrnLower = await listPatients(ctx, { limit: 100, q: p!.mrn.toLowerCase() });
    expect(byMrnLower.items.map((i) => i.id)).toEqual([p!.id]);
    const byBirth = await listPatients(ctx, { limit: 100, q: p!.birthDate });
    expect(byBirth.items.every((i) => i.birthDate === p!.birthDate)).toBe(true);
    const byBoth = await listPatients(ctx, { limit: 100, q: `${p!.givenName} ${p!.familyName}` });
    expect(byBoth.items.map((i) => i.id)).toContain(p!.id);
    const wildcard = await listPatients(ctx, { limit: 100, q: "%" });
    expect(wildcard.items).toEqual([]);
  });

  it("rejects a forged cursor with a 400", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!]) };
    await expect(listPatients(ctx, { limit: 10, cursor: "not-a-cursor" })).rejects.toMatchObject({
      kind: "bad-request",
    });
    await expect(listPatients(ctx, { limit: 10, cursor: "not-a-cursor" })).rejects.toBeInstanceOf(
      AppError,
    );
  });

  it("audits each list without names", async () => {
    const rows = await auditEventsWhere(t.db, eq(auditEvents.action, "patients.list"));
    expect(rows.length).toBeGreaterThan(0);
    const [p] = await t.db.select().from(patients).limit(1);
    expect(JSON.stringify(rows)).not.toContain(p!.familyName);
  });
});

describe("patient registration and detail", () => {
  it("registers a patient, refuses a duplicate MRN with 409 at the mrn field, and another site with 422", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!]) };
    const input = registration("NEW-1", ["Nora", "Newcomer"], "1949-05-05", true);
    const created = await createPatient(ctx, input);
    expect(created).toMatchObject({ mrn: "NEW-1", siteCode: "north", postmenopausal: true });
    await expect(createPatient(ctx, input)).rejects.toMatchObject({
      kind: "conflict",
      details: { errors: [expect.objectContaining({ path: "mrn" })] },
    });
    await expect(
      createPatient(ctx, { ...input, mrn: "NEW-2", siteId: siteIds.river! }),
    ).rejects.toMatchObject({
      kind: "unprocessable",
    });
    const audit = await auditEventsWhere(t.db, eq(auditEvents.action, "patients.create"));
    expect(audit.map((a) => a.patientId)).toContain(created.id);
  });

  it("asks before registering a second patient of the same name and birth date at a site", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!, siteIds.river!]) };
    const input = registration("TWIN-1", ["Dora", "Double"], "1944-04-04", true);
    const first = await createPatient(ctx, input);
    // Another MRN, the same person by name (any case) and birth date: 409 naming the match.
    const again = { ...input, mrn: "TWIN-2", givenName: "DORA", familyName: "double" };
    const refused = await createPatient(ctx, again).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      kind: "conflict",
      details: {
        extra: {
          duplicateOf: {
            id: first.id,
            mrn: "TWIN-1",
            givenName: "Dora",
            familyName: "Double",
            birthDate: "1944-04-04",
          },
        },
      },
    });
    expect(await t.db.select().from(patients).where(eq(patients.mrn, "TWIN-2"))).toHaveLength(0);
    // Showing the match is a read of that patient: audited.
    const shown = await auditEventsWhere(t.db, eq(auditEvents.action, "patients.duplicate-found"));
    expect(shown.map((a) => a.patientId)).toContain(first.id);
    // Confirmed, it is registered (and the audit says it was confirmed).
    const second = await createPatient(ctx, { ...again, confirmDuplicate: true });
    expect(second).toMatchObject({ mrn: "TWIN-2", givenName: "DORA" });
    expect(second).not.toHaveProperty("confirmDuplicate");
    const [created] = await auditEventsWhere(t.db, eq(auditEvents.entityId, second.id));
    expect(created).toMatchObject({
      action: "patients.create",
      detail: { confirmedDuplicate: true },
    });
    // Another birth date, or another site, is no match.
    await expect(
      createPatient(ctx, { ...input, mrn: "TWIN-3", birthDate: "1944-04-05" }),
    ).resolves.toMatchObject({ mrn: "TWIN-3" });
    await expect(
      createPatient(ctx, { ...input, mrn: "TWIN-4", siteId: siteIds.river! }),
    ).resolves.toMatchObject({ mrn: "TWIN-4" });
  });

  it("refuses a birth date after today at the site", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!]) };
    const input = registration("BABY-1", ["Bea", "Born"], "2026-12-08", null);
    await expect(createPatient(ctx, input, new Date("2026-12-07T12:00:00Z"))).rejects.toMatchObject(
      { kind: "unprocessable" },
    );
    await expect(
      createPatient(ctx, { ...input, birthDate: "2026-12-07" }, new Date("2026-12-07T12:00:00Z")),
    ).resolves.toMatchObject({ mrn: "BABY-1" });
  });

  it("shows detail with open flags and their rationale, and hides other sites' patients", async () => {
    const ctx = { db: t.db, actor: actor([siteIds.north!]) };
    const [p] = await t.db
      .select()
      .from(patients)
      .where(eq(patients.siteId, siteIds.north!))
      .limit(1);
    await recordVisit(ctx, p!.id, {
      occurredOn: "2026-11-20",
      observations: [{ kind: "phq9", items: [3, 3, 3, 3, 0, 0, 0, 0, 0] }],
    });
    const detail = await getPatientDetail(ctx, p!.id);
    expect(detail.latestAssessment?.priority).toBe("medium");
    const positive = detail.openFlags.find((f) => f.code === "depression.positive");
    expect(positive).toMatchObject({ status: "open", firing: true, version: 1 });
    expect(positive?.detail?.rationale).toMatch(/PHQ-9 12/);
    const obs = await listObservations(ctx, p!.id, { includeRetracted: false });
    expect(obs.items[0]).toMatchObject({ kind: "phq9", effective: "2026-11-20" });
    const [other] = await t.db
      .select()
      .from(patients)
      .where(eq(patients.siteId, siteIds.river!))
      .limit(1);
    await expect(getPatientDetail(ctx, other!.id)).rejects.toMatchObject({ kind: "not-found" });
    await expect(
      listObservations(ctx, other!.id, { includeRetracted: false }),
    ).rejects.toMatchObject({ kind: "not-found" });
    const reads = await auditEventsWhere(t.db, eq(auditEvents.action, "patients.read"));
    expect(reads.some((r) => r.patientId === p!.id)).toBe(true);
  });
});
