import "server-only";
import { encode } from "next-auth/jwt";
import * as oidc from "openid-client";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/api/errors";
import { FhirError } from "@/lib/api/fhir";
import { recordAudit, type AuditActor } from "@/lib/server/audit";
import { rememberJwtId } from "@/lib/server/cds";
import type { Actor } from "@/lib/server/context";
import { publicBaseUrl } from "@/lib/server/fhir/records";
import {
  SmartRefusal,
  findLaunchUser,
  importEhrRecord,
  openEhrPatient,
  readEhrRecord,
  type ImportSummary,
} from "@/lib/server/smart";
import { smartClientFor } from "@/lib/smart-clients";
import { can } from "./permissions";
import { SESSION_MAX_AGE_SECONDS } from "./options";
import { authSecret } from "./secret";
import { sessionClaims } from "./session-claims";
import { sessionCookie } from "./session-cookie";
import {
  configurationFor,
  discover,
  exchangeRefusal,
  launchScopes,
  redirectUri,
  smartClients,
} from "./smart-oauth";
import {
  LAUNCH_TTL_SECONDS,
  launchCookieAttributes,
  launchCookieName,
  openLaunchState,
  sealLaunchState,
  type LaunchState,
} from "./smart-state";

export { launchScopes, smartClients } from "./smart-oauth";

/**
 * SMART App Launch 2.0 as a confidential client: the launch and the callback (the OAuth parts are
 * in smart-oauth.ts, the patient and the import in lib/server/smart.ts). Only EHRs listed in
 * SMART_CLIENTS are contacted. The access token stays on the server: it reads the patient's record
 * during the callback and is then dropped.
 */

interface Request {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

async function audit(
  actor: AuditActor,
  request: Request,
  outcome: "success" | "denied" | "failure",
  detail: Record<string, unknown>,
  extra: { actorEmail?: string | null; patientId?: string | null } = {},
): Promise<void> {
  await recordAudit(await getDb(), actor, {
    action: "smart.launch",
    outcome,
    actorEmail: extra.actorEmail ?? null,
    ip: request.ip,
    userAgent: request.userAgent,
    patientId: extra.patientId ?? null,
    entityType: "smart_client",
    entityId: typeof detail.iss === "string" ? detail.iss.slice(0, 300) : null,
    detail,
  });
}

export type LaunchOutcome =
  | { kind: "redirect"; location: string; cookies: string[] }
  | { kind: "refused"; status: number; title: string; message: string; cookies: string[] };

function refused(error: SmartRefusal, cookies: string[] = []): LaunchOutcome {
  return {
    kind: "refused",
    status: error.status,
    title: "The launch from the EHR was refused",
    message: error.message,
    cookies,
  };
}

/** GET /smart/launch: discovery, then the authorization request (audited either way). */
export async function startLaunch(
  params: URLSearchParams,
  request: Request,
  now: Date = new Date(),
): Promise<LaunchOutcome> {
  const iss = params.get("iss");
  const launch = params.get("launch");
  const client = smartClientFor(smartClients(), iss);
  try {
    if (!iss)
      throw new SmartRefusal("no-iss", "The launch needs the EHR's FHIR server as iss.", 400);
    if (!client)
      throw new SmartRefusal(
        "unknown-issuer",
        `The EHR ${iss.slice(0, 300)} is not registered with Bone–Brain Care (it is not in SMART_CLIENTS), so the launch was refused.`,
        400,
      );
    if (launch !== null && (launch.length === 0 || launch.length > 2000))
      throw new SmartRefusal("bad-launch", "The launch parameter is empty or too long.", 400);
    const server = await discover(client);
    const state: LaunchState = {
      state: oidc.randomState(),
      verifier: oidc.randomPKCECodeVerifier(),
      nonce: oidc.randomNonce(),
      iss: client.iss,
      mode: launch === null ? "standalone" : "ehr",
      server: {
        issuer: server.issuer,
        authorization_endpoint: server.authorization_endpoint,
        token_endpoint: server.token_endpoint,
        jwks_uri: server.jwks_uri,
      },
    };
    const config = await configurationFor(client, state.server);
    const url = oidc.buildAuthorizationUrl(config, {
      response_type: "code",
      redirect_uri: redirectUri(),
      scope: launchScopes(server.scopes_supported, launch !== null),
      state: state.state,
      nonce: state.nonce,
      aud: client.iss,
      code_challenge: await oidc.calculatePKCECodeChallenge(state.verifier),
      code_challenge_method: "S256",
      ...(launch !== null ? { launch } : {}),
    });
    const sealed = await sealLaunchState(state, now);
    await audit(null, request, "success", {
      iss: client.iss,
      stage: "authorize",
      mode: state.mode,
    });
    return {
      kind: "redirect",
      location: url.href,
      cookies: [
        `${launchCookieName(state.state)}=${sealed}; ${launchCookieAttributes(LAUNCH_TTL_SECONDS)}`,
      ],
    };
  } catch (error) {
    if (!(error instanceof SmartRefusal)) throw error;
    await audit(null, request, "denied", {
      iss: iss?.slice(0, 300) ?? null,
      stage: "launch",
      reason: error.reason,
    });
    return refused(error);
  }
}

/** A launch cookie to clear (Max-Age=0). */
function clearCookie(name: string): string {
  return `${name}=; ${launchCookieAttributes(0)}`;
}

/**
 * GET /smart/callback: the launch's state from its cookie, the code exchanged, the id_token
 * verified, the EHR's user mapped to a local account (never created), the patient opened (found by
 * MRN at the client's site, or registered when the role allows), the record imported, a session
 * minted. Every refusal names its reason and is audited with the issuer.
 */
export async function completeLaunch(
  params: URLSearchParams,
  cookies: ReadonlyMap<string, string>,
  request: Request,
  now: Date = new Date(),
): Promise<LaunchOutcome> {
  const stateParam = params.get("state") ?? "";
  const cookieName = launchCookieName(stateParam);
  const clear = stateParam ? [clearCookie(cookieName)] : [];
  const launch = await openLaunchState(stateParam ? cookies.get(cookieName) : undefined, now);
  let iss: string | null = launch?.iss ?? null;
  let actor: AuditActor = null;
  let actorEmail: string | null = null;
  try {
    if (!launch || launch.state !== stateParam)
      throw new SmartRefusal(
        "state-mismatch",
        "This answer from the EHR does not belong to a launch started in this browser in the last ten minutes (unknown or wrong state). Start again from the EHR.",
        400,
      );
    const client = smartClientFor(smartClients(), launch.iss);
    if (!client) throw new SmartRefusal("unknown-issuer", "This EHR is no longer registered.", 400);
    iss = client.iss;
    const db = await getDb();
    // One use per launch: a second callback with the same state (a replayed URL) is refused.
    if (
      !(await rememberJwtId(
        db,
        `smart:${client.iss}`,
        launch.state,
        new Date(launch.exp * 1000),
        now,
      ))
    )
      throw new SmartRefusal(
        "state-replayed",
        "This launch was already completed; its answer cannot be used again. Start again from the EHR.",
        400,
      );
    const config = await configurationFor(client, launch.server);
    const currentUrl = new URL(`${redirectUri()}?${params.toString()}`);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: launch.verifier,
        expectedState: launch.state,
        expectedNonce: launch.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw exchangeRefusal(error);
    }
    const claims: Record<string, unknown> = tokens.claims() ?? {};
    const claimValue = claims[client.userClaim];
    if (typeof claimValue !== "string" || claimValue === "")
      throw new SmartRefusal(
        "no-user-claim",
        `The EHR's id_token has no ${client.userClaim} claim to find your account by.`,
      );
    if (client.userClaim === "email" && claims.email_verified === false)
      throw new SmartRefusal("email-not-verified", "The EHR marks your email as not verified.");
    actorEmail = claimValue.slice(0, 320);
    const user = await findLaunchUser(db, claimValue);
    if (!user)
      throw new SmartRefusal(
        "no-local-account",
        `You (${actorEmail}) have no account in Bone–Brain Care. An administrator creates accounts and grants roles; the EHR cannot.`,
      );
    if (user.disabledAt)
      throw new SmartRefusal("account-disabled", "Your Bone–Brain Care account is disabled.");
    actor = {
      userId: user.id,
      email: user.email,
      role: user.role,
      ip: request.ip,
      userAgent: request.userAgent,
    };
    if (!can(user.role, "patients.read"))
      throw new SmartRefusal(
        "role-cannot-open-patients",
        "Your role in Bone–Brain Care does not open patient records.",
      );
    const ehrPatientId = typeof tokens.patient === "string" ? tokens.patient : null;
    if (!ehrPatientId || !/^[A-Za-z0-9\-.]{1,64}$/.test(ehrPatientId))
      throw new SmartRefusal("no-patient-context", "The EHR did not say which patient to open.");
    const fullActor: Actor = {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      siteIds: user.siteIds,
      ip: request.ip,
      userAgent: request.userAgent,
    };
    const ctx = { db, actor: fullActor };
    // The access token is used here, on the server, and dropped with this call.
    const record = await readEhrRecord(client, tokens.access_token, ehrPatientId);
    const opened = await openEhrPatient(
      ctx,
      client,
      record.patient,
      can(user.role, "patients.create"),
      now,
    );
    let imported: ImportSummary | null = null;
    if (can(user.role, "visits.create")) {
      try {
        imported = await importEhrRecord(ctx, client, opened.patientId, record, now);
      } catch (error) {
        if (!(error instanceof AppError || error instanceof FhirError)) throw error;
        throw new SmartRefusal(
          "import-failed",
          `The EHR's record could not be imported: ${error.message}`,
          422,
        );
      }
    }
    const spec = sessionCookie();
    const session = await encode({
      token: sessionClaims(user, "smart"),
      secret: authSecret(),
      maxAge: SESSION_MAX_AGE_SECONDS,
    });
    await audit(
      actor,
      request,
      "success",
      {
        iss: client.iss,
        stage: "callback",
        mode: launch.mode,
        patientCreated: opened.created,
        imported: imported
          ? {
              created: imported.created,
              updated: imported.updated,
              unchanged: imported.unchanged,
              notUsed: imported.notUsed,
            }
          : null,
      },
      { patientId: opened.patientId },
    );
    const o = spec.options;
    const sessionSetCookie = [
      `${spec.name}=${session}`,
      "Path=/",
      "HttpOnly",
      `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
      `SameSite=${o.sameSite === "none" ? "None" : "Lax"}`,
      ...(o.secure ? ["Secure"] : []),
      ...(o.partitioned ? ["Partitioned"] : []),
    ].join("; ");
    return {
      kind: "redirect",
      location: `${publicBaseUrl()}/patients/${opened.patientId}?launched=1`,
      cookies: [...clear, sessionSetCookie],
    };
  } catch (error) {
    if (!(error instanceof SmartRefusal)) throw error;
    await audit(
      actor,
      request,
      "denied",
      { iss, stage: "callback", reason: error.reason },
      { actorEmail },
    );
    return refused(error, clear);
  }
}
