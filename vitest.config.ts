import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `import "server-only"` throws outside a React Server environment; tests run plain Node.
  "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
};

function integration(name: string, kind: "pglite" | "postgres") {
  return {
    resolve: { alias },
    test: {
      name,
      include: ["tests/integration/**/*.test.ts"],
      environment: "node" as const,
      env: { TEST_DB_KIND: kind },
      // Each file opens its own database; one file at a time keeps memory flat on 2 cores.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  };
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
      integration("integration", "pglite"),
      // The same suite again on a PostgreSQL server when one is given.
      ...(process.env.TEST_DATABASE_URL ? [integration("integration-pg", "postgres")] : []),
    ],
  },
});
