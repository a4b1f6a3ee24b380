import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ASSESSMENT_FLAG_BITS,
  assessments,
  auditEvents,
  flags,
  observations,
  patients,
} from "@/db/schema";
import {
  COMPLEMENT_MARKER,
  type QualityMetric,
  type QualityMetricsResponse,
} from "@/lib/api/quality";
import { FLAG_CODES, RULESET_VERSION, type Observation } from "@/lib/clinical";
import type { Actor, Ctx } from "@/lib/server/context";
import {
  exportQualityMetric,
  getQualityMetrics,
  PREVALENCE,
  prevalenceBits,
  SMALL_CELL_THRESHOLD,
} from "@/lib/server/quality";
import { recordVisit, retractObservation } from "@/lib/server/visits";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";
import { auditEventsWhere, deniedAuditEvents } from "../support/audit";

/*
 * A hand-made cohort where every expected number is worked out below. The period is the default:
 * 2025-11-26 to 2026-11-26 (NOW). Ages are on 2026-11-26.
 *
 * Site A:
 *  G1 12 women 76: 2026-06-01 PHQ-9 14, femoral neck T −2.7 (osteoporosis) → depression.positive
 *     (moderate), bone.osteoporosis, comorbidity.bone-brain. Their depression flags: acknowledged
 *     after 2 days (6) or 4 days (6), resolved "treated" after 10 days.
 *  G2 22 men 81: 2025-12-01 PHQ-9 20 (index); 2026-05-01 PHQ-9 4 (11 "a") or 15 (11 "b").
 *     "a": response and remission, depression flag auto-resolved (no-longer-met). "b": neither;
 *     their depression flags (high) acknowledged after 12 hours, resolved "referred" after 20 days.
 *  G3 11 women 74: 2026-02-01 fragility wrist fracture of 2026-01-10, femoral neck T −2.0,
 *     bisphosphonate, PHQ-9 3 → DXA and treatment within the windows; osteopenia.
 *  G4 11 women 74: 2026-02-01 fragility wrist fracture of 2026-01-10, PHQ-9 3, a DXA (T −1.2)
 *     later marked entered in error (retracted on NOW) → no DXA, no treatment.
 *  G5 11 women 71: 2026-03-01 incomplete PHQ-9 and total hip T −1.5 (osteopenia): not screened;
 *     2026-10-05 a fragility fracture of 2026-10-01 (within the last 12 weeks: not yet due).
 *  G6 11 women 60: 2026-04-01 PHQ-9 12 with item 9 = 1 (critical suicide risk, acknowledged after
 *     6 hours), femoral neck T −1.8 (osteopenia).
 *  G7 11 men 67: 2026-04-01 PHQ-9 2 and a fracture that is not a fragility fracture.
 *  G8 3 women 76: 2026-07-01 PHQ-9 22, femoral neck T −3.0, fragility hip fracture of 2026-06-15
 *     → severe osteoporosis; a small cell.
 *  plus one patient from makeWorld with no visit at all (in scope, in no metric).
 * Site B: 11 women 76 with PHQ-9 14 on 2026-06-01 (only for users of site B).
 */

const t = testDatabasePerFile();
let clinicianA: Actor;
let clinicianB: Actor;
let siteA: string;
let siteB: string;
let qualityA: Ctx;
let qualityAB: Ctx;
const patientIdentifiers: string[] = [];

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;

async function addPatients(
  siteId: string,
  count: number,
  group: string,
  birthDate: string,
  sex: "female" | "male",
): Promise<string[]> {
  const rows = await t.db
    .insert(patients)
    .values(
      Array.from({ length: count }, (_, i) => ({
        siteId,
        mrn: `${group}-${i}`,
        givenName: `Given${group}${i}`,
        familyName: `Family${group}${i}`,
        birthDate,
        sex,
        postmenopausal: sex === "female" ? true : null,
      })),
    )
    .returning({ id: patients.id, mrn: patients.mrn, given: patients.givenName });
  patientIdentifiers.push(...rows.flatMap((r) => [r.id, r.mrn, r.given]));
  return rows.map((r) => r.id);
}

async function visit(
  actor: Actor,
  patientId: string,
  occurredOn: string,
  obs: Observation[] | Omit<Observation, "effective">[],
): Promise<void> {
  await recordVisit(
    { db: t.db, actor },
    patientId,
    { occurredOn, observations: obs as Observation[] },
    new Date(`${occurredOn}T10:00:00Z`),
  );
}

async function flagIds(
  patientIds: string[],
  code: string,
): Promise<{ id: string; openedAt: Date }[]> {
  return t.db
    .select({ id: flags.id, openedAt: flags.openedAt })
    .from(flags)
    .where(and(inArray(flags.patientId, patientIds), eq(flags.code, code)));
}

const phq9 = (total: number, item9 = 0) => ({
  kind: "phq9" as const,
  items: phq9Items(total, item9),
});
const bmd = (tScore: number, site: "femoral_neck" | "total_hip" = "femoral_neck") => ({
  kind: "bmd" as const,
  site,
  tScore,
});

beforeAll(async () => {
  const worldA = await makeWorld(t.db, { role: "clinician" });
  const worldB = await makeWorld(t.db, { role: "clinician", patient: { birthDate: "1990-01-01" } });
  clinicianA = worldA.actor;
  siteA = worldA.siteId;
  siteB = worldB.siteId;
  clinicianB = worldB.actor;
  qualityA = { db: t.db, actor: await makeUser(t.db, "quality", [siteA]) };
  qualityAB = { db: t.db, actor: await makeUser(t.db, "quality", [siteA, siteB]) };
  // makeWorld's own patients: ids and identifiers must never show up either.
  const extra = await t.db
    .select()
    .from(patients)
    .where(inArray(patients.id, [worldA.patientId, worldB.patientId]));
  patientIdentifiers.push(...extra.flatMap((p) => [p.id, p.mrn, p.familyName]));

  const g1 = await addPatients(siteA, 12, "G1", "1950-01-15", "female");
  for (const id of g1) await visit(clinicianA, id, "2026-06-01", [phq9(14), bmd(-2.7)]);

  const g2 = await addPatients(siteA, 22, "G2", "1945-05-10", "male");
  for (const [i, id] of g2.entries()) {
    await visit(clinicianA, id, "2025-12-01", [phq9(20)]);
    await visit(clinicianA, id, "2026-05-01", [phq9(i < 11 ? 4 : 15)]);
  }
  const g2b = g2.slice(11);

  const g3 = await addPatients(siteA, 11, "G3", "1952-02-02", "female");
  for (const id of g3) {
    await visit(clinicianA, id, "2026-02-01", [
      { kind: "fracture", effective: "2026-01-10", site: "wrist", fragility: true },
      bmd(-2.0),
      { kind: "medication", class: "bisphosphonate", name: "alendronate" },
      phq9(3),
    ] as Observation[]);
  }

  const g4 = await addPatients(siteA, 11, "G4", "1952-02-02", "female");
  for (const id of g4) {
    await visit(clinicianA, id, "2026-02-01", [
      { kind: "fracture", effective: "2026-01-10", site: "wrist", fragility: true },
      bmd(-1.2),
      phq9(3),
    ] as Observation[]);
  }
  const g4Bmd = await t.db
    .select({ id: observations.id })
    .from(observations)
    .where(and(inArray(observations.patientId, g4), eq(observations.kind, "bmd")));
  for (const o of g4Bmd) {
    await retractObservation({ db: t.db, actor: clinicianA }, o.id, "wrong patient", NOW);
  }

  const g5 = await addPatients(siteA, 11, "G5", "1955-07-01", "female");
  for (const id of g5) {
    await visit(clinicianA, id, "2026-03-01", [
      { kind: "phq9", items: [1, 1, null, 0, 0, 0, 0, 0, 0] },
      bmd(-1.5, "total_hip"),
    ] as Observation[]);
    await visit(clinicianA, id, "2026-10-05", [
      { kind: "fracture", effective: "2026-10-01", site: "wrist", fragility: true },
    ] as Observation[]);
  }

  const g6 = await addPatients(siteA, 11, "G6", "1966-06-01", "female");
  for (const id of g6) await visit(clinicianA, id, "2026-04-01", [phq9(12, 1), bmd(-1.8)]);

  const g7 = await addPatients(siteA, 11, "G7", "1959-01-01", "male");
  for (const id of g7) {
    await visit(clinicianA, id, "2026-04-01", [
      phq9(2),
      { kind: "fracture", effective: "2026-01-10", site: "rib", fragility: false },
    ] as Observation[]);
  }

  const g8 = await addPatients(siteA, 3, "G8", "1950-01-15", "female");
  for (const id of g8) {
    await visit(clinicianA, id, "2026-07-01", [
      phq9(22),
      bmd(-3.0),
      { kind: "fracture", effective: "2026-06-15", site: "hip", fragility: true },
    ] as Observation[]);
  }

  const gb = await addPatients(siteB, 11, "GB", "1950-01-15", "female");
  for (const id of gb) await visit(clinicianB, id, "2026-06-01", [phq9(14), bmd(-2.7)]);

  // Time to action, set directly (the flag workflow is another feature).
  const resolveAfter = async (
    f: { id: string; openedAt: Date },
    ackDays: number,
    resolvedDays: number,
    resolutionCode: string,
  ) => {
    const opened = f.openedAt.getTime();
    await t.db
      .update(flags)
      .set({
        status: "resolved",
        acknowledgedAt: new Date(opened + ackDays * DAY),
        resolvedAt: new Date(opened + resolvedDays * DAY),
        resolutionCode,
      })
      .where(eq(flags.id, f.id));
  };
  const g1Dep = await flagIds(g1, "depression.positive");
  expect(g1Dep).toHaveLength(12);
  for (const [i, f] of g1Dep.entries()) await resolveAfter(f, i < 6 ? 2 : 4, 10, "treated");
  const g2Dep = await flagIds(g2b, "depression.positive");
  expect(g2Dep).toHaveLength(11);
  for (const f of g2Dep) await resolveAfter(f, 0.5, 20, "referred");
  const g6Critical = await flagIds(g6, "safety.suicide-risk");
  expect(g6Critical).toHaveLength(11);
  for (const f of g6Critical) {
    await t.db
      .update(flags)
      .set({ status: "acknowledged", acknowledgedAt: new Date(f.openedAt.getTime() + 0.25 * DAY) })
      .where(eq(flags.id, f.id));
  }
}, 600_000);

function metric(res: QualityMetricsResponse, id: QualityMetric["id"]): QualityMetric {
  const m = res.metrics.find((x) => x.id === id);
  if (!m) throw new Error(`metric ${id} missing`);
  return m;
}

const pct = (n: number, d: number) => Math.round((n / d) * 1000) / 10;

describe("getQualityMetrics", () => {
  let all: QualityMetricsResponse;
  beforeAll(async () => {
    all = await getQualityMetrics(qualityA, {}, NOW);
  });

  it("defaults to the 12 months up to today and lists the user's sites", () => {
    expect(all.filters).toEqual({
      from: "2025-11-26",
      to: "2026-11-26",
      site: null,
      ageBand: null,
      sex: null,
    });
    expect(all.sites.map((s) => s.id)).toEqual([siteA]);
    expect(all.smallCellThreshold).toBe(SMALL_CELL_THRESHOLD);
    expect(SMALL_CELL_THRESHOLD).toBe(11);
    // 12 + 22 + 11 + 11 + 11 + 11 + 11 + 3 + makeWorld's patient.
    expect(all.patientsInScope).toBe(93);
    expect(all.empty).toBe(false);
    expect(all.metrics.every((m) => m.definition.length > 80 && m.source.length > 5)).toBe(true);
    const series = metric(all, "screening.depression").series.map((p) => p.month);
    expect(series[0]).toBe("2025-11");
    expect(series.at(-1)).toBe("2026-11");
    expect(series).toHaveLength(13);
  });

  it("screening coverage among patients 65+ under care", () => {
    // Under care and 65+: G1 12, G2 22, G3 11, G4 11, G5 11, G7 11 = 78. Not screened: G5 (11,
    // incomplete PHQ-9). G8 (3) adds to both: 81 and 70.
    const dep = metric(all, "screening.depression");
    expect(dep).toMatchObject({ numerator: 70, denominator: 81, value: pct(70, 81) });
    // DXA: women 65+ (G1, G3, G4, G5, G8 = 48) and men 70+ (G2 22) = 70; G7 (men 67) excluded.
    // With a DXA in 730 days: G1 12, G3 11, G5 11, G8 3 = 37 (G4's was entered in error).
    const dxa = metric(all, "screening.dxa");
    expect(dxa).toMatchObject({ numerator: 37, denominator: 70, value: pct(37, 70) });
    // Both: G1, G3, G8 = 26 (G5 has a DXA but no complete screen).
    expect(metric(all, "screening.both")).toMatchObject({
      numerator: 26,
      denominator: 70,
      value: pct(26, 70),
    });
    // End of March 2026: visits in the 365 days before: G2, G3, G4, G5 = 55; screened: 44.
    const march = dep.series.find((p) => p.month === "2026-03");
    expect(march).toEqual({ month: "2026-03", numerator: 44, denominator: 55, value: 80 });
    // November 2025 (up to the 30th): nobody had a visit yet.
    expect(dep.series[0]).toEqual({ month: "2025-11", numerator: 0, denominator: 0, value: null });
  });

  it("prevalence from each patient's latest assessment in the period", () => {
    // Assessed in the period: every group but makeWorld's patient = 92.
    const den = 92;
    // depression.positive: G1 12, G2 "b" 11, G6 11, G8 3 = 37.
    expect(metric(all, "prevalence.depression-positive")).toMatchObject({
      numerator: 37,
      denominator: den,
      value: pct(37, den),
    });
    // Osteopenia: G3 (−2.0), G5 (−1.5), G6 (−1.8) = 33; G4's DXA was retracted and re-assessed.
    expect(metric(all, "prevalence.bone-osteopenia")).toMatchObject({
      numerator: 33,
      value: pct(33, den),
    });
    expect(metric(all, "prevalence.bone-osteoporosis")).toMatchObject({
      numerator: 12,
      value: pct(12, den),
    });
    // 3 patients: a small cell.
    expect(metric(all, "prevalence.bone-severe-osteoporosis")).toMatchObject({
      numerator: "<11",
      denominator: den,
      value: null,
    });
    expect(metric(all, "prevalence.bone-high-fracture-risk")).toMatchObject({
      numerator: 0,
      value: 0,
    });
    // Any bone flag: 33 + 12 + 3 = 48. Comorbidity: G1 12, G6 11, G8 3 = 26.
    expect(metric(all, "prevalence.bone-any")).toMatchObject({ numerator: 48 });
    expect(metric(all, "prevalence.comorbidity-bone-brain")).toMatchObject({ numerator: 26 });
  });

  it("depression × bone cross-tab with small cells and complementary suppression", () => {
    const m = metric(all, "cross-tab.depression-bone");
    expect(m.denominator).toBe(92);
    const cell = (row: string, column: string) =>
      m.crossTab!.cells.find((c) => c.row === row && c.column === column)!.count;
    expect(m.crossTab!.cells).toHaveLength(36);
    expect(cell("moderate", "osteoporosis")).toBe(12); // G1
    expect(cell("minimal", "no-dxa")).toBe(33); // G2 "a", G4, G7
    expect(cell("moderately-severe", "no-dxa")).toBe(11); // G2 "b"
    expect(cell("none", "low-bone-mass")).toBe(11); // G5: incomplete PHQ-9
    expect(cell("moderate", "low-bone-mass")).toBe(11); // G6
    expect(cell("severe", "severe-osteoporosis")).toBe("<11"); // G8: 3
    // 92 − the visible cells would give G8's 3: the smallest other cell (G3's 11, minimal × low
    // bone mass, first in order) is hidden too.
    expect(cell("minimal", "low-bone-mass")).toBe(COMPLEMENT_MARKER);
    expect(cell("mild", "normal")).toBe(0);
  });

  it("time to action by severity, in days", () => {
    const ack = metric(all, "time-to-action.acknowledge");
    // critical 11 × 0.25, high 11 × 0.5, moderate 6 × 2 + 6 × 4: median of 34 = 0.5.
    expect(ack).toMatchObject({ value: 0.5, denominator: 34 });
    const g = (m: QualityMetric, key: string) => m.groups!.find((x) => x.key === key)!;
    expect(g(ack, "critical")).toMatchObject({ value: 0.3, denominator: 11 }); // 0.25 → 1 decimal
    expect(g(ack, "high")).toMatchObject({ value: 0.5, denominator: 11 });
    expect(g(ack, "moderate")).toMatchObject({ value: 3, denominator: 12 });
    expect(g(ack, "low")).toMatchObject({ value: null, denominator: 0 });
    expect(ack.series.find((p) => p.month === "2026-04")).toMatchObject({
      value: 0.3,
      denominator: 11,
    });
    const res = metric(all, "time-to-action.resolve");
    // moderate 12 × 10, high 11 × 20 (auto-resolved flags are not counted): median of 23 = 10.
    expect(res).toMatchObject({ value: 10, denominator: 23 });
    expect(g(res, "high")).toMatchObject({ value: 20, denominator: 11 });
    expect(metric(all, "time-to-action.critical-acknowledged-24h")).toMatchObject({
      numerator: 11,
      denominator: 11,
      value: 100,
    });
  });

  it("fracture liaison KPIs", () => {
    // Due: G3 11, G4 11, G8 3 = 25 (G5's fracture is within the last 12 weeks; G7's is not a
    // fragility fracture). DXA within 84 days: G3 and G8 = 14 (G4's DXA was entered in error).
    expect(metric(all, "fracture-liaison.dxa-12-weeks")).toMatchObject({
      numerator: 14,
      denominator: 25,
      value: 56,
    });
    // Treatment within 112 days: G3 = 11.
    const tx = metric(all, "fracture-liaison.treatment-16-weeks");
    expect(tx).toMatchObject({ numerator: 11, denominator: 25, value: 44 });
    // By fracture month: January 22 (G3, G4); June 3 (G8) is small, and then January's
    // numerator/denominator would give it away by subtraction from the total.
    const jan = tx.series.find((p) => p.month === "2026-01")!;
    const jun = tx.series.find((p) => p.month === "2026-06")!;
    expect(jun.denominator).toBe("<11");
    expect(jan.denominator).toBe(COMPLEMENT_MARKER);
    expect(jan.value).toBeNull();
  });

  it("depression response and remission at 6 months", () => {
    // Index PHQ-9 ≥ 10 between 2025-03-31 and 2026-03-31: G2 (22). Follow-up 150 days later:
    // 11 at 4 (response and remission), 11 at 15 (neither).
    for (const id of [
      "depression-outcomes.response-6-months",
      "depression-outcomes.remission-6-months",
    ] as const) {
      const m = metric(all, id);
      expect(m).toMatchObject({ numerator: 11, denominator: 22, value: 50 });
      expect(m.series.find((p) => p.month === "2026-07")).toMatchObject({
        numerator: 11,
        denominator: 22,
        value: 50,
      });
    }
  });

  it("rule performance per code and ruleset version", () => {
    const m = metric(all, "rule-performance");
    const row = (code: string) => m.groups!.find((g) => g.key === `${code}@${RULESET_VERSION}`)!;
    // depression.positive opened in the period: G1 12, G2 22, G6 11, G8 3 = 48.
    expect(row("depression.positive").counts).toMatchObject({
      fired: 48,
      treated: 12,
      referred: 11,
      "no-longer-met": 11,
      "still-open": 14,
    });
    // Osteopenia: G3, G5, G6 still open; G4's closed automatically by the retraction.
    expect(row("bone.osteopenia").counts).toMatchObject({
      fired: 44,
      "still-open": 33,
      "no-longer-met": 11,
    });
    expect(row("bone.severe-osteoporosis").counts).toMatchObject({
      fired: "<11",
      "still-open": "<11",
    });
    expect(m.countKeys!.map((k) => k.key)).toContain("no-longer-met");
  });

  it("returns aggregates only: no patient id, MRN or name", () => {
    const text = JSON.stringify(all);
    for (const value of patientIdentifiers) expect(text).not.toContain(value);
    expect(text).not.toMatch(/birth/i);
  });

  it("writes an audit event with the filters and no patient", async () => {
    const rows = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "quality.metrics"),
      eq(auditEvents.actorId, qualityA.actor.userId),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.patientId).toBeNull();
    expect(rows[0]!.detail).toMatchObject({ filters: { from: "2025-11-26", to: "2026-11-26" } });
  });
});

describe("filters", () => {
  it("sex", async () => {
    const res = await getQualityMetrics(qualityA, { sex: "male" }, NOW);
    // G2 22 + G7 11: depression.positive in G2 "b" only.
    expect(res.patientsInScope).toBe(33);
    expect(metric(res, "prevalence.depression-positive")).toMatchObject({
      numerator: 11,
      denominator: 33,
      value: pct(11, 33),
    });
    // DXA: men 70+ only (G2 22), none with a DXA.
    expect(metric(res, "screening.dxa")).toMatchObject({ numerator: 0, denominator: 22, value: 0 });
  });

  it("age band (age on the last day of the period)", async () => {
    // 65–74: G3 74, G4 74, G5 71, G7 67 = 44.
    const res = await getQualityMetrics(qualityA, { ageBand: "65-74" }, NOW);
    expect(res.patientsInScope).toBe(44);
    expect(metric(res, "prevalence.depression-positive")).toMatchObject({
      numerator: 0,
      denominator: 44,
    });
    // Under 65: G6 only (11), every rule row 11 flags.
    const young = await getQualityMetrics(qualityA, { ageBand: "<65" }, NOW);
    expect(young.patientsInScope).toBe(11);
    expect(metric(young, "prevalence.comorbidity-bone-brain")).toMatchObject({
      numerator: 11,
      denominator: 11,
      value: 100,
    });
    expect(metric(young, "screening.depression")).toMatchObject({ denominator: 0, value: null });
    const none = await getQualityMetrics(qualityA, { ageBand: "85+" }, NOW);
    expect(none.empty).toBe(true);
    expect(none.patientsInScope).toBe(0);
  });

  it("date range", async () => {
    const res = await getQualityMetrics(qualityA, { from: "2026-01-01", to: "2026-03-31" }, NOW);
    expect(res.filters).toMatchObject({ from: "2026-01-01", to: "2026-03-31" });
    expect(metric(res, "screening.depression").series.map((p) => p.month)).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    // Assessed in the window: G3, G4 (2026-02-01, the latest in the window), G5 (2026-03-01) = 33.
    const osteopenia = metric(res, "prevalence.bone-osteopenia");
    expect(osteopenia.denominator).toBe(33);
    // G3, G4 (their assessment in the window was made before the retraction) and G5 = 33.
    expect(osteopenia.numerator).toBe(33);
    // Coverage on 2026-03-31: as the March point above.
    expect(metric(res, "screening.depression")).toMatchObject({ numerator: 44, denominator: 55 });
    // No flag opened in the window for the depression screen of G2 (opened 2025-12-01).
    const rules = metric(res, "rule-performance");
    expect(rules.groups!.some((g) => g.key.startsWith("depression.positive@"))).toBe(false);
  });

  it("refuses a bad period", async () => {
    await expect(
      getQualityMetrics(qualityA, { from: "2026-05-01", to: "2026-01-01" }, NOW),
    ).rejects.toMatchObject({ kind: "bad-request", details: { errors: [{ path: "from" }] } });
    await expect(
      getQualityMetrics(qualityA, { from: "2016-01-01", to: "2026-01-01" }, NOW),
    ).rejects.toMatchObject({ kind: "bad-request" });
  });
});

describe("sites", () => {
  it("refuses a site that is not the user's, and audits it", async () => {
    await expect(getQualityMetrics(qualityA, { site: siteB }, NOW)).rejects.toMatchObject({
      kind: "forbidden",
      details: { errors: [{ path: "site" }] },
    });
    const denied = await deniedAuditEvents(t.db, "quality.metrics");
    expect(denied.length).toBe(1);
  });

  it("leaves out other sites' patients, and counts them for a user of both sites", async () => {
    const a = await getQualityMetrics(qualityA, {}, NOW);
    const ab = await getQualityMetrics(qualityAB, {}, NOW);
    // Site B: 11 patients of G1's kind plus makeWorld's own.
    expect(ab.patientsInScope).toBe((a.patientsInScope as number) + 12);
    expect(metric(ab, "prevalence.bone-osteoporosis").numerator).toBe(23);
    const onlyB = await getQualityMetrics(qualityAB, { site: siteB }, NOW);
    expect(onlyB.patientsInScope).toBe(12);
    expect(metric(onlyB, "prevalence.depression-positive")).toMatchObject({
      numerator: 11,
      denominator: 11,
      value: 100,
    });
    expect(ab.sites.map((s) => s.id).sort()).toEqual([siteA, siteB].sort());
  });

  it("a quality user without sites sees nothing", async () => {
    const nobody = { db: t.db, actor: await makeUser(t.db, "quality", []) };
    const res = await getQualityMetrics(nobody, {}, NOW);
    expect(res.empty).toBe(true);
    expect(res.sites).toEqual([]);
  });
});

describe("exportQualityMetric", () => {
  it("exports one metric as CSV with the same suppression, audited", async () => {
    const out = await exportQualityMetric(
      qualityA,
      { metric: "prevalence.bone-severe-osteoporosis" },
      NOW,
    );
    // The file name carries the filters; every row the metric's name, period, sites and context.
    expect(out.filename).toBe(
      "quality-prevalence.bone-severe-osteoporosis-from-2025-11-26-to-2026-11-26-2026-11-26.csv",
    );
    const lines = out.csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "metric,metric_name,from,to,sites,site_codes,age_band,sex,row,month,group,value,unit,numerator,denominator,filters,generated_at,time_zone",
    );
    expect(lines[1]).toMatch(
      /^prevalence\.bone-severe-osteoporosis,[^,]+,2025-11-26,2026-11-26,[^,]+,[^,]+,all,all,period,,,,percent,<11,92,"?from=2025-11-26; to=2026-11-26; site=[^"]+?"?,2026-11-26T[0-9:.]+Z,UTC$/,
    );
    expect(lines).toHaveLength(2 + 13);
    const cross = await exportQualityMetric(qualityA, { metric: "cross-tab.depression-bone" }, NOW);
    expect(cross.csv).toContain("Moderate,Osteoporosis,12");
    expect(cross.csv).toContain("Severe,Severe osteoporosis,<11");
    const rules = await exportQualityMetric(qualityA, { metric: "rule-performance" }, NOW);
    expect(rules.csv.split("\r\n")[0]).toMatch(
      /^metric,metric_name,from,to,sites,site_codes,age_band,sex,group,group_code,fired,still-open,no-longer-met/,
    );
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "quality.export"))
      .orderBy(sql`${auditEvents.id} desc`)
      .limit(1);
    expect(audit?.detail).toMatchObject({ metric: "rule-performance" });
    expect(audit?.patientId).toBeNull();
    for (const value of patientIdentifiers) expect(cross.csv + rules.csv).not.toContain(value);
  });
});

describe("assessments.flag_bits", () => {
  /** The bits the TypeScript list gives the codes of a result. */
  const expectedBits = (codes: readonly string[]) =>
    ASSESSMENT_FLAG_BITS.reduce(
      (bits, code, i) => (codes.includes(code) ? bits | (1 << i) : bits),
      0,
    );

  it("has a bit for every flag code the prevalence metrics count, and only known codes", () => {
    for (const code of ASSESSMENT_FLAG_BITS) expect(FLAG_CODES).toContain(code);
    expect(new Set(ASSESSMENT_FLAG_BITS).size).toBe(ASSESSMENT_FLAG_BITS.length);
    for (const p of PREVALENCE) expect(prevalenceBits(p.codes)).toBeGreaterThan(0);
    expect(() => prevalenceBits(["falls.at-risk"])).toThrow(/no bit/);
  });

  it("the database sets the same bits as the list, for each code alone and all together", async () => {
    const [patient] = await t.db.select({ id: patients.id }).from(patients).limit(1);
    const cases: string[][] = [[], ...ASSESSMENT_FLAG_BITS.map((c) => [c]), [...FLAG_CODES]];
    const rolledBack = new Error("roll back");
    await expect(
      t.db.transaction(async (tx) => {
        for (const codes of cases) {
          const [row] = await tx
            .insert(assessments)
            .values({
              patientId: patient!.id,
              asOf: "2026-01-01",
              rulesetVersion: RULESET_VERSION,
              priority: "none",
              result: { flags: codes.map((code) => ({ code, severity: "info" })) },
            })
            .returning({ bits: assessments.flagBits });
          expect(row!.bits, codes.join(",")).toBe(expectedBits(codes));
        }
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });

  it("every stored assessment's bits agree with its result's flags", async () => {
    const rows = await t.db
      .select({ result: assessments.result, bits: assessments.flagBits })
      .from(assessments);
    expect(rows.length).toBeGreaterThan(100);
    let withBits = 0;
    for (const row of rows) {
      const codes = ((row.result as { flags: { code: string }[] }).flags ?? []).map((f) => f.code);
      expect(row.bits).toBe(expectedBits(codes));
      if (row.bits !== 0) withBits += 1;
    }
    expect(withBits).toBeGreaterThan(0);
  });
});
