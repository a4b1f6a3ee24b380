import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import { logFailure, requestLabel } from "@/lib/api/failure-log";
import { FhirError, fhirErrorResponse } from "@/lib/api/fhir";
import { noStoreByDefault } from "@/lib/api/problem";
import type { TokenScope } from "@/lib/api/tokens";
import { operationOutcome } from "@/lib/fhir";
import { resolveApiToken } from "@/lib/server/api-tokens";
import { recordAudit } from "@/lib/server/audit";
import { actorFor, type Actor, type Ctx } from "@/lib/server/context";
import { findUserById } from "@/lib/server/users";
import { clientIp, userAgentOf } from "./client-address";
import { can, type Permission } from "./permissions";
import { isCrossSiteWrite } from "./same-origin";
import { actorFromRequest } from "./session";
import { auditRefusedLookup } from "./with-auth";

type Params = Record<string, string | string[] | undefined>;

export type FhirHandler<P extends Params> = (
  req: NextRequest,
  args: { ctx: Ctx; params: P; via: "token" | "session" },
) => Promise<Response>;

/** What a signed-in person needs for each scope. */
const SESSION_PERMISSIONS: Readonly<Record<TokenScope, readonly Permission[]>> = {
  "fhir.read": ["patients.read"],
  "fhir.write": ["visits.create", "patients.create"],
};

function unauthenticated(message: string): FhirError {
  return new FhirError(401, operationOutcome([{ severity: "error", code: "login", message }]));
}

async function denied(
  actor: Actor,
  detail: Record<string, unknown>,
  message: string,
): Promise<FhirError> {
  await recordAudit(await getDb(), actor, {
    action: "permission.denied",
    outcome: "denied",
    detail,
  });
  return new FhirError(403, operationOutcome([{ severity: "error", code: "forbidden", message }]));
}

/**
 * The actor behind `Authorization: Bearer bbc_…` (an API token's service account), or null when the
 * request carries no bearer token. A bearer token that does not resolve is a 401 (and audited).
 */
async function actorFromToken(req: NextRequest, scope: TokenScope): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated("The Authorization header must be `Bearer <API token>`.");
  const db = await getDb();
  const resolved = await resolveApiToken(db, match[1]!);
  const user = resolved ? await findUserById(db, resolved.serviceUserId) : null;
  if (!resolved || !user || user.disabledAt) {
    await recordAudit(db, null, {
      action: "auth.token-refused",
      outcome: "denied",
      ip: clientIp(req.headers),
      userAgent: userAgentOf(req.headers),
      detail: { where: `${req.method} ${req.nextUrl.pathname}` },
    });
    throw unauthenticated("The API token is not valid (unknown, expired or revoked).");
  }
  const actor = actorFor(user, { ip: clientIp(req.headers), userAgent: userAgentOf(req.headers) });
  if (!resolved.scopes.includes(scope)) {
    throw await denied(
      actor,
      { scope, tokenId: resolved.tokenId, where: `${req.method} ${req.nextUrl.pathname}` },
      `This API token does not have the ${scope} scope.`,
    );
  }
  return actor;
}

/**
 * Wraps a /fhir/r4 route handler: an API token with `scope`, or else a session whose role has the
 * matching permissions; 401/403 (audited) and every error as an OperationOutcome
 * (application/fhir+json).
 */
export function withFhirAuth<P extends Params = Record<string, never>>(
  scope: TokenScope,
  handler: FhirHandler<P>,
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    let actor: Actor | null = null;
    try {
      actor = await actorFromToken(req, scope);
      let via: "token" | "session" = "token";
      if (!actor) {
        via = "session";
        // A browser sends the cookie by itself: the cross-site rule applies to this path.
        if (isCrossSiteWrite(req)) {
          throw new FhirError(
            403,
            operationOutcome([
              {
                severity: "error",
                code: "forbidden",
                message: "Writes with a session are accepted only from the application's pages.",
              },
            ]),
          );
        }
        try {
          actor = await actorFromRequest(req);
        } catch (error) {
          if (error instanceof AppError) {
            throw unauthenticated("Send `Authorization: Bearer <API token>` or sign in.");
          }
          throw error;
        }
        const missing = SESSION_PERMISSIONS[scope].filter((p) => !can(actor!.role, p));
        if (missing.length) {
          throw await denied(
            actor,
            {
              permission: missing.join(","),
              scope,
              where: `${req.method} ${req.nextUrl.pathname}`,
            },
            `Your role (${actor.role}) does not allow ${missing.join(" and ")}.`,
          );
        }
      }
      return noStoreByDefault(
        await handler(req, { ctx: { db: await getDb(), actor }, params: await route.params, via }),
      );
    } catch (error) {
      const where = requestLabel(req.method, req.nextUrl.pathname);
      if (!(error instanceof AppError) && !(error instanceof FhirError)) logFailure(where, error);
      await auditRefusedLookup(actor, error, where);
      const response = fhirErrorResponse(error);
      if (response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="fhir"');
      return response;
    }
  };
}
