import { z } from "zod";
import { isSecureOrLoopback, parseSmartClients } from "./smart-clients";
import { isTimeZone } from "./time-zone";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An identity provider's URL: https, or http only on this machine (tests, a local Keycloak). */
export function isHttpsOrLoopback(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === "https:") return true;
    return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

const OIDC_VARIABLES = [
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "OIDC_NAME",
] as const;

/** Every environment variable the application reads, checked once. Documented in README.md. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Set → PostgreSQL server (node-postgres pool). Unset → embedded PGlite in PGLITE_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    PGLITE_DIR: z.string().min(1).default("./.data/pglite"),
    /** Pool size per app instance when DATABASE_URL is set. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * A streaming replica of DATABASE_URL: quality metrics, exports and FHIR searches read there
     * while it answers and lags at most REPLICA_MAX_LAG_SECONDS; otherwise they read the primary.
     */
    DATABASE_REPLICA_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Bearer token that may read /api/metrics (besides an administrator's session). */
    METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
    /**
     * Seconds between checks that the default quality views are still cached (recomputed in the
     * background when not, by one instance at a time). 0 = off. Default: 5 with PostgreSQL, off
     * with the embedded database (one connection, shared with the requests).
     */
    QUALITY_WARM_SECONDS: z.coerce.number().min(0).max(3600).optional(),
    /** OTLP/HTTP collector for traces; unset → no tracing. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    /** Signs session JWTs. Required in production; `npm run demo` generates one in .data/. */
    AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters").optional(),
    /** The public URL of the app (used by next-auth and CDS Hooks audience checks). */
    NEXTAUTH_URL: z.url().optional(),
    /**
     * The app's public base URL (no trailing slash), e.g. https://bbc.example.org. CDS Hooks checks
     * each client JWT's `aud` against `${PUBLIC_URL}/cds-services/...`; cards link into the app
     * with it. Defaults to NEXTAUTH_URL, else http://localhost:$PORT.
     */
    PUBLIC_URL: z.url().optional(),
    /**
     * Trusted CDS Hooks clients: a JSON array of { "iss", "jwks": { "keys": [...] } } or
     * { "iss", "jwksUrl" }.
     */
    CDS_CLIENTS: z.string().optional(),
    /**
     * EHRs trusted to launch the app (SMART App Launch): a JSON array of { "iss", "clientId",
     * "clientSecret" | "privateKeyJwk", "site", "userClaim"?, "identifierSystem"?, "name"?,
     * "frameAncestors"? } (lib/smart-clients.ts). Checked here, so a bad list stops the start.
     */
    SMART_CLIENTS: z.string().optional(),
    /**
     * The app runs inside the EHRs' frames: frame-ancestors names the SMART_CLIENTS origins and
     * the session cookie becomes SameSite=None; Secure; Partitioned (so it needs https, or localhost).
     */
    SMART_EMBEDDED: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    /** The IANA time zone of sites that have none of their own ("Europe/Berlin"). */
    DEFAULT_TIME_ZONE: z
      .string()
      .default("UTC")
      .refine(isTimeZone, {
        error: (issue) => `Unknown time zone: ${String(issue.input)} (use an IANA name)`,
      }),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOSTNAME: z.string().min(1).default("0.0.0.0"),
    DEMO_PASSWORD: z
      .string()
      .min(8, "DEMO_PASSWORD must be at least 8 characters")
      .default("bonebrain-demo"),
    /** Set by `npm run demo`: the sign-in page shows the demo accounts. Never set in production use. */
    DEMO_MODE: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    /**
     * Every N hours the server re-assesses patients whose latest assessment is older than today
     * (data ages: screens go stale, DXAs fall due, snoozes end). 0 = off (run `npm run
     * db:reassess` from cron instead). `npm run demo` sets 6.
     */
    REASSESS_EVERY_HOURS: z.coerce.number().min(0).max(168).default(0),
    /**
     * Server processes sharing the port (node:cluster), with PostgreSQL only: the app keeps no
     * state in process memory, so each is a full instance. Set it to the number of cores a
     * PostgreSQL deployment gives the app. The embedded database allows exactly one process.
     */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * Behind exactly one reverse proxy (a load balancer) that appends the address it saw to
     * X-Forwarded-For: the client address (audit events, sign-in throttling) is that right-most
     * entry. Off: the socket's peer. X-Real-IP is never read (lib/auth/client-address.ts).
     */
    TRUST_PROXY: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    /**
     * Hospital single sign-on (OpenID Connect): the issuer exactly as its discovery document
     * announces it, the app's client id and secret there, and the sign-in button's label. All four
     * or none (lib/auth/sso.ts).
     */
    OIDC_ISSUER: z
      .url()
      .refine(isHttpsOrLoopback, "OIDC_ISSUER must be https (http only for 127.0.0.1/localhost).")
      .optional(),
    OIDC_CLIENT_ID: z.string().max(500).optional(),
    OIDC_CLIENT_SECRET: z.string().max(2000).optional(),
    OIDC_NAME: z.string().max(80).optional(),
    /**
     * Local passwords: `on` for everyone, `breakglass` only for the administrator BREAKGLASS_EMAIL
     * names, `off` for no one (lib/auth/local-signin.ts). Other than `on` needs single sign-on.
     */
    LOCAL_SIGNIN: z.enum(["on", "breakglass", "off"]).default("on"),
    BREAKGLASS_EMAIL: z
      .email("BREAKGLASS_EMAIL must be an email address.")
      .transform((v) => v.trim().toLowerCase())
      .optional(),
  })
  .superRefine((env, ctx) => {
    const oidcSet = OIDC_VARIABLES.filter((name) => env[name] !== undefined);
    if (oidcSet.length > 0 && oidcSet.length < OIDC_VARIABLES.length) {
      for (const name of OIDC_VARIABLES.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `${name} is required with ${oidcSet.join(", ")} (single sign-on needs all four).`,
        });
      }
    }
    if (env.LOCAL_SIGNIN !== "on" && oidcSet.length < OIDC_VARIABLES.length) {
      ctx.addIssue({
        code: "custom",
        path: ["LOCAL_SIGNIN"],
        message: `LOCAL_SIGNIN=${env.LOCAL_SIGNIN} needs single sign-on (OIDC_*): otherwise no one could sign in.`,
      });
    }
    if (env.LOCAL_SIGNIN === "breakglass" && !env.BREAKGLASS_EMAIL) {
      ctx.addIssue({
        code: "custom",
        path: ["BREAKGLASS_EMAIL"],
        message:
          "LOCAL_SIGNIN=breakglass needs BREAKGLASS_EMAIL (the administrator who keeps a password).",
      });
    }
    if (env.DATABASE_REPLICA_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_REPLICA_URL"],
        message: "DATABASE_REPLICA_URL needs DATABASE_URL (a replica of a PostgreSQL server).",
      });
    }
    const smart = parseSmartClients(env.SMART_CLIENTS);
    if (!smart.ok) {
      for (const message of smart.issues)
        ctx.addIssue({ code: "custom", path: ["SMART_CLIENTS"], message });
    }
    if (env.SMART_EMBEDDED) {
      const publicUrl = env.PUBLIC_URL ?? env.NEXTAUTH_URL;
      if (!smart.ok || smart.clients.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["SMART_EMBEDDED"],
          message: "SMART_EMBEDDED needs SMART_CLIENTS (the EHRs that may frame the app).",
        });
      if (!publicUrl || !isSecureOrLoopback(publicUrl))
        ctx.addIssue({
          code: "custom",
          path: ["SMART_EMBEDDED"],
          message:
            "SMART_EMBEDDED needs an https PUBLIC_URL (SameSite=None cookies must be Secure; http only on localhost).",
        });
    }
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message:
          "AUTH_SECRET is required in production (e.g. `openssl rand -base64 32`); `npm run demo` creates one for you.",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super("Invalid environment:\n" + issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"));
    this.name = "EnvError";
  }
}

/** Parses an environment record; empty strings count as unset. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
