import { describe, expect, it } from "vitest";
import { restAfter } from "@/lib/server/quality/warm";

describe("the warm-up's rest after a recomputation", () => {
  it("is nine times the recomputation, so that the warm-up has about a tenth of the time", () => {
    expect(restAfter(4_000, 5)).toBe(36);
    const rest = restAfter(2_000, 1);
    expect(2 / (2 + rest)).toBeCloseTo(0.1);
  });

  it("is none when it would be no longer than a tick (the next tick comes anyway)", () => {
    expect(restAfter(500, 5)).toBe(0);
    expect(restAfter(50, 5)).toBe(0);
  });

  it("is at most two minutes, however slow the recomputation", () => {
    expect(restAfter(60_000, 5)).toBe(120);
  });
});
