import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, importJWK, SignJWT, decodeJwt, type JWK } from "jose";
import Provider, {
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from "oidc-provider";

/**
 * A real OpenID Connect authorization server for tests: `oidc-provider` (certified) on a loopback
 * port, with accounts given by the test, an interaction that signs the chosen account in without a
 * form (the user is already signed in to the EHR or identity provider), and hooks for the SMART
 * parts (launch context, `patient` in the token response) and for tampering with an id_token (a
 * token for another audience, an expired one), signed with the server's own key.
 */

export interface TestAccount {
  /** The subject (`sub`). */
  readonly id: string;
  /** Claims released with the scopes that name them (see `scopeClaims`). */
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface AuthorizationServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly clients: ClientMetadata[];
  readonly accounts: readonly TestAccount[];
  /** Which claims each scope releases (into the id_token too); `openid` always gives `sub`. */
  readonly scopeClaims?: Readonly<Record<string, readonly string[]>>;
  /** Scopes beyond the OpenID ones that the server accepts (given to `resource`). */
  readonly resourceScopes?: readonly string[];
  /** The resource (audience) access tokens are for; default `urn:test:resource`. */
  readonly resource?: string;
  /** Authorization request parameters kept for the interaction (e.g. SMART `launch`, `aud`). */
  readonly extraParams?: readonly string[];
  /**
   * Who signs in at an interaction: by default the first account; SMART launches choose by the
   * launch context. Also returns extra token response parameters to attach to the grant.
   */
  readonly chooseAccount?: (params: Record<string, unknown>) => {
    accountId: string;
    tokenResponse?: Record<string, unknown>;
  };
}

export interface AuthorizationServer {
  readonly issuer: string;
  readonly port: number;
  readonly provider: Provider;
  readonly jwks: { keys: JWK[] };
  /** Changes the claims of the next id_token issued, re-signed with the server's key. */
  tamperNextIdToken(change: (claims: Record<string, unknown>) => Record<string, unknown>): void;
  /** The extra token response parameters given to a grant (SMART's `patient`). */
  grantExtras(grantId: string): Readonly<Record<string, unknown>> | undefined;
  /** The resource scopes and subject of an access token it issued, or null. */
  introspect(token: string): Promise<{ scope: string; accountId: string; grantId: string } | null>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const privateJwk = {
    ...(await exportJWK(privateKey)),
    kid: "test-as-1",
    alg: "RS256",
    use: "sig",
  };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const resource = options.resource ?? "urn:test:resource";
  const resourceScopes = options.resourceScopes ?? [];
  const accounts = new Map(options.accounts.map((a) => [a.id, a]));
  const tokenResponseByGrant = new Map<string, Record<string, unknown>>();
  const tamper: ((claims: Record<string, unknown>) => Record<string, unknown>)[] = [];
  const scopeClaims = { openid: ["sub"], ...options.scopeClaims };

  const configuration: Configuration = {
    clients: options.clients,
    jwks: { keys: [privateJwk] },
    claims: Object.fromEntries(Object.entries(scopeClaims).map(([k, v]) => [k, [...v]])),
    scopes: ["openid", "offline_access", ...Object.keys(scopeClaims)],
    extraParams: [...(options.extraParams ?? [])],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: resourceScopes.join(" "),
            accessTokenFormat: "opaque",
            audience: resource,
          };
        },
      },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...account.claims }) };
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
  };
  const provider = new Provider(issuer, configuration);

  // The token response: extra parameters of the grant (SMART's `patient`), and a tampered id_token.
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.path !== "/token" || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    if (typeof body.access_token === "string") {
      const token = await provider.AccessToken.find(body.access_token);
      const extra = token?.grantId ? tokenResponseByGrant.get(token.grantId) : undefined;
      if (extra) Object.assign(body, extra);
    }
    const change = tamper.shift();
    if (change && typeof body.id_token === "string") {
      const claims = change({ ...decodeJwt(body.id_token) });
      body.id_token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: privateJwk.kid, typ: "JWT" })
        .sign(await importJWK(privateJwk, "RS256"));
    }
  });

  const interaction = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const params = details.params;
    const chosen = options.chooseAccount?.(params) ?? { accountId: options.accounts[0]!.id };
    if (details.prompt.name === "login") {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: chosen.accountId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: String(params.client_id),
    });
    const requested = (typeof params.scope === "string" ? params.scope : "")
      .split(" ")
      .filter(Boolean);
    const oidcScopes = requested.filter((s) => s in scopeClaims || s === "offline_access");
    grant.addOIDCScope(oidcScopes.join(" "));
    const claimNames = oidcScopes.flatMap((s) => scopeClaims[s as keyof typeof scopeClaims] ?? []);
    if (claimNames.length) grant.addOIDCClaims(claimNames);
    grant.addResourceScope(resource, requested.filter((s) => resourceScopes.includes(s)).join(" "));
    const grantId = await grant.save();
    if (chosen.tokenResponse) tokenResponseByGrant.set(grantId, chosen.tokenResponse);
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  };

  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    void callback(req, res);
  });

  return {
    issuer,
    port,
    provider,
    jwks: { keys: [publicJwk] },
    tamperNextIdToken: (change) => tamper.push(change),
    grantExtras: (grantId) => tokenResponseByGrant.get(grantId),
    async introspect(token) {
      const found = await provider.AccessToken.find(token);
      if (!found || found.isExpired) return null;
      return {
        scope: String(found.scope ?? ""),
        accountId: String(found.accountId),
        grantId: String(found.grantId),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Follows an authorization request the way a browser would (redirects, the server's cookies)
 * until it leaves the server: the redirect to the client's redirect_uri.
 */
export async function followAuthorization(url: string, stopAt: string): Promise<string> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 20; hop++) {
    if (next.startsWith(stopAt)) return next;
    const response = await fetch(next, {
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = response.headers.get("location");
    if (!location)
      throw new Error(
        `authorization stopped at ${next} (${response.status}): ${await response.text()}`,
      );
    next = new URL(location, next).href;
  }
  throw new Error("too many redirects");
}
