import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { assessments, flagEvents, flags, userSites, users, type FlagRow } from "@/db/schema";
import { AppError, notFound } from "@/lib/api/errors";
import type { FlagAction, FlagState, FlagWithTimeline } from "@/lib/api/worklist";
import { getRule, type Flag, type FlagCode, type Severity } from "@/lib/clinical";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { planFlagAction } from "./flag-plans";
import { siteToday } from "./sites";
import { refreshPatientState } from "./patient-state";
import { getPatientInScope, isUuid, lockPatientOfRecord, outOfScope } from "./scope";

async function loadFlagState(db: Ctx["db"] | Tx, flagId: string): Promise<FlagState | null> {
  const assignee = sql<string | null>`(select name from users u where u.id = ${flags.assigneeId})`;
  const updatedBy = sql<string | null>`(select name from users u where u.id = ${flags.updatedBy})`;
  const [row] = await db
    .select({ f: flags, assigneeName: assignee, updatedByName: updatedBy })
    .from(flags)
    .where(eq(flags.id, flagId))
    .limit(1);
  return row ? toState(row.f, row.assigneeName, row.updatedByName) : null;
}

function toState(f: FlagRow, assigneeName: string | null, updatedByName: string | null): FlagState {
  return {
    id: f.id,
    patientId: f.patientId,
    code: f.code,
    title: getRule(f.code as FlagCode)?.title ?? f.code,
    severity: f.severity as Severity,
    status: f.status,
    version: f.version,
    openedAt: f.openedAt.toISOString(),
    dueOn: f.dueOn,
    assigneeId: f.assigneeId,
    assigneeName,
    snoozedUntil: f.snoozedUntil,
    snoozeReason: f.snoozeReason,
    resolutionCode: f.resolutionCode,
    resolutionNote: f.resolutionNote,
    resolvedAt: f.resolvedAt?.toISOString() ?? null,
    updatedAt: f.updatedAt.toISOString(),
    updatedByName,
    rulesetVersion: f.rulesetVersion,
  };
}

/** A flag of the actor's sites with its timeline (flag_events, oldest first); audited. */
export async function getFlag(ctx: Ctx, flagId: string): Promise<FlagWithTimeline> {
  const via = { entityType: "flag", entityId: flagId } as const;
  if (!isUuid(flagId)) throw outOfScope("flag", flagId);
  const state = await loadFlagState(ctx.db, flagId);
  if (!state) throw outOfScope("flag", flagId);
  await getPatientInScope(ctx.db, ctx.actor, state.patientId, false, via);
  const events = await ctx.db
    .select({ e: flagEvents, actorName: users.name })
    .from(flagEvents)
    .leftJoin(users, eq(users.id, flagEvents.actorId))
    .where(eq(flagEvents.flagId, flagId))
    .orderBy(asc(flagEvents.at), asc(flagEvents.id));
  const [row] = await ctx.db
    .select({ result: sql<unknown>`a.result` })
    .from(flags)
    .innerJoin(
      sql`assessments a`,
      sql`a.id = coalesce(${flags.lastAssessmentId}, ${flags.openedAssessmentId})`,
    )
    .where(eq(flags.id, flagId));
  const result = row?.result as { flags?: Flag[] } | undefined;
  await recordAudit(ctx.db, ctx.actor, {
    action: "flags.read",
    patientId: state.patientId,
    entityType: "flag",
    entityId: flagId,
  });
  return {
    ...state,
    detail: result?.flags?.find((f) => f.code === state.code) ?? null,
    events: events.map(({ e, actorName }) => ({
      id: e.id,
      type: e.type,
      at: e.at.toISOString(),
      actorName,
      data: e.data as Record<string, unknown>,
    })),
  };
}

/** Care-team members (active) of a site, for assignment. */
export async function listCareTeam(
  ctx: Ctx,
  siteId: string,
): Promise<{ id: string; name: string }[]> {
  if (!ctx.actor.siteIds.includes(siteId)) throw notFound("Site");
  return careTeamOf(ctx.db, siteId).orderBy(asc(users.name));
}

/** The active care-team members of a site (or the one `userId` if they are one). */
function careTeamOf(db: Ctx["db"] | Tx, siteId: string, userId?: string) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(userSites, eq(userSites.userId, users.id))
    .where(
      and(
        userId === undefined ? undefined : eq(users.id, userId),
        eq(userSites.siteId, siteId),
        eq(users.role, "care_team"),
        sql`${users.disabledAt} is null`,
      ),
    );
}

function unprocessable(message: string, path?: string): AppError {
  return new AppError("unprocessable", message, path ? { errors: [{ path, message }] } : {});
}

/**
 * Applies one action to a flag with optimistic concurrency: the body carries the version the user
 * saw; a stale one is a 409 that says who changed the flag and when. What the action changes is
 * `planFlagAction`; every change bumps the version, writes a flag event and an audit event, and
 * refreshes patient_state when the status changes.
 */
export async function updateFlag(
  ctx: Ctx,
  flagId: string,
  action: FlagAction,
  now: Date = new Date(),
): Promise<FlagState> {
  if (!isUuid(flagId)) throw outOfScope("flag", flagId);
  return ctx.db.transaction(async (tx) => {
    // Lock the patient, then the flag: the order a visit takes them (recordVisit locks the
    // patient, then its unresolved flags). Without the patient lock two actions on different
    // flags of one patient, or an action during a visit, could each refresh patient_state from
    // a view missing the other's change (worklist counts read patient_state.open_flag_count).
    const [owner] = await tx
      .select({ patientId: flags.patientId })
      .from(flags)
      .where(eq(flags.id, flagId))
      .limit(1);
    const { patient } = await lockPatientOfRecord(
      tx,
      ctx.actor,
      { entityType: "flag", entityId: flagId },
      owner,
    );
    const [current] = await tx
      .select()
      .from(flags)
      .where(eq(flags.id, flagId))
      .limit(1)
      .for("update");
    if (!current) throw notFound("Flag");
    if (current.version !== action.version) {
      const state = await loadFlagState(tx, flagId);
      throw new AppError(
        "conflict",
        `This flag was changed by ${state?.updatedByName ?? "someone else"} at ${state?.updatedAt ?? "?"} after you loaded it. Reload to see the change; your text is kept.`,
        { extra: { current: state } },
      );
    }
    const today = await siteToday(tx, patient.siteId, now);
    const plan = planFlagAction(current, action, ctx.actor.userId, now, today);
    if (plan.refused) throw unprocessable(plan.message, plan.path);
    if (action.action === "assign") {
      const target = plan.changes.assigneeId;
      if (target && target !== ctx.actor.userId) {
        const [member] = await careTeamOf(tx, patient.siteId, target).limit(1);
        if (!member)
          throw unprocessable(
            "Assign to yourself or to an active care-team member of the patient's site.",
            "assigneeId",
          );
      }
    }
    if (action.action === "reopen") {
      const [newer] = await tx
        .select({ id: flags.id })
        .from(flags)
        .where(
          and(
            eq(flags.patientId, current.patientId),
            eq(flags.code, current.code),
            ne(flags.status, "resolved"),
          ),
        )
        .limit(1);
      if (newer) {
        throw new AppError(
          "conflict",
          "A newer flag of this kind is already open for this patient; work on that one.",
          {
            extra: { openFlagId: newer.id },
          },
        );
      }
    }
    const updated = await tx
      .update(flags)
      .set({ ...plan.changes, version: sql`${flags.version} + 1` })
      .where(and(eq(flags.id, flagId), eq(flags.version, action.version)))
      .returning({ id: flags.id });
    if (updated.length === 0)
      throw new AppError("conflict", "This flag was changed meanwhile. Reload to see the change.");
    await tx.insert(flagEvents).values({ flagId, patientId: current.patientId, ...plan.event });
    if (plan.changes.status !== undefined) {
      // The latest assessment's priority only: its result document is not needed here.
      const [latest] = await tx
        .select({ id: assessments.id, priority: assessments.priority })
        .from(assessments)
        .where(eq(assessments.patientId, current.patientId))
        .orderBy(desc(assessments.createdAt))
        .limit(1);
      await refreshPatientState(tx, patient, latest ?? null, latest?.id ?? null, undefined, now);
    }
    await recordAudit(tx, ctx.actor, {
      action: "flags.update",
      patientId: current.patientId,
      entityType: "flag",
      entityId: flagId,
      detail: { action: action.action, code: current.code },
    });
    return (await loadFlagState(tx, flagId))!;
  });
}
