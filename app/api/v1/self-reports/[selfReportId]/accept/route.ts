// POST /api/v1/self-reports/:selfReportId/accept: the submitted answers become observations of a
// new visit (method patient-reported), assessed like any visit. Clinicians (visits.create).
import { parseJsonBody } from "@/lib/api/problem";
import { acceptSelfReportSchema } from "@/lib/api/self-reports";
import { withAuth } from "@/lib/auth/with-auth";
import { acceptSelfReport } from "@/lib/server/self-reports";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withAuth<{ selfReportId: string }>(
  "visits.create",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, acceptSelfReportSchema);
    return Response.json(await acceptSelfReport(ctx, params.selfReportId, body));
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
