// GET /api/v1/worklist/treat-to-target: patients whose depression is not improving, with PHQ-9 series.
import { withAuth } from "@/lib/auth/with-auth";
import { listTreatToTarget } from "@/lib/server/worklist";

export const GET = withAuth("worklist.read", async (_req, { ctx }) => {
  return Response.json(await listTreatToTarget(ctx));
});
