// POST /api/v1/patients/:patientId/visits: records a visit's observations → 201 { visit, assessment, flags }.
import { parseJsonBody } from "@/lib/api/problem";
import { recordVisitSchema } from "@/lib/api/visits";
import { withAuth } from "@/lib/auth/with-auth";
import { recordVisit } from "@/lib/server/visits";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withAuth<{ patientId: string }>(
  "visits.create",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, recordVisitSchema);
    const result = await recordVisit(ctx, params.patientId, body);
    return Response.json(result, {
      status: 201,
      headers: { location: `/api/v1/patients/${params.patientId}` },
    });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
