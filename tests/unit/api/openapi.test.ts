import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS, openApiDocument } from "@/lib/api/openapi";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Every route.ts under app/api/v1 with the methods it exports and the permission it requires. */
function routesInTree(): { path: string; method: string; permission: string }[] {
  const found: { path: string; method: string; permission: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const route = path
          .relative(path.join(ROOT, "app"), path.dirname(full))
          .split(path.sep)
          .map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"))
          .join("/");
        for (const m of source.matchAll(
          /export const (GET|POST|PATCH|PUT|DELETE) = (withAuth|withoutAuth)(?:<[^>]*>)?\(\s*("([\w.]+)")?/g,
        )) {
          found.push({
            path: `/${route}`,
            method: m[1]!.toLowerCase(),
            permission: m[2] === "withAuth" ? m[4]! : "signed-in",
          });
        }
      }
    }
  };
  walk(path.join(ROOT, "app/api/v1"));
  return found;
}

describe("the OpenAPI document of /api/v1", () => {
  const doc = openApiDocument("test") as {
    openapi: string;
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };

  it("is OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("describes every route in the tree, with its permission and error responses", () => {
    const routes = routesInTree();
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      const op = doc.paths[r.path]?.[r.method];
      expect(op, `${r.method.toUpperCase()} ${r.path}`).toBeDefined();
      expect(op!["x-permission"], `${r.method} ${r.path}`).toBe(r.permission);
      const responses = op!.responses as Record<string, unknown>;
      for (const status of ["401", "403", "500"])
        expect(responses[status], `${r.method} ${r.path} ${status}`).toBeDefined();
    }
    // and nothing that is not in the tree
    expect(API_OPERATIONS.length).toBe(routes.length);
  });

  it("takes request bodies and query parameters from the zod schemas", () => {
    const visit = doc.paths["/api/v1/patients/{patientId}/visits"]!.post!;
    const body = visit.requestBody as {
      content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
    };
    expect(Object.keys(body.content["application/json"]!.schema.properties ?? {})).toContain(
      "observations",
    );
    const quality = doc.paths["/api/v1/quality/metrics"]!.get!;
    const names = (quality.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["from", "to", "site"]));
  });

  it("says who may call each operation, and names the request id on every answer", () => {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(op.description, where).toContain(
          String(op["x-permission"] === "signed-in" ? "signed-in" : op["x-permission"]),
        );
        expect(op.parameters, where).toContainEqual({ $ref: "#/components/parameters/RequestId" });
        for (const [status, response] of Object.entries(
          op.responses as Record<string, Record<string, unknown>>,
        )) {
          if (response.$ref) continue; // the shared Problem response names it (below)
          expect(response.headers, `${where} ${status}`).toHaveProperty("x-request-id");
        }
      }
    const components = (
      doc as unknown as { components: { responses: { Problem: { headers: object } } } }
    ).components;
    expect(components.responses.Problem.headers).toHaveProperty("x-request-id");
  });
});
