import pino, { type Logger } from "pino";
import { env } from "@/lib/env";
import { currentRequest } from "./context";

/*
 * The process's JSON logger on standard output. Lines carry the request id of the request they
 * belong to. What goes in is decided by the callers: route templates, statuses, error classes and
 * stacks, never a patient's name, MRN or birth date, nor query values.
 */
const LOGGER = Symbol.for("bone-brain-care.logger");
const holder = globalThis as unknown as Record<symbol, Logger | undefined>;

export function logger(): Logger {
  holder[LOGGER] ??= pino({
    level: env().LOG_LEVEL,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const reqId = currentRequest()?.reqId;
      return reqId ? { reqId } : {};
    },
  });
  return holder[LOGGER];
}

/**
 * An error for the log: class, code and the stack's frames. The message is left out (driver and
 * library messages can quote the data that failed), so is the stack's first line that repeats it.
 */
export function errorFields(error: unknown): { type: string; code?: string; stack?: string } {
  const e = error as { name?: string; code?: unknown; stack?: unknown } | null | undefined;
  const frames =
    typeof e?.stack === "string"
      ? e.stack
          .split("\n")
          .filter((line) => /^\s+at /.test(line))
          .join("\n")
      : undefined;
  return {
    type: e?.name ?? typeof error,
    ...(typeof e?.code === "string" ? { code: e.code } : {}),
    ...(frames ? { stack: frames } : {}),
  };
}

/*
 * lib/api/failure-log.ts writes a route's unexpected failure through this sink when the server
 * has installed it (it may not import lib/server); without it, it prints its plain line.
 */
const FAILURE_SINK = Symbol.for("bone-brain-care.failure-sink");

export function installFailureSink(): void {
  (globalThis as unknown as Record<symbol, unknown>)[FAILURE_SINK] = (
    where: string,
    error: unknown,
  ) => logger().error({ where, err: errorFields(error) }, "request failed");
}
