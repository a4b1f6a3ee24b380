// POST /api/self-report/submit: the patient sends the answers for review; the link is used up
// (no session; the confirmed self-report cookie). Audited as the patient.
import { getDb } from "@/db/client";
import {
  linkRequestOf,
  requireConfirmed,
  requireSelfReportSession,
} from "@/lib/auth/self-report-cookie";
import { withoutAuth } from "@/lib/auth/with-auth";
import { submitSelfReport } from "@/lib/server/self-report-session";

export const POST = withoutAuth(async (req) => {
  const session = requireConfirmed(await requireSelfReportSession(req));
  return Response.json(await submitSelfReport(await getDb(), session.sid, linkRequestOf(req)));
});
