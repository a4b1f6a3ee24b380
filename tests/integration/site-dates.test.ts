import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assessments, auditEvents, flags, patientState } from "@/db/schema";
import { updateSiteSchema } from "@/lib/api/sites";
import { reassessAgedPatients } from "@/lib/server/reassess";
import { listSiteZones, siteToday, updateSite } from "@/lib/server/sites";
import { recordVisit } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";

/*
 * "Today" is the clinic's date. One moment, two clinics: 23:30 on 6 December in New York is
 * 04:30 UTC on the 7th; 08:00 on 7 December in Sydney (daylight time, UTC+11) is 21:00 UTC on the
 * 6th. Neither clinic's date is the UTC date.
 */
const NY_2330 = new Date("2026-12-07T04:30:00Z");
const SYDNEY_0800 = new Date("2026-12-06T21:00:00Z");

const t = testDatabasePerFile();
let ny: Awaited<ReturnType<typeof makeWorld>>;
let sydney: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ny = await makeWorld(t.db);
  sydney = await makeWorld(t.db);
  const admin = await makeUser(t.db, "admin", []);
  const ctx = { db: t.db, actor: admin };
  await updateSite(ctx, ny.siteId, { timeZone: "America/New_York" });
  await updateSite(ctx, sydney.siteId, { timeZone: "Australia/Sydney" });
});

describe("each site's own date", () => {
  it("is the site's calendar date, not the UTC date", async () => {
    expect(await siteToday(t.db, ny.siteId, NY_2330)).toBe("2026-12-06");
    expect(await siteToday(t.db, sydney.siteId, SYDNEY_0800)).toBe("2026-12-07");
  });

  it("lists the sites with their zones and audits a change; an unknown zone is refused", async () => {
    const listed = await listSiteZones(t.db, [ny.siteId, sydney.siteId]);
    expect(listed.map((s) => s.timeZone).sort()).toEqual(["America/New_York", "Australia/Sydney"]);
    const changes = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "sites.update"),
      eq(auditEvents.entityId, ny.siteId),
    );
    expect(changes[0]?.detail).toEqual({ timeZone: { from: null, to: "America/New_York" } });
    expect(updateSiteSchema.safeParse({ timeZone: "Mars/Olympus_Mons" }).success).toBe(false);
    expect(updateSiteSchema.safeParse({ timeZone: "Europe/Berlin" }).success).toBe(true);
  });

  it("dates a visit by the clinic's calendar: New York at 23:30 may not record tomorrow", async () => {
    const ctx = { db: t.db, actor: ny.actor };
    const visit = {
      occurredOn: "2026-12-07",
      observations: [{ kind: "phq9", items: phq9Items(12, 1) }],
    };
    await expect(recordVisit(ctx, ny.patientId, visit, NY_2330)).rejects.toMatchObject({
      kind: "unprocessable",
    });
    const saved = await recordVisit(
      ctx,
      ny.patientId,
      { ...visit, occurredOn: "2026-12-06" },
      NY_2330,
    );
    expect(saved.visit.occurredOn).toBe("2026-12-06");
    // Due dates count from the site's today (a critical flag is due the same day).
    const [critical] = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, ny.patientId), eq(flags.code, "safety.suicide-risk")));
    expect(critical?.dueOn).toBe("2026-12-06");
  });

  it("Sydney at 08:00 records today, the 7th, while the UTC date is still the 6th", async () => {
    const saved = await recordVisit(
      { db: t.db, actor: sydney.actor },
      sydney.patientId,
      { occurredOn: "2026-12-07", observations: [{ kind: "phq9", items: phq9Items(12, 1) }] },
      SYDNEY_0800,
    );
    expect(saved.assessment.asOf).toBe("2026-12-07");
    const [critical] = await t.db
      .select()
      .from(flags)
      .where(and(eq(flags.patientId, sydney.patientId), eq(flags.code, "safety.suicide-risk")));
    expect(critical?.dueOn).toBe("2026-12-07");
  });

  it("the re-assessment job assesses each patient as of its site's today", async () => {
    // Late on the 7th in New York (UTC: the 8th), early on the 8th in Sydney.
    const now = new Date("2026-12-07T20:00:00Z");
    const run = await reassessAgedPatients(t.db, null, now);
    expect(run.reassessed).toBeGreaterThanOrEqual(2);
    const asOfOf = async (patientId: string) => {
      const [row] = await t.db
        .select({ asOf: assessments.asOf })
        .from(patientState)
        .innerJoin(assessments, eq(assessments.id, patientState.lastAssessmentId))
        .where(eq(patientState.patientId, patientId));
      return row?.asOf;
    };
    expect(await asOfOf(ny.patientId)).toBe("2026-12-07");
    expect(await asOfOf(sydney.patientId)).toBe("2026-12-08");
    // Run again at the same moment: nothing left to do.
    expect((await reassessAgedPatients(t.db, null, now)).reassessed).toBe(0);
  });
});
