import { env } from "@/lib/env";

/**
 * A limit on how many tasks run at once, the rest waiting in arrival order. A slot is given back
 * when its task ends, also when it fails.
 */
export function concurrencyLimit(limit: () => number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit()) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Visit writes hold at most 40 % of this process's database connections at once (4 of the default 10). A burst of
 * writes (a clinic session, an EHR's batch) then queues here instead of in the pool, where every
 * read (the session check, a page, the quality landing view answered from its cache) would wait
 * behind it. Each app instance has its own pool, so the limit is per process by design.
 */
export const withWriteSlot = concurrencyLimit(() =>
  Math.max(1, Math.floor(env().DATABASE_POOL_MAX * 0.4)),
);
