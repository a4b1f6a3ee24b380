// GET /api/metrics: Prometheus text for an administrator's session or
// `Authorization: Bearer <METRICS_TOKEN>` (a scraper); 401 signed out, 403 for other roles.
import { timingSafeEqual } from "node:crypto";
import { getDatabase } from "@/db/client";
import { forbidden } from "@/lib/api/errors";
import { withoutAuth } from "@/lib/auth/with-auth";
import { actorFromRequest } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { metrics, registerDatabasePools } from "@/lib/server/observability/metrics";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

function bearerMatches(header: string | null, token: string | undefined): boolean {
  if (!token || !header?.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice("Bearer ".length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const GET = withoutAuth(async (req) => {
  if (!bearerMatches(req.headers.get("authorization"), env().METRICS_TOKEN)) {
    const actor = await actorFromRequest(req);
    if (actor.role !== "admin") throw forbidden("Metrics are for administrators.");
  }
  registerDatabasePools(await getDatabase());
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
