import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { AppError, forbidden } from "@/lib/api/errors";
import { logFailure, requestLabel } from "@/lib/api/failure-log";
import { errorToProblem, zodFieldErrors } from "@/lib/api/problem";
import { recordAudit } from "@/lib/server/audit";
import { noteRequestUser } from "@/lib/server/observability/context";
import type { Actor, Ctx } from "@/lib/server/context";
import { can, type Permission } from "./permissions";
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
 * Wraps a route handler: session (401), the role's permission (403, audited), then the handler;
 * any error becomes problem+json without internals.
 */
export function withAuth<P extends Params = Record<string, never>>(
  permission: Permission,
  handler: AuthedHandler<P>,
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    try {
      const actor = await actorFromRequest(req);
      noteRequestUser(actor.userId);
      if (!can(actor.role, permission)) {
        await auditDenied(actor, permission, `${req.method} ${req.nextUrl.pathname}`);
        throw forbidden(`Your role (${actor.role}) does not allow ${permission}.`);
      }
      const params = await route.params;
      return await handler(req, { ctx: { db: await getDb(), actor }, params });
    } catch (error) {
      if (!(error instanceof AppError))
        logFailure(requestLabel(req.method, req.nextUrl.pathname), error);
      return errorToProblem(error);
    }
  };
}

/** Wraps a handler that needs no session (health, discovery); errors still become problem+json. */
export function withoutAuth<P extends Params = Record<string, never>>(
  handler: (req: NextRequest, args: { params: P }) => Promise<Response>,
): (req: NextRequest, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    try {
      return await handler(req, { params: await route.params });
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
    redirect("/forbidden");
  }
  return { db: await getDb(), actor };
}

export type ActionResult<T> =
  | { status: "ok"; data: T }
  | { status: "invalid"; errors: { path: string; message: string }[] }
  | { status: "error"; message: string };

/**
 * Wraps a server action (a public POST endpoint): the same session and permission checks as
 * route handlers, and zod on its input.
 */
export function authorizedAction<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  action: (ctx: Ctx, input: z.infer<S>) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const actor = await actorFromSession(await nextHeaders());
      if (!actor) return { status: "error", message: "Sign in again: your session has ended." };
      if (!can(actor.role, permission)) {
        await auditDenied(actor, permission, "server-action");
        return { status: "error", message: "You do not have permission to do this." };
      }
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { status: "invalid", errors: zodFieldErrors(parsed.error) };
      return { status: "ok", data: await action({ db: await getDb(), actor }, parsed.data) };
    } catch (error) {
      if (error instanceof AppError) return { status: "error", message: error.message };
      logFailure("server action", error);
      return { status: "error", message: "Something went wrong on our side; try again." };
    }
  };
}
