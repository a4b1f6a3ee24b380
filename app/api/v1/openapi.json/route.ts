// GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1, for any signed-in user.
import { openApiDocument } from "@/lib/api/openapi";
import { actorFromRequest } from "@/lib/auth/session";
import { withoutAuth } from "@/lib/auth/with-auth";
import { APP_VERSION } from "@/lib/version";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

let document: string | undefined;

export const GET = withoutAuth(async (req) => {
  await actorFromRequest(req);
  document ??= JSON.stringify(openApiDocument(APP_VERSION));
  return new Response(document, {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
