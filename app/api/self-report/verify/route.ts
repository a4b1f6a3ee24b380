// POST /api/self-report/verify: the patient confirms their birth date (no session; the
// self-report cookie set by /r/:token). Five wrong dates lock the link; an address that keeps
// failing waits (429). Audited as the patient.
import { getDb } from "@/db/client";
import { parseJsonBody } from "@/lib/api/problem";
import { verifyBirthDateSchema } from "@/lib/api/self-reports";
import {
  linkRequestOf,
  requireSelfReportSession,
  selfReportCookieHeader,
  signSelfReportCookie,
} from "@/lib/auth/self-report-cookie";
import { withoutAuth } from "@/lib/auth/with-auth";
import { verifyBirthDate } from "@/lib/server/self-report-session";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withoutAuth(async (req) => {
  const session = await requireSelfReportSession(req);
  const body = await parseJsonBody(req, verifyBirthDateSchema);
  await verifyBirthDate(await getDb(), session.sid, body.birthDate, linkRequestOf(req));
  const expiresAt = new Date(session.exp * 1000);
  const cookie = await signSelfReportCookie({ sid: session.sid, verified: true }, expiresAt);
  return Response.json(
    { verified: true },
    {
      headers: {
        "set-cookie": selfReportCookieHeader(cookie, expiresAt, req.nextUrl.protocol === "https:"),
      },
    },
  );
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
