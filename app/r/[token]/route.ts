// GET /r/:token: opens a self-report link (no session). A usable one sets the patient's
// self-report cookie and redirects to /self-report (the token leaves the address bar); on a tablet
// it also removes the staff's session from the browser. Unknown → 404, used or expired → 410
// (an HTML page for a browser, problem+json otherwise). Every open is audited.
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { AppError, STATUS_OF, TITLE_OF } from "@/lib/api/errors";
import { errorToProblem } from "@/lib/api/problem";
import {
  clearStaffSessionHeaders,
  linkRequestOf,
  selfReportCookieHeader,
  signSelfReportCookie,
} from "@/lib/auth/self-report-cookie";
import { withoutAuth } from "@/lib/auth/with-auth";
import { openSelfReport } from "@/lib/server/self-report-session";
import { goneOrUnknownPage } from "./gone-page";

export const GET = withoutAuth<{ token: string }>(async (req: NextRequest, { params }) => {
  try {
    const opened = await openSelfReport(await getDb(), params.token, linkRequestOf(req));
    const secure = req.nextUrl.protocol === "https:";
    const expiresAt = new Date(opened.expiresAt);
    const cookie = await signSelfReportCookie(
      { sid: opened.id, verified: opened.mode === "tablet" },
      expiresAt,
    );
    const headers = new Headers({ location: "/self-report", "cache-control": "no-store" });
    headers.append("set-cookie", selfReportCookieHeader(cookie, expiresAt, secure));
    if (opened.mode === "tablet") {
      for (const value of clearStaffSessionHeaders(secure)) headers.append("set-cookie", value);
    }
    // No referrer from here on: the token must not travel to the next page's requests.
    headers.set("referrer-policy", "no-referrer");
    return new Response(null, { status: 303, headers });
  } catch (error) {
    const wantsHtml = (req.headers.get("accept") ?? "").includes("text/html");
    if (!wantsHtml || !(error instanceof AppError)) return errorToProblem(error);
    const status = STATUS_OF[error.kind];
    return new Response(goneOrUnknownPage(status, TITLE_OF[error.kind], req.headers), {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
});
