import { z } from "zod";

/**
 * SMART_CLIENTS: the EHRs trusted to launch the app (SMART App Launch 2.0, confidential client).
 * Pure: parsed by lib/env.ts at start (a bad value stops the app) and read by the launch. The list
 * is also the allow-list of servers the launch contacts: nothing else is ever fetched.
 */

/** Hosts on which plain http is accepted (tests and a developer's machine). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname === "[::1]" ||
    hostname === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/** https, or http on a loopback host. */
export function isSecureOrLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname));
  } catch {
    return false;
  }
}

/** A FHIR base URL as compared with `iss`: trailing slashes do not matter. */
export function normalizeIss(url: string): string {
  return url.replace(/\/+$/, "");
}

const secureUrl = z
  .url({ protocol: /^https?$/ })
  .refine(isSecureOrLoopback, "must be https (http only on 127.0.0.1 or localhost)");

/** A private JWK: asymmetric, with its private part; the app publishes the public half. */
const privateJwk = z
  .looseObject({
    kty: z.enum(["RSA", "EC", "OKP"]),
    d: z.string().min(1, "the private key's d is missing"),
    kid: z.string().min(1).max(200).optional(),
    alg: z
      .enum(["RS256", "RS384", "RS512", "PS256", "PS384", "ES256", "ES384", "EdDSA"])
      .optional(),
  })
  .refine((k) => k.kty !== "RSA" || k.alg === undefined || !k.alg.startsWith("ES"), {
    message: "alg does not fit the key type",
  });

const clientSchema = z
  .strictObject({
    /** The EHR's FHIR base URL, exactly as the EHR sends it as `iss`. */
    iss: secureUrl,
    clientId: z.string().min(1).max(255),
    clientSecret: z.string().min(1).max(1000).optional(),
    privateKeyJwk: privateJwk.optional(),
    /** The code of the app's site whose patients this EHR holds. */
    site: z.string().min(1).max(64),
    /** The id_token claim whose value is a local user's email. */
    userClaim: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/, "must be a claim name")
      .default("email"),
    /** The identifier system that carries our MRN; else the identifier typed MR (HL7 v2-0203). */
    identifierSystem: z.string().min(1).max(500).optional(),
    /** How the EHR is named to clinicians ("imported from …"); the iss otherwise. */
    name: z.string().min(1).max(100).optional(),
    /** Origins that may frame the app in embedded mode; the iss's origin otherwise. */
    frameAncestors: z.array(secureUrl).max(10).optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.clientSecret === !c.privateKeyJwk) {
      ctx.addIssue({
        code: "custom",
        path: ["clientSecret"],
        message: "give exactly one of clientSecret and privateKeyJwk",
      });
    }
  });

export type SmartClient = z.output<typeof clientSchema>;

export const smartClientsSchema = z.array(clientSchema).superRefine((clients, ctx) => {
  const seen = new Set<string>();
  clients.forEach((c, i) => {
    const iss = normalizeIss(c.iss);
    if (seen.has(iss))
      ctx.addIssue({ code: "custom", path: [i, "iss"], message: `${iss} is listed twice` });
    seen.add(iss);
  });
});

/** Parses the variable's text; an issue list (with paths) when it is not a valid list. */
export function parseSmartClients(
  raw: string | undefined,
): { ok: true; clients: SmartClient[] } | { ok: false; issues: string[] } {
  if (!raw) return { ok: true, clients: [] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, issues: ["SMART_CLIENTS is not valid JSON"] };
  }
  const parsed = smartClientsSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    };
  }
  return {
    ok: true,
    clients: parsed.data.map((c) => ({ ...c, iss: normalizeIss(c.iss) })),
  };
}

/** The client configured for `iss`, or null (the allow-list check). */
export function smartClientFor(
  clients: readonly SmartClient[],
  iss: string | null | undefined,
): SmartClient | null {
  if (!iss) return null;
  const wanted = normalizeIss(iss);
  return clients.find((c) => c.iss === wanted) ?? null;
}

/** The origins that may frame the app in embedded mode (each client's, deduplicated). */
export function frameAncestorOrigins(clients: readonly SmartClient[]): string[] {
  const origins = new Set<string>();
  for (const c of clients) {
    for (const url of c.frameAncestors ?? [c.iss]) origins.add(new URL(url).origin);
  }
  return [...origins];
}

/** The public half of a private JWK (what the EHR needs to check our client assertions). */
export function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, k: _k, ...pub } = jwk;
  return { ...pub, use: "sig" };
}
