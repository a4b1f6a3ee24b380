// PUT /api/self-report/answers: saves one answer of the patient's self-report as soon as it is
// given (no session; the confirmed self-report cookie). An item 9 answer above 0 is assessed at
// once; the answer says so (riskRaised), so the next screen gives the crisis line.
import { getDb } from "@/db/client";
import { parseJsonBody } from "@/lib/api/problem";
import { saveAnswerSchema } from "@/lib/api/self-reports";
import {
  linkRequestOf,
  requireConfirmed,
  requireSelfReportSession,
} from "@/lib/auth/self-report-cookie";
import { withoutAuth } from "@/lib/auth/with-auth";
import { saveAnswer } from "@/lib/server/self-report-session";

export const PUT = withoutAuth(async (req) => {
  const session = requireConfirmed(await requireSelfReportSession(req));
  const body = await parseJsonBody(req, saveAnswerSchema);
  return Response.json(await saveAnswer(await getDb(), session.sid, body, linkRequestOf(req)));
});
