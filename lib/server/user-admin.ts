import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens, users, userSites, type Role } from "@/db/schema";
import {
  SITE_ROLES,
  type AdminUser,
  type AdminUserList,
  type CreateUserInput,
  type UpdateUserInput,
  type UserRole,
} from "@/lib/api/admin";
import { AppError, notFound } from "@/lib/api/errors";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { isUuid } from "./scope";
import { listSites, sitesOfUsers } from "./users";

// lib/api cannot import db/: this fails to compile if its role list drifts from the schema's.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const ROLE_LISTS_AGREE: SameSet<Role, UserRole> = true;

/** Hashes a password (argon2id in production); passed in because lib/server may not import lib/auth. */
export type PasswordHasher = (password: string) => Promise<string>;

/** A refusal by an administration rule, audited as `denied` before it reaches the client. */
class RuleRefusal extends AppError {
  constructor(
    readonly rule: "self" | "last-admin" | "service-account",
    message: string,
  ) {
    super("conflict", message, { extra: { rule } });
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (e.code === "23505") return true;
    e = e.cause as typeof e;
  }
  return false;
}

const duplicateEmail = (email: string): AppError =>
  new AppError("conflict", `An account with the email ${email} already exists.`, {
    errors: [{ path: "email", message: "This email is already used by another account." }],
  });

/** An API token acts through this account (lib/server/api-tokens.ts creates and revokes it). */
// Written out in full: drizzle renders a column of the outer table unqualified in select fields.
const isServiceAccount = sql<boolean>`exists (select 1 from api_tokens t where t.service_user_id = users.id)`;

/** The account columns the administration reads before and after a change. */
const accountColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabledAt: users.disabledAt,
};

async function loadAdminUsers(db: Ctx["db"] | Tx, ids?: readonly string[]): Promise<AdminUser[]> {
  const base = db
    .select({ ...accountColumns, createdAt: users.createdAt, serviceAccount: isServiceAccount })
    .from(users);
  const rows = await (ids ? base.where(inArray(users.id, [...ids])) : base).orderBy(
    asc(users.email),
  );
  const memberships = await sitesOfUsers(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    disabled: r.disabledAt !== null,
    disabledAt: r.disabledAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    serviceAccount: r.serviceAccount,
    sites: memberships.get(r.id) ?? [],
  }));
}

async function loadAdminUser(db: Ctx["db"] | Tx, id: string): Promise<AdminUser> {
  const [user] = await loadAdminUsers(db, [id]);
  if (!user) throw notFound("User");
  return user;
}

/** Every site id must exist, and a clinical or quality role needs at least one site. */
async function checkSites(db: Ctx["db"] | Tx, role: Role, siteIds: readonly string[]) {
  if (siteIds.length === 0 && SITE_ROLES.includes(role)) {
    throw new AppError("unprocessable", "Some fields are not valid.", {
      errors: [
        {
          path: "siteIds",
          message: "A clinician, care-team or quality user needs at least one site.",
        },
      ],
    });
  }
  const found = new Set((await listSites(db, siteIds)).map((s) => s.id));
  const unknown = siteIds
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !found.has(id))
    .map(({ id, i }) => ({ path: `siteIds.${i}`, message: `There is no site ${id}.` }));
  if (unknown.length) {
    throw new AppError("unprocessable", "Some fields are not valid.", { errors: unknown });
  }
}

/**
 * Locks the active administrators' rows, in id order, before anything else in the transaction:
 * two administrators disabling each other at the same moment are then serialised (never both
 * succeed) and take their locks in one order (no deadlock).
 */
async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

function assertAnotherActiveAdmin(activeAdmins: readonly string[], userId: string): void {
  if (!activeAdmins.some((id) => id !== userId)) {
    throw new RuleRefusal(
      "last-admin",
      "This is the last active administrator: make another user an administrator first.",
    );
  }
}

/** Every account with its sites, and every site (for the forms); audited as `users.list`. */
export async function listAdminUsers(ctx: Ctx): Promise<AdminUserList> {
  const [items, allSites] = await Promise.all([loadAdminUsers(ctx.db), listSites(ctx.db)]);
  await recordAudit(ctx.db, ctx.actor, { action: "users.list", detail: { count: items.length } });
  return { items, sites: allSites };
}

/** Creates an account with a hashed initial password; 409 on an email already in use. */
export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
  hashPassword: PasswordHasher,
): Promise<AdminUser> {
  await checkSites(ctx.db, input.role, input.siteIds);
  const [existing] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.email))
    .limit(1);
  if (existing) throw duplicateEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, passwordHash })
        .returning({ id: users.id });
      const id = row!.id;
      if (input.siteIds.length) {
        await tx.insert(userSites).values(input.siteIds.map((siteId) => ({ userId: id, siteId })));
      }
      await recordAudit(tx, ctx.actor, {
        action: "users.create",
        entityType: "user",
        entityId: id,
        detail: { email: input.email, role: input.role, siteIds: input.siteIds },
      });
      return loadAdminUser(tx, id);
    });
  } catch (error) {
    // Two administrators creating the same email at once: the unique index decides.
    if (isUniqueViolation(error)) throw duplicateEmail(input.email);
    throw error;
  }
}

/**
 * One administrative change to an account: disable, enable, update (name, role, sites) or reset
 * its password. An administrator cannot disable themself or change their own role, the last
 * active administrator cannot be disabled or demoted, and API-token service accounts are managed
 * under API tokens only (409, audited as denied).
 */
export async function updateUser(
  ctx: Ctx,
  userId: string,
  input: UpdateUserInput,
  hashPassword: PasswordHasher,
): Promise<AdminUser> {
  if (!isUuid(userId)) throw notFound("User");
  const passwordHash =
    input.action === "reset-password" ? await hashPassword(input.password) : null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const mayRemoveAdmin =
        input.action === "disable" || (input.action === "update" && input.role !== undefined);
      const activeAdmins = mayRemoveAdmin ? await lockActiveAdmins(tx) : [];
      const [current] = await tx
        .select(accountColumns)
        .from(users)
        .where(eq(users.id, userId))
        .for("update");
      if (!current) throw notFound("User");
      const [token] = await tx
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(eq(apiTokens.serviceUserId, current.id))
        .limit(1);
      if (token) {
        // A password or another role would turn a token's account into an interactive login.
        throw new RuleRefusal(
          "service-account",
          "This is the service account of an API token: manage it under API tokens.",
        );
      }
      const self = current.id === ctx.actor.userId;
      const audit = (action: string, detail: Record<string, unknown>) =>
        recordAudit(tx, ctx.actor, {
          action,
          entityType: "user",
          entityId: current.id,
          detail: { email: current.email, ...detail },
        });
      const now = new Date();
      switch (input.action) {
        case "disable": {
          if (self) {
            throw new RuleRefusal("self", "You cannot disable your own account.");
          }
          if (current.role === "admin" && !current.disabledAt) {
            assertAnotherActiveAdmin(activeAdmins, current.id);
          }
          if (!current.disabledAt) {
            await tx
              .update(users)
              .set({
                disabledAt: now,
                sessionVersion: sql`${users.sessionVersion} + 1`,
                updatedAt: now,
              })
              .where(eq(users.id, current.id));
          }
          await audit("users.disable", { wasDisabled: current.disabledAt !== null });
          break;
        }
        case "enable": {
          if (current.disabledAt) {
            await tx
              .update(users)
              .set({ disabledAt: null, updatedAt: now })
              .where(eq(users.id, current.id));
          }
          await audit("users.enable", { wasDisabled: current.disabledAt !== null });
          break;
        }
        case "update": {
          const role = input.role ?? current.role;
          const beforeSites = (
            await tx
              .select({ siteId: userSites.siteId })
              .from(userSites)
              .where(eq(userSites.userId, current.id))
              .orderBy(asc(userSites.siteId))
          ).map((r) => r.siteId);
          const siteIds = input.siteIds ?? beforeSites;
          if (role !== current.role) {
            if (self) {
              throw new RuleRefusal(
                "self",
                "You cannot change your own role: ask another administrator.",
              );
            }
            if (current.role === "admin" && !current.disabledAt) {
              assertAnotherActiveAdmin(activeAdmins, current.id);
            }
          }
          await checkSites(tx, role, siteIds);
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          if (input.name !== undefined && input.name !== current.name) {
            changes.name = { from: current.name, to: input.name };
          }
          if (role !== current.role) changes.role = { from: current.role, to: role };
          const sortedNew = [...siteIds].sort();
          if (sortedNew.join() !== beforeSites.join()) {
            changes.siteIds = { from: beforeSites, to: sortedNew };
            await tx.delete(userSites).where(eq(userSites.userId, current.id));
            if (siteIds.length) {
              await tx
                .insert(userSites)
                .values(siteIds.map((siteId) => ({ userId: current.id, siteId })));
            }
          }
          await tx
            .update(users)
            .set({ name: input.name ?? current.name, role, updatedAt: now })
            .where(eq(users.id, current.id));
          await audit("users.update", { changes });
          break;
        }
        case "reset-password": {
          await tx
            .update(users)
            .set({
              passwordHash: passwordHash!,
              sessionVersion: sql`${users.sessionVersion} + 1`,
              updatedAt: now,
            })
            .where(eq(users.id, current.id));
          // Never the password, nor its hash.
          await audit("users.reset-password", {});
          break;
        }
      }
      return loadAdminUser(tx, current.id);
    });
  } catch (error) {
    if (error instanceof RuleRefusal) {
      await recordAudit(ctx.db, ctx.actor, {
        action: `users.${input.action}`,
        outcome: "denied",
        entityType: "user",
        entityId: userId,
        detail: { rule: error.rule },
      });
    }
    throw error;
  }
}
