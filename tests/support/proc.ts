import type { ChildProcess } from "node:child_process";
import fs from "node:fs";

/** The ids of a process's direct children (Linux /proc); [] where that cannot be read. */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Collects a spawned server's output and waits until `url`/api/health answers, killing the server
 * if that takes more than `timeoutMs`; `name` and `limit` word the errors. Returns the output so far.
 */
export async function waitForHealth(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  name: string,
  limit: string,
): Promise<() => string> {
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not start ${limit}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return () => log;
}
