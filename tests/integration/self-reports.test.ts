import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, observations, selfReports, visits } from "@/db/schema";
import { AppError } from "@/lib/api/errors";
import { createSelfReportSchema, saveAnswerSchema } from "@/lib/api/self-reports";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { can } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/server/context";
import { getPatientDetail, listObservations } from "@/lib/server/patients";
import {
  loadSessionView,
  openSelfReport,
  saveAnswer,
  submitSelfReport,
  verifyBirthDate,
} from "@/lib/server/self-report-session";
import {
  acceptSelfReport,
  createSelfReport,
  hashToken,
  listSelfReports,
} from "@/lib/server/self-reports";
import { recordVisit } from "@/lib/server/visits";
import { listWorklist } from "@/lib/server/worklist";
import { auditEventsWhere } from "../support/audit";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld, phq9Items } from "../support/fixtures";

const t = testDatabasePerFile();
let clinician: Ctx;
let care: Ctx;
let otherSite: Ctx;
let patientId: string;
let otherPatientId: string;
let siteId: string;
const NOW = new Date("2026-11-26T12:00:00Z");
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const FROM = { ip: "203.0.113.7", userAgent: "tablet test" };
const create = (raw: Record<string, unknown>) => createSelfReportSchema.parse(raw);
/** Starts a self-report as of NOW, its body parsed as the route parses it (Rosa's by default). */
const start = (ctx: Ctx, body: Record<string, unknown>, patient = patientId) =>
  createSelfReport(ctx, patient, create(body), NOW);
const answer = (raw: Record<string, unknown>) => saveAnswerSchema.parse(raw);
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/r/") + 3);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  const world = await makeWorld(t.db, { patient: { givenName: "Rosa", birthDate: "1946-05-17" } });
  siteId = world.siteId;
  patientId = world.patientId;
  clinician = { db: t.db, actor: world.actor };
  care = { db: t.db, actor: await makeUser(t.db, "care_team", [siteId]) };
  const other = await makeWorld(t.db, { role: "clinician" });
  otherSite = { db: t.db, actor: other.actor };
  otherPatientId = other.patientId;
  // Another patient of the site with an older, high-priority flag: the item 9 patient must
  // overtake them on the worklist.
  const second = await makeWorldPatient();
  await recordVisit(
    clinician,
    second,
    { occurredOn: "2026-11-01", observations: [{ kind: "phq9", items: phq9Items(22) }] },
    new Date("2026-11-01T09:00:00Z"),
  );
});

async function makeWorldPatient(): Promise<string> {
  const { patients } = await import("@/db/schema");
  const [row] = await t.db
    .insert(patients)
    .values({
      siteId,
      mrn: `SR-OTHER-${Date.now()}`,
      givenName: "Other",
      familyName: "Patient",
      birthDate: "1940-01-01",
      sex: "male",
    })
    .returning();
  return row!.id;
}

describe("starting a self-report", () => {
  it("lets clinicians and the care team start one, nobody else", () => {
    expect(can("clinician", "selfreports.create")).toBe(true);
    expect(can("care_team", "selfreports.create")).toBe(true);
    expect(can("quality", "selfreports.create")).toBe(false);
    expect(can("admin", "selfreports.create")).toBe(false);
  });

  it("answers a link URL with a token whose hash alone is stored, 7 days by default", async () => {
    const created = await start(care, { instruments: ["phq9"], mode: "link" });
    expect(created.mode).toBe("link");
    expect(created.url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
    expect(created.expiresAt).toBe(later(7 * 24 * 60).toISOString());
    const [row] = await t.db.select().from(selfReports).where(eq(selfReports.id, created.id));
    const token = tokenOf(created.url);
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const [event] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.create"),
      eq(auditEvents.entityId, created.id),
    );
    expect(event?.patientId).toBe(patientId);
    expect(event?.actorId).toBe(care.actor.userId);
  });

  it("validates the body: instruments, mode and 1–30 days", () => {
    expect(createSelfReportSchema.safeParse({ instruments: [], mode: "link" }).success).toBe(false);
    expect(createSelfReportSchema.safeParse({ instruments: ["x"], mode: "link" }).success).toBe(
      false,
    );
    expect(
      createSelfReportSchema.safeParse({ instruments: ["phq9"], mode: "link", expiresInDays: 31 })
        .success,
    ).toBe(false);
    expect(
      createSelfReportSchema.safeParse({ instruments: ["phq9"], mode: "link", expiresInDays: 0 })
        .success,
    ).toBe(false);
    expect(createSelfReportSchema.safeParse({ instruments: ["phq9"], mode: "fax" }).success).toBe(
      false,
    );
  });

  it("refuses a patient of another site as not found", async () => {
    const error = await refusal(start(otherSite, { instruments: ["phq9"], mode: "link" }));
    expect(error.kind).toBe("not-found");
    const mine = await start(otherSite, { instruments: ["phq9"], mode: "tablet" }, otherPatientId);
    expect((await refusal(acceptSelfReport(clinician, mine.id, {}, NOW))).kind).toBe("not-found");
  });
});

describe("the one-time link", () => {
  it("asks the birth date; five wrong ones lock it for good", async () => {
    const created = await start(clinician, { instruments: ["gds15"], mode: "link" });
    const opened = await openSelfReport(t.db, tokenOf(created.url), FROM, NOW);
    const view = await loadSessionView(t.db, opened.id, false, FROM, NOW);
    // Only the first name, and no answers before the birth date.
    expect(view).toEqual({
      firstName: "Rosa",
      mode: "link",
      instruments: ["gds15"],
      verified: false,
      answers: {},
      status: "pending",
    });
    for (let i = 1; i <= 4; i += 1) {
      const wrong = await refusal(verifyBirthDate(t.db, opened.id, "1946-05-18", FROM, later(i)));
      expect(wrong.kind).toBe("unprocessable");
      expect(wrong.details.extra).toEqual({ triesLeft: 5 - i });
    }
    const fifth = await refusal(verifyBirthDate(t.db, opened.id, "1946-05-18", FROM, later(5)));
    expect(fifth.kind).toBe("gone");
    // Locked: even the right date and the link itself are refused now.
    expect(
      (await refusal(verifyBirthDate(t.db, opened.id, "1946-05-17", FROM, later(6)))).kind,
    ).toBe("gone");
    expect((await refusal(openSelfReport(t.db, tokenOf(created.url), FROM, later(7)))).kind).toBe(
      "gone",
    );
    const list = await listSelfReports(clinician, patientId, later(8));
    const item = list.items.find((i) => i.id === created.id)!;
    expect(item.status).toBe("expired");
    expect(item.locked).toBe(true);
    const failures = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.verify"),
      eq(auditEvents.outcome, "failure"),
      eq(auditEvents.entityId, created.id),
    );
    expect(failures).toHaveLength(5);
    // The patient acts, not a user.
    expect(failures.every((e) => e.actorId === null && e.actorRole === "patient")).toBe(true);
    expect(failures[0]!.ip).toBe(FROM.ip);
  });

  it("slows down one address guessing birth dates across links (429)", async () => {
    const from = { ip: "198.51.100.9", userAgent: "guesser" };
    const at = (s: number) => new Date(NOW.getTime() + s * 1000);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await start(clinician, { instruments: ["phq9"], mode: "link" });
      ids.push((await openSelfReport(t.db, tokenOf(created.url), from, NOW)).id);
    }
    // Ten wrong dates (two links locked) are free; the next try waits.
    for (let i = 0; i < 10; i += 1) {
      await refusal(verifyBirthDate(t.db, ids[i < 5 ? 0 : 1]!, "1900-01-01", from, at(i)));
    }
    const throttled = await refusal(verifyBirthDate(t.db, ids[2]!, "1946-05-17", from, at(9)));
    expect(throttled.kind).toBe("too-many-requests");
    expect(throttled.details.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not held up, and waiting helps.
    await verifyBirthDate(t.db, ids[2]!, "1946-05-17", FROM, at(9));
    await verifyBirthDate(t.db, ids[2]!, "1946-05-17", from, at(20));
  });

  it("is 404 for an unknown token and 410 once expired", async () => {
    expect((await refusal(openSelfReport(t.db, "x".repeat(43), FROM, NOW))).kind).toBe("not-found");
    const created = await start(clinician, {
      instruments: ["phq9"],
      mode: "link",
      expiresInDays: 1,
    });
    const token = tokenOf(created.url);
    await openSelfReport(t.db, token, FROM, later(60));
    const expired = await refusal(openSelfReport(t.db, token, FROM, later(24 * 60 + 1)));
    expect(expired.kind).toBe("gone");
    const opens = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.open"),
      eq(auditEvents.entityId, created.id),
    );
    expect(opens.map((e) => e.outcome).sort()).toEqual(["failure", "success"]);
  });

  it("keeps answers as they come, and is used up once submitted (410)", async () => {
    const created = await start(clinician, { instruments: ["gds15", "steadi"], mode: "link" });
    const token = tokenOf(created.url);
    const { id } = await openSelfReport(t.db, token, FROM, NOW);
    await verifyBirthDate(t.db, id, "1946-05-17", FROM, NOW);
    await saveAnswer(t.db, id, answer({ instrument: "gds15", item: 0, value: "no" }), FROM, NOW);
    const saved = await saveAnswer(
      t.db,
      id,
      answer({ instrument: "steadi", item: "countPast12Months", value: 2 }),
      FROM,
      NOW,
    );
    expect(saved.answers.gds15?.[0]).toBe("no");
    expect(saved.answers.steadi?.countPast12Months).toBe(2);
    // An instrument not chosen is refused.
    expect(
      (
        await refusal(
          saveAnswer(t.db, id, answer({ instrument: "phq9", item: 0, value: 1 }), FROM, NOW),
        )
      ).kind,
    ).toBe("unprocessable");
    await submitSelfReport(t.db, id, FROM, later(1));
    expect((await refusal(openSelfReport(t.db, token, FROM, later(2)))).kind).toBe("gone");
    expect(
      (
        await refusal(
          saveAnswer(t.db, id, answer({ instrument: "gds15", item: 1, value: "no" }), FROM, NOW),
        )
      ).kind,
    ).toBe("gone");
    const list = await listSelfReports(care, patientId, later(3));
    const item = list.items.find((i) => i.id === created.id)!;
    expect(item.status).toBe("submitted");
    expect(item.submittedAt).toBe(later(1).toISOString());
    expect(item.answers.steadi?.countPast12Months).toBe(2);
    const submits = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.submit"),
      eq(auditEvents.entityId, created.id),
    );
    expect(submits).toHaveLength(1);
  });
});

describe("item 9 and acceptance", () => {
  let reportId = "";

  it("raises the suicide-risk flag at the item 9 answer, before any review or submission", async () => {
    const created = await start(clinician, {
      instruments: ["phq9", "gds15", "steadi"],
      mode: "tablet",
    });
    reportId = created.id;
    const { id, mode } = await openSelfReport(t.db, tokenOf(created.url), FROM, NOW);
    expect(mode).toBe("tablet");
    for (let item = 0; item < 8; item += 1) {
      await saveAnswer(t.db, id, answer({ instrument: "phq9", item, value: 1 }), FROM, NOW);
    }
    const before = await getPatientDetail(clinician, patientId);
    expect(before.openFlags.some((f) => f.code === "safety.suicide-risk")).toBe(false);
    const saved = await saveAnswer(
      t.db,
      id,
      answer({ instrument: "phq9", item: 8, value: 2 }),
      FROM,
      NOW,
    );
    expect(saved.riskRaised).toBe(true);
    // The session stops here (never submitted): the flag is already open and critical.
    const detail = await getPatientDetail(clinician, patientId);
    const flag = detail.openFlags.find((f) => f.code === "safety.suicide-risk");
    expect(flag?.severity).toBe("critical");
    const page = await listWorklist(care, worklistQuerySchema.parse({}), NOW, false);
    expect(page.items[0]?.patientId).toBe(patientId);
    expect(page.items[0]?.priority).toBe("urgent");
    expect(page.items[0]?.flags.find((f) => f.code === "safety.suicide-risk")?.source).toBe(
      "self-report",
    );
    // Its source: a self-report visit whose PHQ-9 is patient-reported.
    const [row] = await t.db.select().from(selfReports).where(eq(selfReports.id, id));
    const [visit] = await t.db.select().from(visits).where(eq(visits.id, row!.riskVisitId!));
    expect(visit?.source).toBe("self-report");
    expect(visit?.recordedBy).toBeNull();
    const [obs] = await t.db.select().from(observations).where(eq(observations.visitId, visit!.id));
    expect(obs?.method).toBe("patient-reported");
    const [risk] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.risk-raised"),
      eq(auditEvents.entityId, id),
    );
    expect(risk?.actorRole).toBe("patient");
    expect(risk?.patientId).toBe(patientId);
    // Answering again does not raise it twice.
    await saveAnswer(t.db, id, answer({ instrument: "phq9", item: 8, value: 3 }), FROM, later(1));
    const visitsNow = await t.db
      .select()
      .from(visits)
      .where(and(eq(visits.patientId, patientId), eq(visits.source, "self-report")));
    expect(visitsNow).toHaveLength(1);
  });

  it("refuses to accept before submission", async () => {
    const error = await refusal(acceptSelfReport(clinician, reportId, {}, later(2)));
    expect(error.kind).toBe("conflict");
  });

  it("accepts the answers into a visit in one action, method patient-reported", async () => {
    for (let item = 0; item < 15; item += 1) {
      await saveAnswer(
        t.db,
        reportId,
        answer({ instrument: "gds15", item, value: item % 2 === 0 ? "yes" : "no" }),
        FROM,
        later(3),
      );
    }
    for (const [item, value] of [
      ["countPast12Months", 1],
      ["injurious", false],
      ["unsteady", true],
      ["worriedAboutFalling", true],
    ] as const) {
      await saveAnswer(t.db, reportId, answer({ instrument: "steadi", item, value }), FROM, NOW);
    }
    await submitSelfReport(t.db, reportId, FROM, later(4));
    const accepted = await acceptSelfReport(clinician, reportId, {}, later(10));
    expect(accepted).toMatchObject({ id: reportId, status: "accepted", observations: 3 });
    const rows = await t.db
      .select()
      .from(observations)
      .where(eq(observations.visitId, accepted.visitId));
    expect(rows.map((r) => r.kind).sort()).toEqual(["falls", "gds15", "phq9"]);
    expect(rows.every((r) => r.method === "patient-reported")).toBe(true);
    const listed = await listObservations(clinician, patientId, { includeRetracted: false });
    const fromVisit = listed.items.filter((o) => o.visitId === accepted.visitId);
    expect(fromVisit.map((o) => o.method)).toEqual([
      "patient-reported",
      "patient-reported",
      "patient-reported",
    ]);
    const phq9 = rows.find((r) => r.kind === "phq9")!;
    expect((phq9.payload as { items: number[] }).items).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 3]);
    // The early item 9 observation is replaced (retracted), the flag stays open.
    const [row] = await t.db.select().from(selfReports).where(eq(selfReports.id, reportId));
    const [early] = await t.db
      .select()
      .from(observations)
      .where(eq(observations.visitId, row!.riskVisitId!));
    expect(early?.enteredInErrorAt).not.toBeNull();
    const detail = await getPatientDetail(clinician, patientId);
    expect(detail.openFlags.find((f) => f.code === "safety.suicide-risk")?.severity).toBe(
      "critical",
    );
    expect(detail.latestAssessment?.scores.phq9?.total).toBe(11);
    const list = await listSelfReports(clinician, patientId, later(11));
    expect(list.items.find((i) => i.id === reportId)).toMatchObject({
      status: "accepted",
      visitId: accepted.visitId,
    });
    const [event] = await auditEventsWhere(
      t.db,
      eq(auditEvents.action, "self-reports.accept"),
      eq(auditEvents.entityId, reportId),
    );
    expect(event?.actorId).toBe(clinician.actor.userId);
    // A second accept is a conflict.
    expect((await refusal(acceptSelfReport(clinician, reportId, {}, later(12)))).kind).toBe(
      "conflict",
    );
  });
});
