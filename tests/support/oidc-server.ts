import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider, { type OidcContext } from "oidc-provider";

/*
 * A real OpenID Connect authorization server for tests: oidc-provider (a certified
 * implementation), with in-memory clients and accounts and a plain HTML login page that a
 * Playwright test fills in ("Username", "Password", "Sign in"). Consent is granted automatically
 * (the app is a first-party client of the hospital's provider). PKCE is required of every client.
 *
 *   const idp = await startAuthorizationServer({
 *     port: 4103,
 *     clients: [{ clientId: "bbc", clientSecret: "s3cret", redirectUris: [`${app}/api/auth/callback/oidc`] }],
 *     accounts: [{ id: "u1", login: "ana", password: "pw", claims: { email: "a@x", email_verified: true } }],
 *   });
 *   … idp.issuer …
 *   await idp.close();
 *
 * For negative tests, `tamperIdToken` rewrites the claims of the next id_tokens the token
 * endpoint issues and signs them again with the server's own key (so only the claims are wrong,
 * for example another `aud` or `iss`).
 */

export interface TestAccount {
  /** The subject (`sub`). */
  id: string;
  /** What the login page's "Username" takes. */
  login: string;
  password: string;
  /** Claims beyond `sub`, released according to `claims` of the options (by scope). */
  claims: Record<string, unknown>;
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface AuthorizationServerOptions {
  port: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  clients: TestClient[];
  accounts: TestAccount[];
  /** Scope → claims it releases; defaults to OpenID Connect's `email` and `profile`. */
  claims?: Record<string, string[]>;
}

export type IdTokenTamper = (claims: Record<string, unknown>) => Record<string, unknown>;

export interface AuthorizationServer {
  /** `http://<host>:<port>`, as its discovery document announces it. */
  issuer: string;
  /** Rewrites the claims of the id_tokens issued from now on; null stops. */
  tamperIdToken(tamper: IdTokenTamper | null): void;
  close(): Promise<void>;
}

const DEFAULT_CLAIMS = {
  openid: ["sub"],
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
  const host = options.host ?? "127.0.0.1";
  const issuer = `http://${host}:${options.port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey: JWK = {
    ...(await exportJWK(privateKey)),
    kid: "test-key",
    alg: "RS256",
    use: "sig",
  };
  const accounts = new Map(options.accounts.map((a) => [a.id, a]));
  let tamper: IdTokenTamper | null = null;

  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [signingKey] },
    claims: options.claims ?? DEFAULT_CLAIMS,
    cookies: { keys: ["test-only-cookie-key"] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    // Explicit lifetimes (seconds): oidc-provider asks for them and a test never waits this long.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ ...account.claims, sub: id }) };
    },
    // No consent screen: every scope the client asks for is granted once the person signed in.
    async loadExistingGrant(ctx: OidcContext) {
      const oidc = ctx.oidc!;
      const clientId = oidc.client!.clientId;
      const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope(typeof oidc.params?.scope === "string" ? oidc.params.scope : "openid");
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (!tamper || ctx.oidc?.route !== "token" || typeof body?.id_token !== "string") return;
    const claims = tamper({ ...decodeJwt(body.id_token) });
    body.id_token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
      .sign(privateKey);
  });

  const handleInteraction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const details = await provider.interactionDetails(req, res);
    const clientId = typeof details.params.client_id === "string" ? details.params.client_id : "";
    const html = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(body);
    };
    if (req.method === "GET") return html(200, loginPage(details.uid, clientId, null));
    if (req.method !== "POST" || !path.endsWith("/login")) return html(405, "Method not allowed");
    const form = await formBody(req);
    const account = options.accounts.find(
      (a) => a.login === form.get("login") && a.password === form.get("password"),
    );
    if (!account) return html(200, loginPage(details.uid, clientId, "Wrong username or password."));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  };

  const oidcCallback = provider.callback();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    if (!path.startsWith("/interaction/")) return oidcCallback(req, res);
    handleInteraction(req, res, path).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
      res.end(`Interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (port !== options.port) throw new Error(`listening on ${port}, not ${options.port}`);

  return {
    issuer,
    tamperIdToken(next) {
      tamper = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
