import { z } from "zod";
import { API_OPERATIONS, type Body, type Operation } from "./openapi-operations";

export { API_OPERATIONS } from "./openapi-operations";

/*
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with:
 * query parameters and request bodies come from those schemas (zod's own JSON Schema output), the
 * permission of each operation is stated in `x-permission`, and every error is problem+json.
 */

const PROBLEM = { $ref: "#/components/responses/Problem" };
/** Every response names its request (the access log line and problem bodies carry the same id). */
const RESPONSE_HEADERS = { "x-request-id": { $ref: "#/components/headers/RequestId" } };

const TAGS: Record<string, string> = {
  patients: "Patients, their observations and visits",
  observations: "Observations entered in error",
  assess: "The clinical rules, statelessly",
  flags: "Flags raised by the rules and the care team's actions on them",
  worklist: "The care team's worklist",
  sites: "Sites and their care teams",
  quality: "De-identified aggregate quality metrics",
  audit: "The audit log",
  admin: "Users and API tokens",
  openapi: "This description",
};

/** The tag of a path: its first segment after /api/v1, without an extension. */
function tagOf(path: string): string {
  return path.split("/")[3]!.replace(/\.(csv|json)$/, "");
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const json = jsonSchema(schema) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

function successContent(returns: Body): Record<string, unknown> | undefined {
  if (returns === "csv") return { "text/csv": { schema: { type: "string" } } };
  if (returns === "json") return { "application/json": { schema: { type: "object" } } };
  return undefined;
}

/**
 * The operation's description: who may call it, in words (`x-permission` says the same to tools,
 * but most renderers hide extensions), and what a 404 means for a record.
 */
function describe(op: Operation): string {
  const who =
    op.permission === "signed-in"
      ? "Any signed-in user or API token may call this."
      : `Needs the \`${op.permission}\` permission (\`x-permission\`): a session or API token whose role lacks it gets 403.`;
  const record = op.record
    ? " A record that does not exist or is outside the caller's sites is a 404 (the two are not told apart)."
    : "";
  return `${op.summary}.\n\n${who}${record}`;
}

function operationObject(op: Operation): Record<string, unknown> {
  const errors: Record<string, unknown> = {
    "401": PROBLEM,
    "403": PROBLEM,
    "500": PROBLEM,
  };
  if (op.query) errors["400"] = PROBLEM;
  if (op.body) Object.assign(errors, { "400": PROBLEM, "413": PROBLEM, "415": PROBLEM });
  if (op.body) errors["422"] = PROBLEM;
  if (op.record || op.query) errors["404"] = PROBLEM;
  if (op.method !== "get") errors["429"] = PROBLEM;
  if (op.conflict) {
    errors["409"] = {
      description: op.conflict.description,
      headers: RESPONSE_HEADERS,
      content: {
        "application/problem+json": {
          schema: op.conflict.properties
            ? {
                allOf: [
                  { $ref: "#/components/schemas/Problem" },
                  { type: "object", properties: op.conflict.properties },
                ],
              }
            : { $ref: "#/components/schemas/Problem" },
        },
      },
    };
  }
  const parameters = [
    ...pathParameters(op.path),
    ...(op.query ? queryParameters(op.query) : []),
    { $ref: "#/components/parameters/RequestId" },
  ];
  const content = successContent(op.returns);
  return {
    operationId: `${op.method}${op.path
      .replace(/\.csv$/, "Csv")
      .replace(/[{}]/g, "")
      .split(/[/.-]/)
      .filter((s) => s && s !== "api" && s !== "v1")
      .map((s) => s[0]!.toUpperCase() + s.slice(1))
      .join("")}`,
    summary: op.summary,
    description: describe(op),
    tags: [tagOf(op.path)],
    "x-permission": op.permission,
    security: [{ session: [] }, { bearer: [] }],
    parameters,
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(op.body) } },
          },
        }
      : {}),
    responses: {
      [op.created ? "201" : "200"]: {
        description: op.created ? "Created" : "OK",
        headers: RESPONSE_HEADERS,
        ...(content ? { content } : {}),
      },
      ...errors,
    },
  };
}

/** The OpenAPI 3.1 document of /api/v1. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const tags = [...new Set(API_OPERATIONS.map((op) => tagOf(op.path)))].map((name) => ({
    name,
    description: TAGS[name] ?? name,
  }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Bone–Brain Care API",
      version,
      description:
        "Clinical decision support for older adults in whom depression and osteoporosis meet. Every operation needs a signed-in session or an API token with the role permission in `x-permission`; every error is application/problem+json with the request's `requestId`.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // Relative: tools resolve it against the URL they fetched this document from.
    servers: [{ url: "/", description: "The server this document was fetched from" }],
    tags,
    security: [{ session: [] }, { bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
        bearer: { type: "http", scheme: "bearer" },
      },
      parameters: {
        RequestId: {
          name: "x-request-id",
          in: "header",
          required: false,
          description:
            "Your own id for this request, kept when it is 1–128 characters of A–Z a–z 0–9 . _ : - (otherwise the server makes one); returned in the response header and in error bodies, and written in the server's access log.",
          schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" },
        },
      },
      headers: {
        RequestId: {
          description: "The id of this request: yours when it was kept, else the server's",
          schema: { type: "string" },
        },
      },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            requestId: { type: "string", description: "The x-request-id of the request" },
            errors: {
              type: "array",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: { path: { type: "string" }, message: { type: "string" } },
              },
            },
          },
        },
      },
      responses: {
        Problem: {
          description: "An error (RFC 9457 problem details)",
          headers: RESPONSE_HEADERS,
          content: {
            "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
          },
        },
      },
    },
  };
}
