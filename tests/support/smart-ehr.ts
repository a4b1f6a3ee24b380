import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ClientMetadata } from "oidc-provider";
import type { Resource } from "@/lib/fhir";
import { loadFixture, DXA_FILES, PATIENT_FILE, PHQ9_FILES } from "../fixtures/us-core";
import {
  startAuthorizationServer,
  type AuthorizationServer,
  type TestAccount,
} from "./oidc-server";
import fs from "node:fs";
import path from "node:path";

/**
 * A test EHR for SMART App Launch: the authorization server of oidc-server.ts (`oidc-provider`)
 * with SMART's launch context (`launch` → the user and patient, `patient` in the token response,
 * `fhirUser` in the id_token) and a small FHIR endpoint that serves each base's data to access
 * tokens of that server, only for the token's patient and the resource types its scopes allow.
 */

export const SMART_RESOURCE_SCOPES = [
  "Patient",
  "Observation",
  "Condition",
  "MedicationRequest",
].flatMap((r) => [`patient/${r}.rs`, `patient/${r}.read`]);

export interface EhrBase {
  /** Path of the FHIR base on the FHIR server, e.g. "/fhir". */
  readonly path: string;
  readonly resources: readonly Resource[];
  /** Announce only SMART v1 scopes (`.read`) in the smart-configuration. */
  readonly v1Only?: boolean;
}

export interface SmartEhr {
  readonly as: AuthorizationServer;
  /** FHIR base URL of each configured base path. */
  readonly iss: (basePath: string) => string;
  /** A launch context: the EHR user signed in and the patient open. Returns the `launch` value. */
  createLaunch(accountId: string, patientId: string): string;
  /** The EHR's screen framing `src` (the app, in embedded mode). */
  readonly framePage: (src: string) => string;
  /** Requests the FHIR endpoint answered, by path (to check what the app read). */
  readonly fhirRequests: string[];
  close(): Promise<void>;
}

const SMART_FIXTURES = path.join(import.meta.dirname, "../fixtures/smart-ehr");

/** The US Core example patient's record: PHQ-9, DXA, vitamin D, a hip fracture, sertraline. */
export function usCoreEhrRecord(): Resource[] {
  const extra = fs
    .readdirSync(SMART_FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(SMART_FIXTURES, f), "utf8")) as Resource);
  return [loadFixture(PATIENT_FILE), ...[...PHQ9_FILES, ...DXA_FILES].map(loadFixture), ...extra];
}

export async function startSmartEhr(options: {
  asPort?: number;
  fhirPort?: number;
  clients: ClientMetadata[];
  accounts: readonly (TestAccount & { standalonePatient?: string })[];
  bases: readonly EhrBase[];
}): Promise<SmartEhr> {
  const launches = new Map<string, { accountId: string; patientId: string }>();
  let launchCounter = 0;
  const as = await startAuthorizationServer({
    port: options.asPort,
    clients: options.clients,
    accounts: options.accounts,
    scopeClaims: { fhirUser: ["fhirUser", "email", "email_verified"] },
    resource: {
      indicator: "urn:test-ehr:fhir",
      scopes: [...SMART_RESOURCE_SCOPES, "launch", "launch/patient"],
    },
    extraParams: ["launch", "aud"],
    signIn(params) {
      const context = typeof params.launch === "string" ? launches.get(params.launch) : undefined;
      if (context)
        return {
          accountId: context.accountId,
          tokenResponse: { patient: context.patientId, need_patient_banner: false },
        };
      const account = options.accounts.find((a) => a.standalonePatient) ?? options.accounts[0]!;
      return {
        accountId: account.id,
        tokenResponse: account.standalonePatient
          ? { patient: account.standalonePatient }
          : undefined,
      };
    },
  });

  const fhirRequests: string[] = [];
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.fhirPort ?? 0, "127.0.0.1", resolve));
  const fhirPort = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${fhirPort}`;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/fhir+json" });
    res.end(JSON.stringify(body));
  };
  const outcome = (text: string) => ({
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code: "forbidden", diagnostics: text }],
  });

  server.on("request", (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", origin);
      fhirRequests.push(url.pathname + url.search);
      if (url.pathname === "/ehr/frame") {
        // The EHR's own screen with the app embedded (only a loopback app may be framed).
        const src = url.searchParams.get("src") ?? "";
        if (!/^http:\/\/(localhost|127\.0\.0\.1):\d+\//.test(src))
          return send(res, 400, outcome("src must be a loopback URL"));
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(
          `<!doctype html><html lang="en"><head><title>Test EHR</title></head><body><h1>Test EHR</h1><iframe title="Bone–Brain Care" src="${src.replace(/"/g, "&quot;")}" width="1200" height="900"></iframe></body></html>`,
        );
        return;
      }
      const base = options.bases.find((b) => url.pathname.startsWith(`${b.path}/`));
      if (!base) return send(res, 404, outcome("no such FHIR base"));
      const rest = url.pathname.slice(base.path.length);
      if (rest === "/.well-known/smart-configuration") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            issuer: as.issuer,
            authorization_endpoint: `${as.issuer}/auth`,
            token_endpoint: `${as.issuer}/token`,
            jwks_uri: `${as.issuer}/jwks`,
            grant_types_supported: ["authorization_code"],
            response_types_supported: ["code"],
            code_challenge_methods_supported: ["S256"],
            token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"],
            scopes_supported: [
              "openid",
              "fhirUser",
              "launch",
              "launch/patient",
              ...SMART_RESOURCE_SCOPES.filter((s) => (base.v1Only ? s.endsWith(".read") : true)),
            ],
            capabilities: [
              "launch-ehr",
              "launch-standalone",
              "client-confidential-symmetric",
              "client-confidential-asymmetric",
              "context-ehr-patient",
              "context-standalone-patient",
              "sso-openid-connect",
              "permission-patient",
              ...(base.v1Only ? ["permission-v1"] : ["permission-v2"]),
            ],
          }),
        );
        return;
      }
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const info = token ? await as.introspect(token) : null;
      if (!info) return send(res, 401, outcome("a valid access token is required"));
      const patientId = as.grantExtras(info.grantId)?.patient;
      const scopes = info.scope.split(" ");
      const [, type, id] = /^\/([A-Za-z]+)(?:\/([A-Za-z0-9\-.]+))?$/.exec(rest) ?? [];
      if (!type) return send(res, 404, outcome("unknown route"));
      if (!scopes.includes(`patient/${type}.rs`) && !scopes.includes(`patient/${type}.read`))
        return send(res, 403, outcome(`the token's scopes do not allow ${type}`));
      if (type === "Patient" && id) {
        if (id !== patientId) return send(res, 403, outcome("not the token's patient"));
        const found = base.resources.find((r) => r.resourceType === "Patient" && r.id === id);
        return found ? send(res, 200, found) : send(res, 404, outcome("no such Patient"));
      }
      const subject = url.searchParams.get("patient");
      if (id || !subject) return send(res, 400, outcome("search by patient only"));
      if (subject !== patientId) return send(res, 403, outcome("not the token's patient"));
      const codes = url.searchParams.get("code")?.split(",");
      const matches = base.resources.filter((r) => {
        const rec = r as Record<string, unknown>;
        if (r.resourceType !== type) return false;
        if ((rec.subject as { reference?: string } | undefined)?.reference !== `Patient/${subject}`)
          return false;
        if (!codes) return true;
        const codings =
          (rec.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [];
        return codings.some(
          (c) => codes.includes(`${c.system}|${c.code}`) || codes.includes(c.code ?? ""),
        );
      });
      send(res, 200, {
        resourceType: "Bundle",
        type: "searchset",
        total: matches.length,
        entry: matches.map((resource) => ({
          fullUrl: `${origin}${base.path}/${resource.resourceType}/${resource.id}`,
          resource,
          search: { mode: "match" },
        })),
      });
    })().catch((error: unknown) => send(res, 500, outcome(String(error))));
  });

  return {
    as,
    iss: (basePath) => `${origin}${basePath}`,
    createLaunch(accountId, patientId) {
      const launch = `launch-${++launchCounter}-${Math.random().toString(36).slice(2, 10)}`;
      launches.set(launch, { accountId, patientId });
      return launch;
    },
    framePage: (src) => `${origin}/ehr/frame?src=${encodeURIComponent(src)}`,
    fhirRequests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await as.close();
    },
  };
}
