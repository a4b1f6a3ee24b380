import "server-only";
import { importJWK } from "jose";
import * as oidc from "openid-client";
import { z } from "zod";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/server/fhir/records";
import { SmartRefusal } from "@/lib/server/smart";
import {
  isLoopbackHost,
  isSecureOrLoopback,
  parseSmartClients,
  type SmartClient,
} from "@/lib/smart-clients";
import { CALLBACK_PATH, type LaunchState } from "./smart-state";

/**
 * The OAuth side of the SMART launch (openid-client): the configured EHRs, discovery of their
 * smart-configuration, the scopes to ask, the client configuration (client_secret or
 * private_key_jwt; the id_token's signature checked against the EHR's JWKS), and what a failed code
 * exchange means for the clinician.
 */

const DISCOVERY_TIMEOUT_MS = 5000;
const RESOURCES = ["Patient", "Observation", "Condition", "MedicationRequest"] as const;

export function smartClients(): SmartClient[] {
  const parsed = parseSmartClients(env().SMART_CLIENTS);
  // env() refuses to start with a bad list, so this holds.
  return parsed.ok ? parsed.clients : [];
}

const endpoint = z.url().refine(isSecureOrLoopback, "must be https");
const smartConfigurationSchema = z.looseObject({
  issuer: endpoint,
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint,
  scopes_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
type SmartConfiguration = z.infer<typeof smartConfigurationSchema>;

/** `<iss>/.well-known/smart-configuration`, for a configured client only. */
export async function discover(client: SmartClient): Promise<SmartConfiguration> {
  let body: unknown;
  try {
    const response = await fetch(`${client.iss}/.well-known/smart-configuration`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      redirect: "error",
    });
    if (!response.ok) throw new Error(String(response.status));
    body = await response.json();
  } catch {
    throw new SmartRefusal(
      "discovery-failed",
      "The EHR's SMART configuration (.well-known/smart-configuration) could not be read.",
      502,
    );
  }
  const parsed = smartConfigurationSchema.safeParse(body);
  if (!parsed.success)
    throw new SmartRefusal(
      "discovery-invalid",
      "The EHR's SMART configuration lacks issuer, authorization_endpoint, token_endpoint or jwks_uri (all needed for an OpenID Connect launch).",
      502,
    );
  const methods = parsed.data.code_challenge_methods_supported;
  if (methods && !methods.includes("S256"))
    throw new SmartRefusal("discovery-invalid", "The EHR does not support PKCE with S256.", 502);
  return parsed.data;
}

/**
 * The scopes to ask: SMART v2 (`.rs`), or v1 (`.read`) when the server announces only v1 scopes.
 * Standalone launch asks `launch/patient` (the EHR lets the user pick the patient).
 */
export function launchScopes(announced: readonly string[] | undefined, ehrLaunch: boolean): string {
  const v1Only =
    announced !== undefined &&
    announced.some((s) => /^(patient|user)\/.+\.read$/.test(s)) &&
    !announced.some((s) => /^(patient|user)\/.+\.[cruds]+$/.test(s));
  const access = RESOURCES.map((r) => `patient/${r}.${v1Only ? "read" : "rs"}`);
  return [ehrLaunch ? "launch" : "launch/patient", "openid", "fhirUser", ...access].join(" ");
}

export function redirectUri(): string {
  return `${publicBaseUrl()}${CALLBACK_PATH}`;
}

export async function configurationFor(
  client: SmartClient,
  server: LaunchState["server"],
): Promise<oidc.Configuration> {
  let auth: oidc.ClientAuth;
  if (client.privateKeyJwk) {
    const jwk = client.privateKeyJwk;
    const alg =
      jwk.alg ??
      (jwk.kty === "EC"
        ? jwk.crv === "P-384"
          ? "ES384"
          : "ES256"
        : jwk.kty === "OKP"
          ? "EdDSA"
          : "RS384");
    const keyObject = await importJWK(jwk, alg);
    auth = oidc.PrivateKeyJwt(
      { key: keyObject, ...(jwk.kid ? { kid: jwk.kid } : {}) },
      {
        // SMART asymmetric client authentication: the assertion's audience is the token endpoint.
        [oidc.modifyAssertion]: (_header, payload) => {
          payload.aud = server.token_endpoint;
        },
      },
    );
  } else {
    auth = oidc.ClientSecretBasic(client.clientSecret);
  }
  const config = new oidc.Configuration(
    server,
    client.clientId,
    client.clientSecret ? { client_secret: client.clientSecret } : {},
    auth,
  );
  // Plain http only for loopback hosts (the test harness); SMART_CLIENTS refuses other http URLs.
  if (
    [server.token_endpoint, server.jwks_uri].every((u) => isLoopbackHost(new URL(u).hostname)) &&
    new URL(server.token_endpoint).protocol === "http:"
  )
    oidc.allowInsecureRequests(config);
  // The id_token's signature is checked against the EHR's JWKS, not only trusted for its TLS.
  oidc.enableNonRepudiationChecks(config);
  return config;
}

/** What the token endpoint's failure means for the clinician (no token material). */
export function exchangeRefusal(error: unknown): SmartRefusal {
  // openid-client wraps oauth4webapi's errors: the code and the claim may sit on a cause.
  type Failure = { code?: string; error?: string; cause?: unknown; claim?: string };
  const chain: Failure[] = [];
  for (let f = error as Failure | undefined; f && chain.length < 4; f = f.cause as Failure) {
    chain.push(f);
  }
  const e = error as Failure;
  const code =
    chain.find((f) => f.code?.startsWith("OAUTH_") && f.code !== "OAUTH_RESPONSE_BODY_ERROR")
      ?.code ?? e.code;
  const claim = chain.find((f) => typeof f.claim === "string")?.claim;
  if (
    e instanceof oidc.AuthorizationResponseError ||
    e.code === "OAUTH_AUTHORIZATION_RESPONSE_ERROR"
  )
    return new SmartRefusal(
      "authorization-error",
      `The EHR did not authorize the launch (${String(e.error ?? "error")}).`,
    );
  if (e.error === "invalid_grant")
    return new SmartRefusal(
      "code-refused",
      "The EHR refused the authorization code: it was already used, has expired, or belongs to another launch. Start again from the EHR.",
    );
  if (code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED")
    return new SmartRefusal(
      "id-token-expired",
      "The EHR's id_token has expired (or is not yet valid).",
    );
  if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && claim === "aud")
    return new SmartRefusal(
      "id-token-audience",
      "The EHR's id_token was issued for another application (audience), so it was not accepted.",
    );
  if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED")
    return new SmartRefusal(
      "id-token-claim",
      `The EHR's id_token does not match this launch (${claim ?? "a claim"} differs).`,
    );
  if (code === "OAUTH_JWS_SIGNATURE_VERIFICATION_FAILED" || code === "OAUTH_KEY_SELECTION_FAILED")
    return new SmartRefusal(
      "id-token-signature",
      "The EHR's id_token signature could not be verified with the EHR's published keys.",
    );
  return new SmartRefusal(
    "token-exchange-failed",
    "The authorization code could not be exchanged with the EHR (the answer was not a valid token response).",
    502,
  );
}
