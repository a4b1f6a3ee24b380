// POST /api/v1/observations/:observationId/retract: marks an observation entered in error and re-assesses.
import { parseJsonBody } from "@/lib/api/problem";
import { retractObservationSchema } from "@/lib/api/visits";
import { withAuth } from "@/lib/auth/with-auth";
import { retractObservation } from "@/lib/server/visits";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withAuth<{ observationId: string }>(
  "observations.retract",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, retractObservationSchema);
    return Response.json(await retractObservation(ctx, params.observationId, body.reason));
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
