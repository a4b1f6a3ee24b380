import "server-only";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyGetKey,
} from "jose";
import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { rememberJwtId } from "@/lib/server/cds";

/**
 * CDS Hooks 2.0 client authentication: every call carries a JWT signed by the CDS client
 * (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients). Trusted issuers and their keys come from
 * CDS_CLIENTS. Only asymmetric algorithms are accepted: a shared-secret (HS*) or unsigned token
 * could be forged by anyone who saw the configuration.
 */
export const CDS_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"] as const;

/** Leeway for clock differences between the EHR and us. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** A token older than this (by iat) is refused even if its exp is later (the spec: short-lived). */
const MAX_TOKEN_AGE_SECONDS = 600;
const JWKS_TIMEOUT_MS = 2000;

/** The FHIR servers a client may name as fhirServer: nothing else is ever fetched. */
const fhirServers = z
  .array(z.url({ protocol: /^https?$/ }))
  .max(50)
  .optional();
const clientSchema = z.union([
  z.strictObject({
    iss: z.string().min(1),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }),
    fhirServers,
  }),
  z.strictObject({ iss: z.string().min(1), jwksUrl: z.url({ protocol: /^https?$/ }), fhirServers }),
]);
const clientsSchema = z.array(clientSchema);

export type CdsClientConfig = z.infer<typeof clientSchema>;

interface TrustedClient {
  readonly iss: string;
  readonly jwksUrl: string | null;
  readonly keys: JWTVerifyGetKey;
  readonly fhirServers: readonly string[];
}

let cachedConfig:
  { raw: string | undefined; clients: TrustedClient[] | null; problem: string | null } | undefined;
/** Remote key sets by URL: a cache only (each instance fetches on its own and refreshes). */
const remoteSets = new Map<string, JWTVerifyGetKey>();

function remoteSet(url: string): JWTVerifyGetKey {
  let set = remoteSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
    remoteSets.set(url, set);
  }
  return set;
}

/** Parses CDS_CLIENTS once per value; a bad value is reported (once) and trusts nobody. */
export function parseCdsClients(raw: string | undefined): {
  clients: TrustedClient[] | null;
  problem: string | null;
} {
  if (!raw) return { clients: null, problem: "CDS_CLIENTS is not set" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { clients: null, problem: "CDS_CLIENTS is not valid JSON" };
  }
  const parsed = clientsSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      clients: null,
      problem: `CDS_CLIENTS is not a list of { iss, jwks | jwksUrl, fhirServers? }${first ? ` (at ${first.path.join(".") || "(root)"}: ${first.message})` : ""}`,
    };
  }
  try {
    const clients = parsed.data.map((c): TrustedClient => ({
      iss: c.iss,
      fhirServers: c.fhirServers ?? [],
      ...("jwks" in c
        ? { jwksUrl: null, keys: createLocalJWKSet(c.jwks) }
        : { jwksUrl: c.jwksUrl, keys: remoteSet(c.jwksUrl) }),
    }));
    return { clients, problem: null };
  } catch {
    return { clients: null, problem: "CDS_CLIENTS holds a key set that is not a valid JWKS" };
  }
}

function trustedClients(): { clients: TrustedClient[] | null; problem: string | null } {
  const raw = env().CDS_CLIENTS;
  if (!cachedConfig || cachedConfig.raw !== raw) {
    cachedConfig = { raw, ...parseCdsClients(raw) };
    if (cachedConfig.problem && raw)
      console.error(`[bone-brain] ${cachedConfig.problem}: CDS Hooks calls will be refused.`);
  }
  return cachedConfig;
}

const refuse = (message: string): AppError => new AppError("unauthenticated", message);

function claimProblem(claim: string | undefined, audience: string): string {
  switch (claim) {
    case "aud":
      return `The JWT claim aud is not valid (aud must be ${audience}).`;
    case "iat":
      return `The JWT claim iat is not valid (issued in the future, or more than ${MAX_TOKEN_AGE_SECONDS} seconds ago).`;
    case "iss":
      return "The JWT claim iss is not valid (it must name a trusted client).";
    default:
      return `The JWT claim ${claim ?? "(unknown)"} is missing or not valid (required: iss, aud, exp, iat, jti).`;
  }
}

export interface VerifiedCdsClient {
  readonly iss: string;
  readonly sub: string | null;
  readonly jti: string;
  /** The FHIR servers this client may name as fhirServer. */
  readonly fhirServers: readonly string[];
}

/**
 * Verifies the bearer JWT of a CDS Hooks call for `audience` (the URL of the called endpoint):
 * signature against the issuer's keys, allowed algorithm, aud, exp, iat, jti (replay), jku.
 * Any failure is a 401 AppError with a plain reason (no key material).
 */
export async function verifyCdsJwt(
  authorization: string | null,
  audience: string,
  now: Date = new Date(),
): Promise<VerifiedCdsClient> {
  const { clients } = trustedClients();
  if (!clients || clients.length === 0) throw refuse("No trusted CDS clients are configured.");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw refuse("A CDS client JWT is required: Authorization: Bearer <JWT>.");
  const token = match[1]!;
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw refuse("The bearer token is not a JWT.");
  }
  const alg = typeof header.alg === "string" ? header.alg : "none";
  if (!(CDS_ALGORITHMS as readonly string[]).includes(alg)) {
    throw refuse(`JWT algorithm ${alg} is not accepted (allowed: ${CDS_ALGORITHMS.join(", ")}).`);
  }
  // CDS Hooks 2.0: the header names its key (kid) and its type (typ "JWT").
  if (typeof header.kid !== "string" || header.kid === "")
    throw refuse("The JWT header needs kid (the id of the signing key in the client's JWKS).");
  if (typeof header.typ !== "string" || header.typ.toUpperCase() !== "JWT")
    throw refuse('The JWT header needs typ "JWT".');
  if (typeof claims.iss !== "string" || claims.iss === "")
    throw refuse("The JWT needs an iss claim naming the CDS client.");
  const client = clients.find((c) => c.iss === claims.iss);
  if (!client) throw refuse(`The JWT issuer ${claims.iss} is not a trusted CDS client.`);
  if (header.jku !== undefined && client.jwksUrl !== null && header.jku !== client.jwksUrl) {
    throw refuse("The JWT jku is not the key set configured for this issuer.");
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, client.keys, {
      issuer: client.iss,
      audience,
      algorithms: [...CDS_ALGORITHMS],
      requiredClaims: ["iss", "aud", "exp", "iat", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const reason =
      code === "ERR_JWT_EXPIRED"
        ? "The JWT has expired."
        : code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
          ? claimProblem((error as { claim?: string }).claim, audience)
          : code === "ERR_JWKS_TIMEOUT" || code === "ERR_JWKS_INVALID"
            ? "The issuer's key set could not be fetched."
            : code === "ERR_JWKS_NO_MATCHING_KEY"
              ? `No key with kid ${String(header.kid)} in the issuer's key set.`
              : code === "ERR_JWT_INVALID"
                ? "The JWT claims are not valid JSON claims."
                : "The JWT signature could not be verified with the issuer's keys.";
    throw refuse(reason);
  }
  const jti = typeof payload.jti === "string" ? payload.jti : "";
  if (!jti || jti.length > 200) throw refuse("The JWT needs a jti of at most 200 characters.");
  const fresh = await rememberJwtId(
    await getDb(),
    client.iss,
    jti,
    new Date(payload.exp! * 1000),
    now,
  );
  if (!fresh) throw refuse("This JWT was already used (jti replay).");
  return {
    iss: client.iss,
    sub: typeof payload.sub === "string" ? payload.sub : null,
    jti,
    fhirServers: client.fhirServers,
  };
}
