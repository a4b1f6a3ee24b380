import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { AppError, forbidden } from "@/lib/api/errors";
import { logFailure, requestLabel } from "@/lib/api/failure-log";
import { FhirError } from "@/lib/api/fhir";
import { errorToProblem, noStoreByDefault } from "@/lib/api/problem";
import { recordAudit } from "@/lib/server/audit";
import { noteRequestUser } from "@/lib/server/observability/context";
import type { Actor, Ctx } from "@/lib/server/context";
import { recordDeniedLookup } from "@/lib/server/scope";
import { can, type Permission } from "./permissions";
import { crossSiteRefusal, isCrossSiteWrite } from "./same-origin";
import { actorFromRequest, actorFromSession } from "./session";

type Params = Record<string, string | string[] | undefined>;

export type AuthedHandler<P extends Params> = (
  req: NextRequest,
  args: { ctx: Ctx; params: P },
) => Promise<Response>;

async function auditDenied(actor: Actor, permission: Permission, where: string): Promise<void> {
  await recordAudit(await getDb(), actor, {
    action: "permission.denied",
    outcome: "denied",
    detail: { permission, where },
  });
}

/**
 * Audits the refused lookup an error carries (a record outside the actor's sites, see
 * lib/server/scope.ts), on the root connection: the error may have rolled back a transaction
 * holding any event written inside it. A failure here is logged, not added to the caller's.
 */
export async function auditRefusedLookup(
  actor: Actor | null,
  error: unknown,
  where: string,
): Promise<void> {
  const lookup =
    error instanceof AppError
      ? error.details.deniedLookup
      : error instanceof FhirError
        ? error.deniedLookup
        : undefined;
  if (!actor || !lookup) return;
  try {
    await recordDeniedLookup(await getDb(), actor, lookup, where);
  } catch (failure) {
    logFailure(`audit of a refused lookup at ${where}`, failure);
  }
}

/**
 * For a route whose needed permission depends on the request (e.g. the action of a PATCH): checks
 * it the same way the wrapper does (audited 403).
 */
export async function assertCan(
  actor: Actor,
  permission: Permission,
  where: string,
): Promise<void> {
  if (can(actor.role, permission)) return;
  await auditDenied(actor, permission, where);
  throw forbidden(`Your role (${actor.role}) does not allow ${permission}.`);
}

/**
 * Wraps a route handler: a write from another site (403), session (401), the role's permission
 * (403, audited), then the handler, whose answer is `Cache-Control: no-store` unless it says
 * otherwise; any error becomes problem+json without internals, a refused lookup is audited.
 */
export function withAuth<P extends Params = Record<string, never>>(
  permission: Permission,
  handler: AuthedHandler<P>,
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    let actor: Actor | null = null;
    try {
      if (isCrossSiteWrite(req)) return crossSiteRefusal();
      actor = await actorFromRequest(req);
      noteRequestUser(actor.userId);
      if (!can(actor.role, permission)) {
        await auditDenied(actor, permission, `${req.method} ${req.nextUrl.pathname}`);
        throw forbidden(`Your role (${actor.role}) does not allow ${permission}.`);
      }
      const params = await route.params;
      return noStoreByDefault(await handler(req, { ctx: { db: await getDb(), actor }, params }));
    } catch (error) {
      const where = requestLabel(req.method, req.nextUrl.pathname);
      if (!(error instanceof AppError)) logFailure(where, error);
      await auditRefusedLookup(actor, error, where);
      return errorToProblem(error);
    }
  };
}

/**
 * Wraps a handler that needs no session (health, discovery): the same cross-site and caching
 * defaults; errors still become problem+json.
 */
export function withoutAuth<P extends Params = Record<string, never>>(
  handler: (req: NextRequest, args: { params: P }) => Promise<Response>,
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    try {
      if (isCrossSiteWrite(req)) return crossSiteRefusal();
      return noStoreByDefault(await handler(req, { params: await route.params }));
    } catch (error) {
      if (!(error instanceof AppError))
        logFailure(requestLabel(req.method, req.nextUrl.pathname), error);
      return errorToProblem(error);
    }
  };
}

/**
 * For server components: the signed-in actor with `permission`, else a redirect to sign-in
 * (signed out) or to /forbidden (audited).
 */
export async function requirePage(permission?: Permission): Promise<Ctx> {
  const h = await nextHeaders();
  const actor = await actorFromSession(h);
  if (!actor) redirect("/signin");
  noteRequestUser(actor.userId);
  if (permission && !can(actor.role, permission)) {
    await auditDenied(actor, permission, "page");
    // The refused page goes along (the proxy names it), so the forbidden page can say which.
    const from = h.get("x-page-path");
    redirect(from ? `/forbidden?from=${encodeURIComponent(from)}` : "/forbidden");
  }
  return { db: await getDb(), actor };
}
