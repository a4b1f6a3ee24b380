// GET /smart/callback?code=…&state=…: the EHR's answer to a launch: code exchange, id_token
// check, local user, patient, record import, session; then the patient's page.
import type { NextRequest } from "next/server";
import { clientIp, userAgentOf } from "@/lib/auth/client-address";
import { completeLaunch } from "@/lib/auth/smart";
import { launchResponse } from "@/lib/auth/smart-response";
import { withoutAuth } from "@/lib/auth/with-auth";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(async (req: NextRequest) =>
  launchResponse(
    await completeLaunch(
      req.nextUrl.searchParams,
      new Map(req.cookies.getAll().map((c) => [c.name, c.value])),
      { ip: clientIp(req.headers), userAgent: userAgentOf(req.headers) },
    ),
    req.headers.get("accept"),
  ),
);
