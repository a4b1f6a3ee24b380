// PUT /api/self-report/answers: saves one answer of the patient's self-report as soon as it is
// given (no session; the confirmed self-report cookie). An item 9 answer above 0 is assessed at
// once; the answer says so (riskRaised), so the next screen gives the crisis line.
import { getDb } from "@/db/client";
import { parseJsonBody } from "@/lib/api/problem";
import { saveAnswerSchema } from "@/lib/api/self-reports";
import { withConfirmedSelfReport } from "@/lib/auth/self-report-cookie";
import { saveAnswer } from "@/lib/server/self-report-session";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const PUT = withConfirmedSelfReport(async (req, selfReportId, from) => {
  const body = await parseJsonBody(req, saveAnswerSchema);
  return Response.json(await saveAnswer(await getDb(), selfReportId, body, from));
});

export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods(["PUT"]);
