import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assessments, auditEvents, flags, patientState, sites } from "@/db/schema";
import { mrnSystem, type FhirPatient } from "@/lib/fhir";
import { handlePatientView } from "@/lib/server/cds";
import { importTransaction } from "@/lib/server/fhir";
import { auditQuerySchema } from "@/lib/api/audit";
import { updateSiteSchema } from "@/lib/api/sites";
import { listAuditEvents } from "@/lib/server/audit-log";
import { reassessAgedPatients } from "@/lib/server/reassess";
import { listSiteZones, siteToday, updateSite } from "@/lib/server/sites";
import { recordVisit } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { auditEventsWhere } from "../support/audit";
import { usCorePrefetch, usCoreTransaction } from "../fixtures/us-core";
import { hookRequest } from "../support/cds-hook";

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
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  ny = await makeWorld(t.db);
  sydney = await makeWorld(t.db);
  admin = await makeUser(t.db, "admin", []);
  const ctx = { db: t.db, actor: admin };
  await updateSite(ctx, ny.siteId, { timeZone: "America/New_York" });
  await updateSite(ctx, sydney.siteId, { timeZone: "Australia/Sydney" });
});

/** When the patient's suicide-risk flag is due. */
async function suicideRiskDueOn(patientId: string) {
  const [critical] = await t.db
    .select({ dueOn: flags.dueOn })
    .from(flags)
    .where(and(eq(flags.patientId, patientId), eq(flags.code, "safety.suicide-risk")));
  return critical?.dueOn;
}

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
    expect(await suicideRiskDueOn(ny.patientId)).toBe("2026-12-06");
  });

  it("Sydney at 08:00 records today, the 7th, while the UTC date is still the 6th", async () => {
    const saved = await recordVisit(
      { db: t.db, actor: sydney.actor },
      sydney.patientId,
      { occurredOn: "2026-12-07", observations: [{ kind: "phq9", items: phq9Items(12, 1) }] },
      SYDNEY_0800,
    );
    expect(saved.assessment.asOf).toBe("2026-12-07");
    expect(await suicideRiskDueOn(sydney.patientId)).toBe("2026-12-07");
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

describe("the CDS service's as-of date", () => {
  /** The US Core prefetch for a patient of `siteId`, every result dated the 7th of December. */
  async function prefetchAt(siteId: string): Promise<Record<string, unknown>> {
    const [site] = await t.db.select().from(sites).where(eq(sites.id, siteId));
    const prefetch = usCorePrefetch();
    (prefetch.patient as FhirPatient).identifier = [
      { system: mrnSystem(site!.code), value: "CDS-ZONE-1" },
    ];
    const dated = JSON.stringify(prefetch.observations).replace(
      /"effectiveDateTime":"[^"]*"/g,
      '"effectiveDateTime":"2026-12-07"',
    );
    return { ...prefetch, observations: JSON.parse(dated) as unknown };
  }

  async function cardsAt(siteId: string, now: Date) {
    const result = await handlePatientView(
      t.db,
      hookRequest({ prefetch: await prefetchAt(siteId) }),
      { clientIss: "test", baseUrl: "http://localhost:3999", now },
    );
    if (result.status !== "ok") throw new Error("expected cards");
    return result.cards;
  }

  it("is the New York site's date at 23:30 there: a result of the 7th is not yet usable", async () => {
    const cards = await cardsAt(ny.siteId, NY_2330);
    expect(cards.some((c) => c.source.topic?.code === "depression.positive")).toBe(false);
    expect(cards.map((c) => c.detail ?? "").join(" ")).toMatch(/dated 2026-12-07 is in the future/);
  });

  it("is the Sydney site's date at 08:00 there: a result of the 7th is today's", async () => {
    const cards = await cardsAt(sydney.siteId, SYDNEY_0800);
    expect(cards.some((c) => c.source.topic?.code === "depression.positive")).toBe(true);
    expect(cards.map((c) => c.detail ?? "").join(" ")).not.toMatch(/in the future/);
  });
});

describe("times shown to people", () => {
  it("are in the patient's site's zone in the audit log, else the deployment's", async () => {
    const page = await listAuditEvents(
      { db: t.db, actor: admin },
      auditQuerySchema.parse({ patient: ny.patientId, limit: "100" }),
    );
    expect(page.items.length).toBeGreaterThan(0);
    expect(new Set(page.items.map((e) => e.timeZone))).toEqual(new Set(["America/New_York"]));
    const siteChanges = await listAuditEvents(
      { db: t.db, actor: admin },
      auditQuerySchema.parse({ action: "sites.update", limit: "100" }),
    );
    // A site change concerns no patient: the deployment's zone (UTC unless set).
    expect(siteChanges.items.map((e) => e.timeZone)).toContain("UTC");
  });
});

describe("a FHIR import that corrects a result", () => {
  it("re-assesses as of today at the patient's site: the 6th in New York at 23:30", async () => {
    const [site] = await t.db.select().from(sites).where(eq(sites.id, ny.siteId));
    const bundle = (tScore: number) => {
      const b = usCoreTransaction({ withReport: false });
      for (const entry of b.entry ?? []) {
        const resource = entry.resource as unknown as Record<string, unknown>;
        if (resource.resourceType === "Patient") {
          resource.identifier = [{ system: mrnSystem(site!.code), value: "FHIR-NY-1" }];
        }
        if (resource.id === "dxa-hip-l-t-score-bmd") {
          (resource.valueQuantity as { value: number }).value = tScore;
        }
      }
      return b;
    };
    const ctx = { db: t.db, actor: ny.actor };
    const first = await importTransaction(ctx, bundle(-2.1), {}, NY_2330);
    const corrected = await importTransaction(ctx, bundle(-2.9), {}, NY_2330);
    expect(corrected.patientId).toBe(first.patientId);
    const [stored] = await t.db
      .select({ asOf: assessments.asOf })
      .from(patientState)
      .innerJoin(assessments, eq(assessments.id, patientState.lastAssessmentId))
      .where(eq(patientState.patientId, first.patientId));
    expect(stored?.asOf).toBe("2026-12-06");
  });
});
