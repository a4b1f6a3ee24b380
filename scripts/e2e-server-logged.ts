// The server Playwright starts for the whole e2e run: scripts/e2e-server.ts in a child process,
// its standard output and error passed through and also written to
// test-results/port-<port>/server.log, which the run's global teardown checks (JSON access lines
// with request ids, no patient identifiers). A file, not a pipe the tests read: the log of the
// whole run, every spec's requests included.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.E2E_PORT ?? "3100";
const file = path.join("test-results", `port-${port}`, "server.log");
fs.mkdirSync(path.dirname(file), { recursive: true });
const log = fs.createWriteStream(file, { flags: "w" });

const child = spawn(process.execPath, ["--import", "tsx", "scripts/e2e-server.ts"], {
  env: process.env,
  stdio: ["ignore", "pipe", "pipe"],
});
child.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
child.stderr.on("data", (chunk: Buffer) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
// Playwright stops the server's whole process group; the child stops itself and this process
// follows it, so the log is complete.
const forward = (signal: NodeJS.Signals) => () => {
  if (child.exitCode === null) child.kill(signal);
};
process.on("SIGTERM", forward("SIGTERM"));
process.on("SIGINT", forward("SIGINT"));
child.on("exit", (code, signal) => {
  log.end(() => process.exit(code ?? (signal ? 1 : 0)));
});
