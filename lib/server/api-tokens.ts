import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, sites, users, userSites } from "@/db/schema";
import { AppError, notFound } from "@/lib/api/errors";
import type { ApiTokenItem, IssuedToken, IssueTokenInput, TokenScope } from "@/lib/api/tokens";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { isUuid } from "./scope";
import { sitesOfUsers } from "./users";

/** Every token starts with this, so secret scanners and people recognise it. */
export const TOKEN_PREFIX = "bbc_";
/** Characters of the token kept in clear to tell tokens apart in lists (not enough to guess it). */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;
/** last_used_at is written at most this often per token (no write on every request). */
const LAST_USED_RESOLUTION_MS = 60_000;
/** The service account's password hash: not an argon2 hash, so no password ever verifies. */
const NO_PASSWORD = "!";

/** SHA-256 hex of a token: what is stored and looked up (tokens are 256-bit random, no salt needed). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 24) || "system"
  );
}

async function listItems(db: Db, where?: ReturnType<typeof eq>): Promise<ApiTokenItem[]> {
  const rows = await db
    .select({ token: apiTokens, serviceEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.serviceUserId))
    .where(where)
    .orderBy(desc(apiTokens.createdAt));
  if (!rows.length) return [];
  const creatorIds = [
    ...new Set(rows.map((r) => r.token.createdBy).filter((v): v is string => !!v)),
  ];
  const creators = creatorIds.length
    ? await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.id, creatorIds))
    : [];
  const memberships = await sitesOfUsers(
    db,
    rows.map((r) => r.token.serviceUserId),
  );
  return rows.map(({ token, serviceEmail }) => ({
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes as TokenScope[],
    sites: [...(memberships.get(token.serviceUserId) ?? [])].sort((a, b) =>
      a.code.localeCompare(b.code),
    ),
    serviceUserEmail: serviceEmail,
    createdAt: token.createdAt.toISOString(),
    createdByEmail: creators.find((c) => c.id === token.createdBy)?.email ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  }));
}

/** Every API token (never the token itself), newest first. */
export async function listApiTokens(ctx: Ctx): Promise<ApiTokenItem[]> {
  const items = await listItems(ctx.db);
  await recordAudit(ctx.db, ctx.actor, { action: "tokens.list", detail: { count: items.length } });
  return items;
}

/**
 * Issues a token for a system: a service account (role clinician at the chosen sites, no password)
 * through which every use-case, recorded_by and audit event works unchanged, and the token row with
 * only the SHA-256 of the token. The token is returned once.
 */
export async function issueApiToken(
  ctx: Ctx,
  input: IssueTokenInput,
  now: Date = new Date(),
): Promise<IssuedToken> {
  const known = await ctx.db
    .select({ id: sites.id })
    .from(sites)
    .where(inArray(sites.id, input.siteIds));
  if (known.length !== input.siteIds.length) {
    throw new AppError("unprocessable", "Some sites do not exist.", {
      errors: [{ path: "siteIds", message: "Choose existing sites" }],
    });
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const id = await ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email: `svc-${slug(input.name)}-${randomBytes(4).toString("hex")}@service.invalid`,
        name: `Service: ${input.name}`,
        role: "clinician",
        passwordHash: NO_PASSWORD,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: users.id });
    await tx
      .insert(userSites)
      .values(input.siteIds.map((siteId) => ({ userId: user!.id, siteId })));
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        tokenHash: hashToken(token),
        serviceUserId: user!.id,
        scopes: input.scopes,
        createdBy: ctx.actor.userId,
        createdAt: now,
        expiresAt: input.expiresInDays
          ? new Date(now.getTime() + input.expiresInDays * 86_400_000)
          : null,
      })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, ctx.actor, {
      action: "tokens.issue",
      entityType: "api_token",
      entityId: row!.id,
      detail: {
        scopes: input.scopes,
        sites: input.siteIds.length,
        expiresInDays: input.expiresInDays,
      },
    });
    return row!.id;
  });
  const [item] = await listItems(ctx.db, eq(apiTokens.id, id));
  return { token, item: item! };
}

/** Revokes a token and disables its service account (audited); revoking twice is a 409. */
export async function revokeApiToken(
  ctx: Ctx,
  tokenId: string,
  now: Date = new Date(),
): Promise<ApiTokenItem> {
  if (!isUuid(tokenId)) throw notFound("Token");
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, tokenId)).for("update");
    if (!row) throw notFound("Token");
    if (row.revokedAt) throw new AppError("conflict", "This token was already revoked.");
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, tokenId));
    await tx
      .update(users)
      .set({ disabledAt: now, updatedAt: now })
      .where(eq(users.id, row.serviceUserId));
    await recordAudit(tx, ctx.actor, {
      action: "tokens.revoke",
      entityType: "api_token",
      entityId: tokenId,
    });
  });
  const [item] = await listItems(ctx.db, eq(apiTokens.id, tokenId));
  return item!;
}

export interface ResolvedToken {
  tokenId: string;
  scopes: TokenScope[];
  serviceUserId: string;
}

/**
 * The token behind `Bearer bbc_…`, if it exists, is not revoked or expired and its service account
 * is active; else null. Notes its last use (at most once a minute).
 */
export async function resolveApiToken(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<ResolvedToken | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ token: apiTokens, disabledAt: users.disabledAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.serviceUserId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row || row.disabledAt) return null;
  if (row.token.expiresAt && row.token.expiresAt <= now) return null;
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last > LAST_USED_RESOLUTION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  return {
    tokenId: row.token.id,
    scopes: row.token.scopes as TokenScope[],
    serviceUserId: row.token.serviceUserId,
  };
}
