// GET /api/v1/patients/:patientId/observations: the patient's observations as entered, newest first.
import { listObservationsQuerySchema } from "@/lib/api/patients";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { listObservations } from "@/lib/server/patients";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ patientId: string }>(
  "patients.read",
  async (req, { ctx, params }) => {
    const query = parseQuery(listObservationsQuerySchema, req.nextUrl.searchParams);
    return Response.json(await listObservations(ctx, params.patientId, query));
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
