// GET /smart/launch?iss=…&launch=…: SMART App Launch from an EHR listed in SMART_CLIENTS (or a
// standalone launch without `launch`): redirects to the EHR's authorization endpoint.
import type { NextRequest } from "next/server";
import { clientIp, userAgentOf } from "@/lib/auth/client-address";
import { startLaunch } from "@/lib/auth/smart";
import { launchResponse } from "@/lib/auth/smart-response";
import { withoutAuth } from "@/lib/auth/with-auth";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(async (req: NextRequest) =>
  launchResponse(
    await startLaunch(req.nextUrl.searchParams, {
      ip: clientIp(req.headers),
      userAgent: userAgentOf(req.headers),
    }),
    req.headers.get("accept"),
  ),
);
