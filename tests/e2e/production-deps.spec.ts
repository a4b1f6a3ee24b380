import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { waitForHealth } from "../support/proc";

/**
 * The production image's runtime stage, as far as this machine can build it without Docker: a
 * directory outside the repository (so Node cannot find the development dependencies by walking
 * up) holding what the Dockerfile copies (the build output, package.json, tsconfig.json,
 * next.config.mjs, db, lib, scripts, types) and only the production dependencies that
 * package-lock.json lists (what `npm ci --omit=dev` installs, hard-linked from node_modules rather
 * than downloaded). Started as the image's CMD with a fresh embedded database, it answers
 * /api/health and signs a user in.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 70;
const ROOT = process.cwd();
const COPIED = [
  "package.json",
  "tsconfig.json",
  "next.config.mjs",
  "db",
  "lib",
  "scripts",
  "types",
];

let dir = "";
let child: ChildProcess | undefined;

/** The lock's packages that a production install has: not dev-only, and present here. */
function productionPackages(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith("node_modules/") && !entry.dev && !entry.link)
    .map(([key]) => key)
    .filter((key) => fs.existsSync(path.join(ROOT, key)));
}

/**
 * Hard links (copies across file systems) a package's files, without its nested node_modules:
 * those are packages of their own in the lock, linked only if they are production ones.
 */
function linkPackage(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkPackage(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-production-"));
  for (const name of COPIED)
    fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  // Copied, not linked: the server may write into its build directory.
  fs.cpSync(path.join(ROOT, process.env.E2E_DIST_DIR ?? ".next-e2e"), path.join(dir, ".next"), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}cache${path.sep}`),
  });
  for (const key of productionPackages())
    linkPackage(fs.realpathSync(path.join(ROOT, key)), path.join(dir, key));

  child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/start.ts", "--seed-if-empty", "--patients", "10"],
    {
      cwd: dir,
      // Only what the image sets and the variables a deployment must give.
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(PORT),
        HOSTNAME: "127.0.0.1",
        PGLITE_DIR: path.join(dir, "data", "pglite"),
        AUTH_SECRET: "production-deps-test-secret-0123456789",
        NEXTAUTH_URL: `http://localhost:${PORT}`,
        DEMO_PASSWORD: "bonebrain-demo",
        REASSESS_EVERY_HOURS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await waitForHealth(child, `http://localhost:${PORT}`, 180_000, "production server", "in time");
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the build with production dependencies only serves health and a sign-in", async () => {
  expect(fs.existsSync(path.join(dir, "node_modules", "vitest"))).toBe(false);
  expect(fs.existsSync(path.join(dir, "node_modules", "next"))).toBe(true);
  const api = await playwrightRequest.newContext({ baseURL: `http://localhost:${PORT}` });
  const health = await api.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ replica: "none" });
  const signInPage = await api.get("/signin");
  expect(signInPage.status()).toBe(200);
  await credentialsSignIn(api, "clinician@example.org");
  expect((await api.get("/api/v1/patients?limit=1")).status()).toBe(200);
  await api.dispose();
});
