import { describe, expect, it } from "vitest";
import type { FlagAction } from "@/lib/api/worklist";
import type { Flag, FlagCode, Severity } from "@/lib/clinical";
import {
  compareSeverityThenCode,
  planFlagAction,
  planReconciliation,
  severityRank,
  type FlagActionPlan,
  type ReconcilableFlag,
} from "@/lib/server/flag-plans";

const NOW = new Date("2026-03-10T09:30:00Z");
const TODAY = "2026-03-10";
const ACTOR = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

type Status = "open" | "acknowledged" | "snoozed" | "resolved";

/** The plan for `action` on a flag with this status and severity, by ACTOR at NOW. */
function act(status: Status, action: FlagAction, severity: Severity = "high"): FlagActionPlan {
  return planFlagAction({ status, severity }, action, ACTOR, NOW);
}

function planned(plan: FlagActionPlan) {
  if (plan.refused) throw new Error(`refused: ${plan.message}`);
  return plan;
}

/** The plan for a flag that still fires unchanged: only its last assessment moves on. */
const keptAsIs = (flagId: string) => ({
  kind: "keep",
  flagId,
  changes: { lastAssessmentId: ASSESSMENT_ID },
  bumpVersion: false,
  events: [],
});

describe("planFlagAction", () => {
  const stamp = { updatedAt: NOW, updatedBy: ACTOR };

  it("acknowledges an open or snoozed flag, ending the snooze", () => {
    for (const status of ["open", "snoozed"] as const) {
      const plan = planned(act(status, { action: "acknowledge", version: 3 }));
      expect(plan.changes).toEqual({
        status: "acknowledged",
        acknowledgedAt: NOW,
        acknowledgedBy: ACTOR,
        snoozedUntil: null,
        ...stamp,
      });
      expect(plan.event).toEqual({ type: "acknowledged", actorId: ACTOR, at: NOW, data: {} });
    }
  });

  it("refuses to acknowledge a flag twice, or a resolved one", () => {
    const ack: FlagAction = { action: "acknowledge", version: 1 };
    expect(act("acknowledged", ack)).toEqual({
      refused: true,
      message: "This flag is already acknowledged.",
    });
    expect(act("resolved", ack)).toEqual({
      refused: true,
      message: "A resolved flag cannot be acknowledged.",
    });
  });

  it("assigns to the actor ('me'), to another user, or to nobody, without changing the status", () => {
    const cases: [FlagAction & { action: "assign" }, string | null][] = [
      [{ action: "assign", version: 1, assigneeId: "me" }, ACTOR],
      [{ action: "assign", version: 1, assigneeId: OTHER }, OTHER],
      [{ action: "assign", version: 1, assigneeId: null }, null],
    ];
    for (const [action, assignee] of cases) {
      const plan = planned(act("acknowledged", action));
      expect(plan.changes).toEqual({ assigneeId: assignee, ...stamp });
      expect(plan.event).toEqual({
        type: "assigned",
        actorId: ACTOR,
        at: NOW,
        data: { assigneeId: assignee },
      });
    }
    expect(act("resolved", { action: "assign", version: 1, assigneeId: "me" })).toEqual({
      refused: true,
      message: "A resolved flag cannot be assigned.",
    });
  });

  it("adds a note to a flag in any state, changing nothing but who touched it last", () => {
    for (const status of ["open", "acknowledged", "snoozed", "resolved"] as const) {
      const plan = planned(act(status, { action: "note", version: 1, note: "Called the GP." }));
      expect(plan.changes).toEqual(stamp);
      expect(plan.event).toEqual({
        type: "note",
        actorId: ACTOR,
        at: NOW,
        data: { note: "Called the GP." },
      });
    }
  });

  it("snoozes a non-critical flag from tomorrow up to MAX_SNOOZE_DAYS ahead", () => {
    for (const until of ["2026-03-11", "2027-03-10"]) {
      const plan = planned(
        act(
          "open",
          { action: "snooze", version: 1, until, reason: "Follow-up booked" },
          "moderate",
        ),
      );
      expect(plan.changes).toEqual({
        status: "snoozed",
        snoozedUntil: until,
        snoozeReason: "Follow-up booked",
        ...stamp,
      });
      expect(plan.event).toEqual({
        type: "snoozed",
        actorId: ACTOR,
        at: NOW,
        data: { until, reason: "Follow-up booked" },
      });
    }
  });

  it("refuses to snooze a critical or resolved flag, or to a day outside the window", () => {
    const snooze = (until: string): FlagAction => ({
      action: "snooze",
      version: 1,
      until,
      reason: "Follow-up booked",
    });
    expect(act("open", snooze("2026-04-01"), "critical")).toEqual({
      refused: true,
      message: "A critical flag cannot be snoozed: it needs action today.",
    });
    expect(act("resolved", snooze("2026-04-01"))).toEqual({
      refused: true,
      message: "A resolved flag cannot be snoozed.",
    });
    for (const until of [TODAY, "2026-03-01"]) {
      expect(act("open", snooze(until))).toEqual({
        refused: true,
        message: "Snooze until a day after today.",
        path: "until",
      });
    }
    expect(act("open", snooze("2027-03-11"))).toEqual({
      refused: true,
      message: "Snooze for at most 365 days.",
      path: "until",
    });
  });

  it("resolves with a reason, the note only when given, ending any snooze", () => {
    const withNote = planned(
      act("snoozed", { action: "resolve", version: 1, reason: "other", note: "Moved away." }),
    );
    expect(withNote.changes).toEqual({
      status: "resolved",
      resolutionCode: "other",
      resolutionNote: "Moved away.",
      resolvedAt: NOW,
      resolvedBy: ACTOR,
      snoozedUntil: null,
      ...stamp,
    });
    expect(withNote.event.data).toEqual({ reason: "other", note: "Moved away." });

    const plain = planned(act("open", { action: "resolve", version: 1, reason: "treated" }));
    expect(plain.changes.resolutionNote).toBeNull();
    expect(plain.event).toEqual({
      type: "resolved",
      actorId: ACTOR,
      at: NOW,
      data: { reason: "treated" },
    });
    expect(act("resolved", { action: "resolve", version: 1, reason: "treated" })).toEqual({
      refused: true,
      message: "This flag is already resolved.",
    });
  });

  it("reopens only a resolved flag, clearing its resolution", () => {
    const plan = planned(act("resolved", { action: "reopen", version: 1, note: "Relapsed." }));
    expect(plan.changes).toEqual({
      status: "open",
      resolutionCode: null,
      resolutionNote: null,
      resolvedAt: null,
      resolvedBy: null,
      ...stamp,
    });
    expect(plan.event).toEqual({
      type: "reopened",
      actorId: ACTOR,
      at: NOW,
      data: { note: "Relapsed." },
    });
    expect(planned(act("resolved", { action: "reopen", version: 1 })).event.data).toEqual({});
    for (const status of ["open", "acknowledged", "snoozed"] as const) {
      expect(act(status, { action: "reopen", version: 1 })).toEqual({
        refused: true,
        message: "Only a resolved flag can be reopened.",
      });
    }
  });

  it("leaves the version to the caller: the plan is the same whatever version the user saw", () => {
    const seen = (version: number) => act("open", { action: "acknowledge", version });
    expect(seen(1)).toEqual(seen(42));
    expect(planned(seen(1)).changes).not.toHaveProperty("version");
  });
});

function firing(code: FlagCode, severity: Severity): Flag {
  return {
    code,
    severity,
    title: code,
    rationale: `${code} fires`,
    inputs: [],
    thresholds: [],
    sources: [],
  };
}

function existing(
  id: string,
  code: FlagCode,
  severity: Severity,
  status: ReconcilableFlag["status"] = "open",
  snoozedUntil: string | null = null,
): ReconcilableFlag {
  return { id, code, severity, status, snoozedUntil };
}

const ASSESSMENT_ID = "33333333-3333-4333-8333-333333333333";

function reconcile(
  flags: ReconcilableFlag[],
  fired: Flag[],
  changedKinds: Parameters<typeof planReconciliation>[3] = [],
) {
  return planReconciliation(
    flags,
    { flags: fired, rulesetVersion: "2026.1" },
    ASSESSMENT_ID,
    changedKinds,
    NOW,
    ACTOR,
  );
}

describe("planReconciliation", () => {
  it("opens a flag for a new code, due after its severity's days", () => {
    const plan = reconcile(
      [],
      [firing("depression.positive", "high"), firing("comorbidity.bone-brain", "info")],
    );
    expect(plan.autoResolve).toBeNull();
    expect(plan.firing).toHaveLength(2);
    expect(plan.firing.slice(0, 1)).toEqual([
      {
        kind: "open",
        values: {
          code: "depression.positive",
          severity: "high",
          status: "open",
          rulesetVersion: "2026.1",
          openedAt: NOW,
          openedAssessmentId: ASSESSMENT_ID,
          lastAssessmentId: ASSESSMENT_ID,
          dueOn: "2026-03-17",
          updatedAt: NOW,
          updatedBy: ACTOR,
        },
        event: {
          type: "opened",
          actorId: ACTOR,
          at: NOW,
          data: {
            severity: "high",
            rationale: "depression.positive fires",
            assessmentId: ASSESSMENT_ID,
            rulesetVersion: "2026.1",
          },
        },
      },
    ]);
    // An info flag has no due date.
    expect(plan.firing[1]).toMatchObject({
      kind: "open",
      values: { code: "comorbidity.bone-brain", severity: "info", dueOn: null },
    });
  });

  it("keeps a flag still firing: same severity, no event and no version bump", () => {
    const plan = reconcile(
      [existing("f1", "bone.osteoporosis", "high", "acknowledged")],
      [firing("bone.osteoporosis", "high")],
    );
    expect(plan.firing).toEqual([keptAsIs("f1")]);
    expect(plan.autoResolve).toBeNull();
  });

  it("updates the severity of a flag still firing, with an event and a version bump", () => {
    const plan = reconcile(
      [existing("f1", "depression.positive", "moderate")],
      [firing("depression.positive", "high")],
    );
    expect(plan.firing).toEqual([
      {
        kind: "keep",
        flagId: "f1",
        changes: {
          lastAssessmentId: ASSESSMENT_ID,
          severity: "high",
          updatedAt: NOW,
          updatedBy: ACTOR,
        },
        bumpVersion: true,
        events: [
          {
            type: "severity-changed",
            actorId: ACTOR,
            at: NOW,
            data: { from: "moderate", to: "high" },
          },
        ],
      },
    ]);
  });

  it("resolves a flag no longer firing as no-longer-met, but never a critical one", () => {
    const plan = reconcile(
      [
        existing("f1", "vitd.deficient", "moderate"),
        existing("f2", "safety.suicide-risk", "critical"),
        existing("f3", "falls.at-risk", "low", "snoozed", "2026-06-01"),
      ],
      [],
    );
    expect(plan.firing).toEqual([]);
    expect(plan.autoResolve).toEqual({
      flagIds: ["f1", "f3"],
      changes: {
        status: "resolved",
        resolutionCode: "no-longer-met",
        resolvedAt: NOW,
        resolvedBy: null,
        snoozedUntil: null,
        lastAssessmentId: ASSESSMENT_ID,
        updatedAt: NOW,
        updatedBy: ACTOR,
      },
      events: ["f1", "f3"].map((flagId) => ({
        flagId,
        type: "auto-resolved",
        actorId: null,
        at: NOW,
        data: { reason: "no-longer-met", assessmentId: ASSESSMENT_ID },
      })),
    });
    expect(
      reconcile([existing("f2", "safety.suicide-risk", "critical")], []).autoResolve,
    ).toBeNull();
  });

  it("re-opens a snoozed flag when an observation of a kind it rests on arrives", () => {
    const plan = reconcile(
      [existing("f1", "depression.positive", "high", "snoozed", "2026-05-01")],
      [firing("depression.positive", "high")],
      ["phq9"],
    );
    expect(plan.firing).toEqual([
      {
        kind: "keep",
        flagId: "f1",
        changes: {
          lastAssessmentId: ASSESSMENT_ID,
          status: "open",
          snoozedUntil: null,
          updatedAt: NOW,
          updatedBy: ACTOR,
        },
        bumpVersion: true,
        events: [
          { type: "unsnoozed", actorId: ACTOR, at: NOW, data: { reason: "new-observation" } },
        ],
      },
    ]);
  });

  it("re-opens a snoozed flag whose snooze has ended (on its last day too)", () => {
    for (const until of ["2026-03-01", TODAY]) {
      const plan = reconcile(
        [existing("f1", "depression.positive", "high", "snoozed", until)],
        [firing("depression.positive", "high")],
        ["bmd"],
      );
      expect(plan.firing[0]).toMatchObject({
        kind: "keep",
        changes: { status: "open", snoozedUntil: null },
        events: [{ type: "unsnoozed", data: { reason: "snooze-expired" } }],
      });
    }
  });

  it("lets a snoozed flag sleep on when neither its data nor its date has come", () => {
    for (const until of ["2026-03-11", null]) {
      const plan = reconcile(
        [existing("f1", "depression.positive", "high", "snoozed", until)],
        [firing("depression.positive", "high")],
        ["bmd", "vitaminD"],
      );
      expect(plan.firing).toEqual([keptAsIs("f1")]);
    }
  });

  it("bumps the version once when the severity changes and the snooze ends together", () => {
    const plan = reconcile(
      [existing("f1", "depression.positive", "moderate", "snoozed", "2026-05-01")],
      [firing("depression.positive", "high")],
      ["gds15"],
    );
    const step = plan.firing[0];
    expect(step?.kind === "keep" && step.bumpVersion).toBe(true);
    expect(step?.kind === "keep" && step.events.map((e) => e.type)).toEqual([
      "severity-changed",
      "unsnoozed",
    ]);
  });

  it("lists firing flags in the assessment's order, new and kept alike", () => {
    const plan = reconcile(
      [existing("f1", "bone.osteopenia", "low")],
      [firing("vitd.deficient", "moderate"), firing("bone.osteopenia", "low")],
    );
    expect(plan.firing.map((f) => (f.kind === "open" ? f.values.code : f.flagId))).toEqual([
      "vitd.deficient",
      "f1",
    ]);
  });
});

describe("severity order", () => {
  it("ranks by SEVERITY_RANK, and sorts most severe first, then by code", () => {
    expect(["info", "low", "moderate", "high", "critical"].map(severityRank)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const list = [
      { code: "b.x", severity: "low" },
      { code: "a.x", severity: "info" },
      { code: "c.x", severity: "critical" },
      { code: "a.y", severity: "low" },
      { code: "d.x", severity: "high" },
    ];
    expect([...list].sort(compareSeverityThenCode).map((f) => f.code)).toEqual([
      "c.x",
      "d.x",
      "a.y",
      "b.x",
      "a.x",
    ]);
  });
});
