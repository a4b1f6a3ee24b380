// GET /api/v1/patients/:patientId/self-reports: the patient's self-reports with their answers.
// POST /api/v1/patients/:patientId/self-reports: starts one (tablet or one-time link) → 201.
// Clinicians and the care team of the patient's site; audited.
import { parseJsonBody } from "@/lib/api/problem";
import { createSelfReportSchema } from "@/lib/api/self-reports";
import { withAuth } from "@/lib/auth/with-auth";
import { createSelfReport, listSelfReports } from "@/lib/server/self-reports";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ patientId: string }>(
  "patients.read",
  async (_req, { ctx, params }) => {
    return Response.json(await listSelfReports(ctx, params.patientId));
  },
);

export const POST = withAuth<{ patientId: string }>(
  "selfreports.create",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, createSelfReportSchema);
    return Response.json(await createSelfReport(ctx, params.patientId, body), { status: 201 });
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
