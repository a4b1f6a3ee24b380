// GET /api/v1/flags/:flagId: the flag with its timeline.
// PATCH /api/v1/flags/:flagId: one action ({ version, action, … }); a stale version → 409.
import { parseJsonBody } from "@/lib/api/problem";
import { flagActionSchema, SAFETY_PLAN_DONE } from "@/lib/api/worklist";
import { FLAG_ACTION_PERMISSION } from "@/lib/auth/permissions";
import { assertCan, withAuth } from "@/lib/auth/with-auth";
import { getFlag, updateFlag } from "@/lib/server/flags";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ flagId: string }>("flags.read", async (_req, { ctx, params }) => {
  return Response.json(await getFlag(ctx, params.flagId));
});

export const PATCH = withAuth<{ flagId: string }>(
  "flags.acknowledge",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, flagActionSchema);
    // The safety plan the clinician made resolves the suicide-risk flag: theirs to record.
    const permission =
      body.action === "resolve" && body.reason === SAFETY_PLAN_DONE
        ? "flags.acknowledge"
        : FLAG_ACTION_PERMISSION[body.action];
    await assertCan(ctx.actor, permission, `PATCH flag ${body.action}`);
    return Response.json(await updateFlag(ctx, params.flagId, body));
  },
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(["GET", "PATCH"]);
