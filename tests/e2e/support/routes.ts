import fs from "node:fs";
import path from "node:path";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export interface DiscoveredRoute {
  kind: "page" | "api";
  method: Method;
  /** The URL pattern with `[param]` segments, route groups removed: `/api/v1/patients/[patientId]`. */
  pattern: string;
  file: string;
}

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every page and route handler under app/, from the file tree (so a new route cannot hide). */
export function discoverRoutes(appDir = path.join(process.cwd(), "app")): DiscoveredRoute[] {
  const found: DiscoveredRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // Route groups `(x)` and private folders `_x` add no URL segment / no route.
        if (entry.name.startsWith("_")) continue;
        walk(
          full,
          entry.name.startsWith("(") && entry.name.endsWith(")")
            ? segments
            : [...segments, entry.name],
        );
        continue;
      }
      const pattern = "/" + segments.join("/");
      if (entry.name === "page.tsx") {
        found.push({
          kind: "page",
          method: "GET",
          pattern: pattern === "/" ? "/" : pattern,
          file: full,
        });
      } else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        for (const method of METHODS) {
          const declared =
            new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b`).test(
              source,
            ) ||
            new RegExp(`export\\s*\\{[^}]*\\bas\\s+${method}\\b`).test(source) ||
            new RegExp(`export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source);
          if (declared) found.push({ kind: "api", method, pattern, file: full });
        }
      }
    }
  };
  walk(appDir, []);
  return found.sort((a, b) => `${a.method} ${a.pattern}`.localeCompare(`${b.method} ${b.pattern}`));
}

export function routeKey(route: Pick<DiscoveredRoute, "method" | "pattern">): string {
  return `${route.method} ${route.pattern}`;
}
