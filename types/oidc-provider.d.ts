// The part of oidc-provider (a test dependency; it ships no types) that the test harness
// tests/support/oidc-server.ts uses.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type ClientMetadata = Record<string, unknown> & { client_id: string };
  export type Configuration = Record<string, unknown>;

  export interface OidcGrant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  /** The Koa context of a request, as far as the harness reads it. */
  export interface OidcContext {
    status: number;
    body: unknown;
    oidc?: { route?: string };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[] };
    params: Record<string, unknown>;
    session?: { accountId: string };
  }

  export interface AccessTokenInstance {
    scope?: string;
    accountId?: string;
    grantId?: string;
    isExpired: boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: {
      new (init: { clientId: string; accountId: string }): OidcGrant;
    };
    AccessToken: { find(token: string): Promise<AccessTokenInstance | undefined> };
  }
}
