import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "@/lib/server/write-gate";

/** A task that runs until `release` is called, recording how many run at once. */
function gate() {
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const started: number[] = [];
  const task =
    (n: number, fail = false) =>
    async () => {
      running += 1;
      most = Math.max(most, running);
      started.push(n);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      if (fail) throw new Error(`task ${n} failed`);
      return n;
    };
  // Let a finished task hand its slot on and the next one start.
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  const releaseNext = async () => {
    releases.shift()?.();
    await settle();
  };
  return { task, releaseNext, settle, started, most: () => most };
}

describe("concurrencyLimit", () => {
  it("runs at most the limit at once, the rest in arrival order", async () => {
    const run = concurrencyLimit(() => 2);
    const g = gate();
    const results = [1, 2, 3, 4].map((n) => run(g.task(n)));
    await g.settle();
    expect(g.started).toEqual([1, 2]);
    await g.releaseNext();
    expect(g.started).toEqual([1, 2, 3]);
    await g.releaseNext();
    await g.releaseNext();
    await g.releaseNext();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    expect(g.started).toEqual([1, 2, 3, 4]);
    expect(g.most()).toBe(2);
  });

  it("gives the slot back when a task fails", async () => {
    const run = concurrencyLimit(() => 1);
    const g = gate();
    const failing = run(g.task(1, true));
    const next = run(g.task(2));
    await g.releaseNext();
    await expect(failing).rejects.toThrow("task 1 failed");
    await g.releaseNext();
    expect(await next).toBe(2);
    expect(g.most()).toBe(1);
  });
});
