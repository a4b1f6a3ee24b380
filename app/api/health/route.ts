// GET /api/health: liveness and database reachability, without a session.
import { getDb } from "@/db/client";
import { withoutAuth } from "@/lib/auth/with-auth";
import { RULESET_VERSION } from "@/lib/clinical";
import { checkDatabase } from "@/lib/server/health";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(async () => {
  let dbOk = false;
  try {
    dbOk = await checkDatabase(await getDb());
  } catch {
    dbOk = false;
  }
  return Response.json(
    {
      status: dbOk ? "ok" : "error",
      db: dbOk ? "ok" : "error",
      version: APP_VERSION,
      rulesetVersion: RULESET_VERSION,
    },
    { status: dbOk ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
