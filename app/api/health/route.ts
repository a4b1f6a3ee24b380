// GET /api/health: liveness, database reachability and the read replica's state, without a
// session. A replica that is down or lagging does not make the app unhealthy: reads fall back.
import { getDb } from "@/db/client";
import { withoutAuth } from "@/lib/auth/with-auth";
import { RULESET_VERSION } from "@/lib/clinical";
import { checkDatabase, replicaStatus } from "@/lib/server/health";
import type { ReplicaState } from "@/lib/server/replica";
import { APP_VERSION } from "@/lib/version";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(async () => {
  let dbOk = false;
  let replica: ReplicaState = "none";
  try {
    const db = await getDb();
    [dbOk, { state: replica }] = await Promise.all([checkDatabase(db), replicaStatus(db)]);
  } catch {
    dbOk = false;
  }
  return Response.json(
    {
      status: dbOk ? "ok" : "error",
      db: dbOk ? "ok" : "error",
      replica,
      version: APP_VERSION,
      rulesetVersion: RULESET_VERSION,
    },
    { status: dbOk ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
