// GET /api/v1/flags/:flagId: the flag with its timeline.
// PATCH /api/v1/flags/:flagId: one action ({ version, action, … }); a stale version → 409.
import { parseJsonBody } from "@/lib/api/problem";
import { flagActionSchema } from "@/lib/api/worklist";
import { FLAG_ACTION_PERMISSION } from "@/lib/auth/permissions";
import { assertCan, withAuth } from "@/lib/auth/with-auth";
import { getFlag, updateFlag } from "@/lib/server/flags";

export const GET = withAuth<{ flagId: string }>("flags.read", async (_req, { ctx, params }) => {
  return Response.json(await getFlag(ctx, params.flagId));
});

export const PATCH = withAuth<{ flagId: string }>(
  "flags.acknowledge",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, flagActionSchema);
    await assertCan(ctx.actor, FLAG_ACTION_PERMISSION[body.action], `PATCH flag ${body.action}`);
    return Response.json(await updateFlag(ctx, params.flagId, body));
  },
);
