// POST /api/self-report/submit: the patient sends the answers for review; the link is used up
// (no session; the confirmed self-report cookie). Audited as the patient.
import { getDb } from "@/db/client";
import { withConfirmedSelfReport } from "@/lib/auth/self-report-cookie";
import { submitSelfReport } from "@/lib/server/self-report-session";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withConfirmedSelfReport(async (_req, selfReportId, from) =>
  Response.json(await submitSelfReport(await getDb(), selfReportId, from)),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
