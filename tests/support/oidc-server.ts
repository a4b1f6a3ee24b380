import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";
import Provider, {
  type ClientMetadata,
  type Configuration,
  type InteractionDetails,
  type OidcContext,
} from "oidc-provider";

/*
 * A real OpenID Connect authorization server for tests: oidc-provider (a certified
 * implementation) on a loopback port, with clients and accounts given by the test. It plays both
 * the hospital's identity provider (single sign-on: a plain HTML login page a Playwright test
 * fills in, "Username", "Password", "Sign in") and an EHR's authorization server (SMART: the
 * account already signed in to the EHR is chosen from the authorization request, the launch
 * context adds `patient` to the token response, access tokens carry resource scopes that a FHIR
 * endpoint introspects). Consent is always granted (the app is a first-party client); PKCE is
 * required of every client.
 *
 *   const idp = await startAuthorizationServer({
 *     port: 4103,
 *     clients: [{ client_id: "bbc", client_secret: "s3cret", redirect_uris: [`${app}/api/auth/callback/oidc`] }],
 *     accounts: [{ id: "u1", login: "ana", password: "pw", claims: { email: "a@x", email_verified: true } }],
 *     signIn: "form",
 *   });
 *   … idp.issuer …
 *   await idp.close();
 *
 * For negative tests, `tamperNextIdToken` rewrites the claims of the next id_token the token
 * endpoint issues and signs it again with the server's own key (so only the claims are wrong,
 * for example another `aud` or `iss`, or an `exp` in the past).
 */

export interface TestAccount {
  /** The subject (`sub`). */
  readonly id: string;
  /** What the login page's "Username" and "Password" take (`signIn: "form"`). */
  readonly login?: string;
  readonly password?: string;
  /** Claims beyond `sub`, released with the scopes that name them (see `scopeClaims`). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Who signs in at an interaction chosen from the authorization request's parameters. */
export type ChooseAccount = (params: Record<string, unknown>) => {
  accountId: string;
  /** Extra token response parameters of the grant (SMART's `patient`). */
  tokenResponse?: Record<string, unknown>;
};

export interface AuthorizationServerOptions {
  /** 0 (default) picks a free port; any other port must be free. */
  readonly port?: number;
  /** oidc-provider's client metadata (`client_id`, `client_secret`, `redirect_uris`, …). */
  readonly clients: ClientMetadata[];
  readonly accounts: readonly TestAccount[];
  /**
   * "form": a login page takes the account's login and password. A function: the account it
   * chooses is signed in without a page (the user is already signed in to the EHR). Default: the
   * first account, without a page.
   */
  readonly signIn?: "form" | ChooseAccount;
  /**
   * Which claims each scope releases (into the id_token and userinfo); `openid` always gives
   * `sub`. Default: OpenID Connect's `email` and `profile`.
   */
  readonly scopeClaims?: Readonly<Record<string, readonly string[]>>;
  /**
   * The resource (audience) access tokens are for, and the scopes beyond the OpenID ones it
   * accepts. Without it access tokens are for userinfo only (an audience would bar them there).
   */
  readonly resource?: { readonly indicator: string; readonly scopes: readonly string[] };
  /** Authorization request parameters kept for the interaction (e.g. SMART `launch`, `aud`). */
  readonly extraParams?: readonly string[];
}

export type IdTokenTamper = (claims: Record<string, unknown>) => Record<string, unknown>;

export interface AuthorizationServer {
  /** `http://127.0.0.1:<port>`, as its discovery document announces it. */
  readonly issuer: string;
  readonly port: number;
  /** Rewrites the claims of the next id_token issued (only that one); null cancels. */
  tamperNextIdToken(change: IdTokenTamper | null): void;
  /** The extra token response parameters given to a grant (SMART's `patient`). */
  grantExtras(grantId: string): Readonly<Record<string, unknown>> | undefined;
  /** The resource scopes and subject of an unexpired access token it issued, or null. */
  introspect(token: string): Promise<{ scope: string; accountId: string; grantId: string } | null>;
  close(): Promise<void>;
}

const DEFAULT_SCOPE_CLAIMS = {
  email: ["email", "email_verified"],
  profile: ["name", "given_name", "family_name"],
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function loginPage(uid: string, clientId: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main>
<h1>Test identity provider</h1>
<p>Signing in to ${escapeHtml(clientId)}</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Starts the server and resolves once it listens. */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: "test-key",
    alg: "RS256",
    use: "sig",
  };
  const accounts = new Map(options.accounts.map((a) => [a.id, a]));
  const tokenResponseByGrant = new Map<string, Record<string, unknown>>();
  let tamper: IdTokenTamper | null = null;
  const scopeClaims: Record<string, readonly string[]> = {
    openid: ["sub"],
    ...(options.scopeClaims ?? DEFAULT_SCOPE_CLAIMS),
  };
  const resource = options.resource;
  const signIn: "form" | ChooseAccount =
    options.signIn ?? (() => ({ accountId: options.accounts[0]!.id }));

  const configuration: Configuration = {
    clients: options.clients,
    jwks: { keys: [signingKey] },
    claims: Object.fromEntries(Object.entries(scopeClaims).map(([k, v]) => [k, [...v]])),
    scopes: ["openid", "offline_access", ...Object.keys(scopeClaims)],
    extraParams: [...(options.extraParams ?? [])],
    // Scope claims go into the id_token too, as an EHR's `fhirUser` must.
    conformIdTokenClaims: false,
    cookies: { keys: ["test-only-cookie-key"] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: resource !== undefined,
        defaultResource: () => resource?.indicator,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (!resource || indicator !== resource.indicator)
            throw new Error(`unknown resource ${indicator}`);
          return {
            scope: resource.scopes.join(" "),
            accessTokenFormat: "opaque",
            audience: resource.indicator,
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
      return { accountId: sub, claims: () => ({ ...account.claims, sub }) };
    },
    // Explicit lifetimes (seconds): oidc-provider asks for them and a test never waits this long.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
  };
  const provider = new Provider(issuer, configuration);

  // The token response: the grant's extra parameters (SMART's `patient`), and a tampered id_token.
  provider.use(async (ctx: OidcContext, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route !== "token" || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    if (typeof body.access_token === "string") {
      const token = await provider.AccessToken.find(body.access_token);
      const extra = token?.grantId ? tokenResponseByGrant.get(token.grantId) : undefined;
      if (extra) Object.assign(body, extra);
    }
    const change = tamper;
    if (change && typeof body.id_token === "string") {
      tamper = null;
      const claims = change({ ...decodeJwt(body.id_token) });
      body.id_token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: signingKey.kid, typ: "JWT" })
        .sign(privateKey);
    }
  });

  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
  };

  type Step = (
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionDetails,
    path: string,
  ) => Promise<void>;

  const login: Step = async (req, res, details, path) => {
    const uid = details.uid;
    let accountId: string;
    if (signIn === "form") {
      const clientId = typeof details.params.client_id === "string" ? details.params.client_id : "";
      if (req.method === "GET") return html(res, 200, loginPage(uid, clientId, null));
      if (req.method !== "POST" || !path.endsWith("/login"))
        return html(res, 405, "Method not allowed");
      const form = await formBody(req);
      const account = options.accounts.find(
        (a) => a.login && a.login === form.get("login") && a.password === form.get("password"),
      );
      if (!account) return html(res, 200, loginPage(uid, clientId, "Wrong username or password."));
      accountId = account.id;
    } else {
      accountId = signIn(details.params).accountId;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId } },
      { mergeWithLastSubmission: false },
    );
  };

  // No consent screen: every scope the client asks for that the server knows is granted.
  const consent: Step = async (req, res, details) => {
    const params = details.params;
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: String(params.client_id),
    });
    const requested = (typeof params.scope === "string" ? params.scope : "")
      .split(" ")
      .filter(Boolean);
    const oidcScopes = requested.filter((s) => s in scopeClaims || s === "offline_access");
    grant.addOIDCScope(oidcScopes.join(" "));
    const claimNames = oidcScopes.flatMap((s) => scopeClaims[s] ?? []);
    if (claimNames.length) grant.addOIDCClaims(claimNames);
    if (resource)
      grant.addResourceScope(
        resource.indicator,
        requested.filter((s) => resource.scopes.includes(s)).join(" "),
      );
    const grantId = await grant.save();
    const extras = signIn === "form" ? undefined : signIn(params).tokenResponse;
    if (extras) tokenResponseByGrant.set(grantId, extras);
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const details = await provider.interactionDetails(req, res);
    const step = details.prompt.name === "login" ? login : consent;
    await step(req, res, details, path);
  };

  const callback = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    if (!path.startsWith("/interaction/")) return callback(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
      res.end(`Interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  return {
    issuer,
    port,
    tamperNextIdToken(change) {
      tamper = change;
    },
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Follows an authorization request the way a browser would (redirects, the server's cookies)
 * until it leaves the server: the redirect to the client's redirect_uri. Only for automatic
 * sign-in (a login form stops it).
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
