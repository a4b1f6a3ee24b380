import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Import boundaries of docs/ARCHITECTURE.md: a wrong arrow fails lint. */
const layer = (patterns, message, paths = []) => ({
  "no-restricted-imports": ["error", { paths, patterns: [{ group: patterns, message }] }],
});

/** lib/seed writes demo data through the use-cases: only scripts and tests may import it. */
const SEED = ["@/lib/seed*", "../seed/*"];
/** What the pure layers beside lib/clinical (lib/fhir, lib/api) may not import. */
const ABOVE_PURE = [
  "@/lib/server*",
  "@/lib/auth*",
  "@/lib/client*",
  "@/db*",
  "@/app*",
  "@/components*",
  ...SEED,
];
const SEED_LAYER =
  "lib/seed sits above the use-cases: it may import lib/server, lib/auth/password, lib/clinical, db and lib/api's types.";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      ".data/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks, drizzle },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-expect-error": "allow-with-description" },
      ],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // A file in a subfolder of lib/clinical may import its parents, never above lib/clinical.
  ...["lib/clinical/**", "lib/clinical/*/**", "lib/clinical/*/*/**"].map((files, depth) => ({
    files: [files],
    rules: layer(
      [
        "@/*",
        `${"../".repeat(depth + 1)}*`,
        "next",
        "next/*",
        "react",
        "react-dom",
        "node:*",
        "drizzle-orm*",
        "pg",
        "@electric-sql/*",
      ],
      "lib/clinical is pure: it imports nothing of ours, no Next, React, database or Node built-ins.",
    ),
  })),
  {
    files: ["lib/fhir/**"],
    rules: layer(
      [...ABOVE_PURE, "next", "next/*", "react"],
      "lib/fhir is a pure mapping layer: it may import lib/clinical only.",
    ),
  },
  {
    files: ["lib/api/**"],
    rules: layer(
      ABOVE_PURE,
      "lib/api holds schemas and problem responses: it may import lib/clinical only.",
    ),
  },
  {
    files: ["lib/server/**"],
    rules: layer(
      ["@/lib/auth*", "@/lib/client*", "@/app*", "@/components*", ...SEED, "react", "next/*"],
      "lib/server holds use-cases: it may import db, lib/clinical, lib/fhir and lib/api.",
    ),
  },
  {
    files: ["lib/client/**", "components/**"],
    rules: layer(
      [
        "@/lib/server*",
        "@/lib/auth/*server*",
        "@/db*",
        "drizzle-orm*",
        "pg",
        "@electric-sql/*",
        "@/app*",
        ...SEED,
      ],
      "UI code never touches the database or server use-cases: go through an API route.",
      [
        {
          name: "@/lib/clinical",
          allowTypeImports: true,
          message:
            "Import values from their module (e.g. @/lib/clinical/dates): the index brings zod and the whole ruleset into every page that uses one helper (the pages' JavaScript grows).",
        },
        {
          name: "@/lib/api/worklist",
          allowTypeImports: true,
          message:
            "The worklist's pages take their values from @/lib/api/worklist-values: this module's schemas would bring zod into them.",
        },
      ],
    ),
  },
  {
    files: ["db/**"],
    rules: layer(
      ["@/lib/*", "!@/lib/env", "../lib/*", "!../lib/env", "@/app*", "@/components*"],
      "db/ holds schema, client and migrations only (it may read lib/env).",
    ),
  },
  {
    files: ["lib/seed/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/lib/client*",
                "@/lib/fhir*",
                "@/app*",
                "@/components*",
                "react",
                "next",
                "next/*",
              ],
              message: SEED_LAYER,
            },
            { regex: "^@/lib/auth(?!/password$)", message: SEED_LAYER },
            {
              group: ["@/lib/api*"],
              allowTypeImports: true,
              message: "lib/seed takes only types from lib/api (values come through lib/server).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**", "lib/auth/**", "lib/*.ts", "proxy.ts"],
    rules: layer(SEED, "lib/seed writes demo data: only scripts and tests may import it."),
  },
);
