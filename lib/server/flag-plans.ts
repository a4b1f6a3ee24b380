import type { FlagRow } from "@/db/schema";
import { MAX_SNOOZE_DAYS, type FlagAction } from "@/lib/api/worklist";
import {
  flagKinds,
  RULESET_POLICY,
  type Assessment,
  type ObservationKind,
  type Severity,
} from "@/lib/clinical";
import { SEVERITY_RANK } from "@/lib/clinical/constants";
import { SAFETY_PLAN_DONE, SUICIDE_RISK_FLAG } from "@/lib/api/worklist-values";
import { addDays, todayIso } from "./dates";

/*
 * What happens to flags, decided without the database: the reconciliation after an assessment and
 * a person's action on one flag. The use-cases (reassessPatient, updateFlag) write these plans with
 * SQL; the bulk seed applies them to rows in memory, so both write the same flags and events.
 */

/** A flag severity's rank, higher is more severe (SEVERITY_RANK; 0 for a value it does not know). */
export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity as Severity] ?? 0;
}

/** Most severe first, then by code (flag codes are lower-case ASCII: code-unit order). */
export function compareSeverityThenCode(
  a: { severity: string; code: string },
  b: { severity: string; code: string },
): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** A flag_events row to write; the writer adds the flag and patient ids. */
export interface PlannedFlagEvent {
  type: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------------

/** The columns of an unresolved flag that reconciliation reads. */
export type ReconcilableFlag = Pick<
  FlagRow,
  "id" | "code" | "severity" | "status" | "snoozedUntil"
>;

/** Column values a plan sets on an existing flag (a version bump is said separately). */
export type FlagChanges = Partial<
  Pick<
    FlagRow,
    | "severity"
    | "status"
    | "snoozedUntil"
    | "lastAssessmentId"
    | "resolutionCode"
    | "resolvedAt"
    | "resolvedBy"
    | "updatedAt"
    | "updatedBy"
  >
>;

/** A new flag's columns (the writer assigns the id and the patient). */
export type PlannedFlagValues = Pick<
  FlagRow,
  | "code"
  | "severity"
  | "status"
  | "rulesetVersion"
  | "openedAt"
  | "openedAssessmentId"
  | "lastAssessmentId"
  | "dueOn"
  | "updatedAt"
  | "updatedBy"
>;

/** One firing flag: a new one to open, or an existing one to keep (in assessment order). */
export type PlannedFiringFlag =
  | { kind: "open"; values: PlannedFlagValues; event: PlannedFlagEvent }
  | {
      kind: "keep";
      flagId: string;
      changes: FlagChanges;
      bumpVersion: boolean;
      events: PlannedFlagEvent[];
    };

export interface ReconciliationPlan {
  firing: PlannedFiringFlag[];
  /** Flags that no longer fire (never a critical one): resolved as no-longer-met, version + 1. */
  autoResolve: {
    flagIds: string[];
    changes: FlagChanges;
    events: (PlannedFlagEvent & { flagId: string })[];
  } | null;
}

/**
 * The flag reconciliation decision as a pure function of the patient's unresolved flags and the
 * new assessment (ARCHITECTURE.md "Flag reconciliation"): a new code opens a flag (due after
 * RULESET_POLICY.dueDays of its severity); a code still firing keeps its flag (severity updated);
 * a code no longer firing is resolved as `no-longer-met`, except a critical flag, which waits for a
 * person. A snoozed flag re-opens when a new observation of a kind it rests on arrives, or when its
 * snooze has expired.
 */
export function planReconciliation(
  existing: readonly ReconcilableFlag[],
  assessment: Pick<Assessment, "flags" | "rulesetVersion">,
  assessmentId: string,
  changedKinds: readonly ObservationKind[],
  now: Date,
  actorId: string | null,
  /** Today at the patient's site (due dates count from it). */
  today: string = todayIso(now),
): ReconciliationPlan {
  const byCode = new Map(existing.map((f) => [f.code, f]));
  const firingCodes = new Set<string>();
  const firing: PlannedFiringFlag[] = [];

  for (const flag of assessment.flags) {
    firingCodes.add(flag.code);
    const current = byCode.get(flag.code);
    if (!current) {
      const due = RULESET_POLICY.dueDays[flag.severity];
      firing.push({
        kind: "open",
        values: {
          code: flag.code,
          severity: flag.severity,
          status: "open",
          rulesetVersion: assessment.rulesetVersion,
          openedAt: now,
          openedAssessmentId: assessmentId,
          lastAssessmentId: assessmentId,
          dueOn: due === null ? null : addDays(today, due),
          updatedAt: now,
          updatedBy: actorId,
        },
        event: {
          type: "opened",
          actorId,
          at: now,
          data: {
            severity: flag.severity,
            rationale: flag.rationale,
            assessmentId,
            rulesetVersion: assessment.rulesetVersion,
          },
        },
      });
      continue;
    }
    const events: PlannedFlagEvent[] = [];
    const changes: FlagChanges = { lastAssessmentId: assessmentId };
    if (current.severity !== flag.severity) {
      changes.severity = flag.severity;
      events.push({
        type: "severity-changed",
        actorId,
        at: now,
        data: { from: current.severity, to: flag.severity },
      });
    }
    if (current.status === "snoozed") {
      const restsOn = flagKinds(flag.code);
      const newData = changedKinds.some((k) => restsOn.includes(k));
      const expired = current.snoozedUntil !== null && current.snoozedUntil <= today;
      if (newData || expired) {
        changes.status = "open";
        changes.snoozedUntil = null;
        events.push({
          type: "unsnoozed",
          actorId,
          at: now,
          data: { reason: newData ? "new-observation" : "snooze-expired" },
        });
      }
    }
    const bumpVersion = events.length > 0;
    if (bumpVersion) {
      changes.updatedAt = now;
      changes.updatedBy = actorId;
    }
    firing.push({ kind: "keep", flagId: current.id, changes, bumpVersion, events });
  }

  const noLongerMet = existing.filter((f) => !firingCodes.has(f.code) && f.severity !== "critical");
  return {
    firing,
    autoResolve:
      noLongerMet.length === 0
        ? null
        : {
            flagIds: noLongerMet.map((f) => f.id),
            changes: {
              status: "resolved",
              resolutionCode: "no-longer-met",
              resolvedAt: now,
              resolvedBy: null,
              snoozedUntil: null,
              lastAssessmentId: assessmentId,
              updatedAt: now,
              updatedBy: actorId,
            },
            events: noLongerMet.map((f) => ({
              flagId: f.id,
              type: "auto-resolved",
              actorId: null,
              at: now,
              data: { reason: "no-longer-met", assessmentId },
            })),
          },
  };
}

// ---------------------------------------------------------------------------------------------
// A person's action on one flag
// ---------------------------------------------------------------------------------------------

/** Column values an action sets; every action also raises the version by one. */
export type FlagActionChanges = Partial<
  Pick<
    FlagRow,
    | "status"
    | "assigneeId"
    | "acknowledgedAt"
    | "acknowledgedBy"
    | "snoozedUntil"
    | "snoozeReason"
    | "resolutionCode"
    | "resolutionNote"
    | "resolvedAt"
    | "resolvedBy"
    | "updatedAt"
    | "updatedBy"
  >
>;

/** An action's changes and its flag event, or why it is refused (a 422 with `path` when given). */
export type FlagActionPlan =
  | { refused: false; changes: FlagActionChanges; event: PlannedFlagEvent }
  | { refused: true; message: string; path?: string };

const refuse = (message: string, path?: string): FlagActionPlan => ({
  refused: true,
  message,
  ...(path ? { path } : {}),
});

/**
 * What one care-team action (acknowledge, assign, note, snooze, resolve, reopen) changes on a flag
 * in its current state, by `actorId` at `now`, or why it is refused: a resolved flag can only be
 * reopened, a critical flag is never snoozed, a snooze ends after today and within
 * MAX_SNOOZE_DAYS. The version the user saw, an assignee's membership of the site and a newer flag
 * of the same code are checked by the caller, against the database.
 */
export function planFlagAction(
  flag: Pick<FlagRow, "status" | "severity"> & { code?: string },
  action: FlagAction,
  actorId: string,
  now: Date,
  /** Today at the patient's site (snoozes end on its dates). */
  today: string = todayIso(now),
): FlagActionPlan {
  const resolved = flag.status === "resolved";
  const plan = (
    type: string,
    changes: FlagActionChanges,
    data: Record<string, unknown> = {},
  ): FlagActionPlan => ({
    refused: false,
    changes: { ...changes, updatedAt: now, updatedBy: actorId },
    event: { type, actorId, at: now, data },
  });
  switch (action.action) {
    case "acknowledge":
      if (resolved) return refuse("A resolved flag cannot be acknowledged.");
      if (flag.status === "acknowledged") return refuse("This flag is already acknowledged.");
      return plan("acknowledged", {
        status: "acknowledged",
        acknowledgedAt: now,
        acknowledgedBy: actorId,
        snoozedUntil: null,
      });
    case "assign": {
      if (resolved) return refuse("A resolved flag cannot be assigned.");
      const target = action.assigneeId === "me" ? actorId : action.assigneeId;
      return plan("assigned", { assigneeId: target }, { assigneeId: target });
    }
    case "note":
      return plan("note", {}, { note: action.note });
    case "snooze": {
      if (resolved) return refuse("A resolved flag cannot be snoozed.");
      if (flag.severity === "critical") {
        return refuse("A critical flag cannot be snoozed: it needs action today.");
      }
      if (action.until <= today) return refuse("Snooze until a day after today.", "until");
      if (action.until > addDays(today, MAX_SNOOZE_DAYS)) {
        return refuse(`Snooze for at most ${MAX_SNOOZE_DAYS} days.`, "until");
      }
      return plan(
        "snoozed",
        { status: "snoozed", snoozedUntil: action.until, snoozeReason: action.reason },
        { until: action.until, reason: action.reason },
      );
    }
    case "resolve":
      if (resolved) return refuse("This flag is already resolved.");
      if (action.reason === SAFETY_PLAN_DONE && flag.code !== SUICIDE_RISK_FLAG) {
        return refuse("Only the suicide-risk flag is resolved by a safety plan.", "reason");
      }
      return plan(
        "resolved",
        {
          status: "resolved",
          resolutionCode: action.reason,
          resolutionNote: action.note ?? null,
          resolvedAt: now,
          resolvedBy: actorId,
          snoozedUntil: null,
        },
        { reason: action.reason, ...(action.note ? { note: action.note } : {}) },
      );
    case "reopen":
      if (!resolved) return refuse("Only a resolved flag can be reopened.");
      return plan(
        "reopened",
        {
          status: "open",
          resolutionCode: null,
          resolutionNote: null,
          resolvedAt: null,
          resolvedBy: null,
        },
        action.note ? { note: action.note } : {},
      );
  }
}
