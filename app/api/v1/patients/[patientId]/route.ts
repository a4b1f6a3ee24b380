// GET /api/v1/patients/:patientId: the patient, its latest assessment and its open flags.
import { withAuth } from "@/lib/auth/with-auth";
import { getPatientDetail } from "@/lib/server/patients";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ patientId: string }>(
  "patients.read",
  async (_req, { ctx, params }) => {
    const detail = await getPatientDetail(ctx, params.patientId);
    return Response.json({ ...detail.patient, ...detail, patient: detail.patient });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
