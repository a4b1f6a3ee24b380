import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowHeader, otherMethods } from "@/lib/api/method-not-allowed";
import { runInRequest } from "@/lib/server/observability/context";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Route files whose wrong-method answers are ours (next-auth answers its own paths). */
function routeFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "auth") walk(full);
      } else if (entry.name === "route.ts") found.push(full);
    }
  };
  walk(path.join(ROOT, "app/api"));
  walk(path.join(ROOT, "app/cds-services"));
  return found;
}

describe("wrong methods on API routes", () => {
  it("every API route answers every method, and its Allow list names the ones it serves", () => {
    const gaps: string[] = [];
    for (const file of routeFiles()) {
      const source = fs.readFileSync(file, "utf8");
      const served = METHODS.filter((m) =>
        new RegExp(`export (const|async function|function) ${m}\\b`).test(source),
      );
      const refused = /export const \{([^}]*)\} = otherMethods\(\[([^\]]*)\]\)/.exec(source);
      const refusedNames = refused?.[1]!.split(",").map((s) => s.trim()) ?? [];
      const allowed = refused?.[2]!.split(",").map((s) => s.trim().replace(/"/g, "")) ?? [];
      const where = path.relative(ROOT, file);
      if ([...served, ...refusedNames].sort().join() !== [...METHODS].sort().join())
        gaps.push(`${where}: serves ${served.join(",")} refuses ${refusedNames.join(",")}`);
      if (refused && allowed.join() !== served.filter((m) => m !== "OPTIONS").join())
        gaps.push(`${where}: Allow names ${allowed.join(",")} but serves ${served.join(",")}`);
    }
    expect(gaps).toEqual([]);
  });

  it("are a problem+json 405 with the Allow header and the request id", async () => {
    const { DELETE } = otherMethods(["GET", "POST"]);
    const response = runInRequest({ reqId: "abc-123" }, () =>
      DELETE(new Request("http://x/api/v1/patients", { method: "DELETE" })),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: 405, requestId: "abc-123" });
    expect(allowHeader(["POST"])).toBe("POST, OPTIONS");
    // OPTIONS names what the route serves, not the handlers that refuse.
    const options = otherMethods(["GET"]).OPTIONS(new Request("http://x/api/health"));
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
