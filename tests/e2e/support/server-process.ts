import { spawn, type ChildProcess } from "node:child_process";
import { waitForHealth } from "../../support/proc";

/** A second app server, started from the e2e build, that a test may kill and restart. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts scripts/e2e-server.ts (no build) on `port` and waits for /api/health. */
export async function startServer(
  port: number,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/e2e-server.ts"], {
    env: {
      ...process.env,
      E2E_SKIP_BUILD: "1",
      E2E_DIST_DIR: process.env.E2E_DIST_DIR ?? ".next-e2e",
      E2E_PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = `http://localhost:${port}`;
  const output = await waitForHealth(child, url, 90_000, "server", "in time");
  return { url, child, output };
}

/** Kills the server with SIGKILL (no shutdown hooks run) and waits for it to be gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGKILL");
  await exited;
}

export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGTERM");
  await exited;
}
