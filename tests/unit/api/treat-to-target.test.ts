import { describe, expect, it } from "vitest";
import { exportFileName, describeFilters } from "@/lib/api/csv-download";
import { phq9Change, treatToTargetStatus } from "@/lib/api/treat-to-target";
import { RULESET_POLICY, THRESHOLDS } from "@/lib/clinical/policy";

const at = (total: number, on: string) => ({ total, on });

describe("treat-to-target status", () => {
  it("is in progress without a later PHQ-9 than the baseline", () => {
    expect(treatToTargetStatus(null, null)).toBe("in-progress");
    expect(treatToTargetStatus(at(15, "2026-01-01"), at(15, "2026-01-01"))).toBe("in-progress");
    expect(treatToTargetStatus(at(15, "2026-01-01"), null)).toBe("in-progress");
  });

  it("is remission below the mild band (< 5), whatever the interval", () => {
    expect(THRESHOLDS.phq9.mild).toBe(5);
    expect(treatToTargetStatus(at(15, "2026-01-01"), at(4, "2026-01-15"))).toBe("remission");
    expect(treatToTargetStatus(at(15, "2026-01-01"), at(5, "2026-01-15"))).toBe("response");
  });

  it("is response at a fall of at least half", () => {
    expect(treatToTargetStatus(at(16, "2026-01-01"), at(8, "2026-02-01"))).toBe("response");
    expect(treatToTargetStatus(at(17, "2026-01-01"), at(8, "2026-06-01"))).toBe("response");
    // 9 of 17 is more than half: not a response (and below 10: still in progress).
    expect(treatToTargetStatus(at(17, "2026-01-01"), at(9, "2026-06-01"))).toBe("in-progress");
  });

  it("is not improving only once 10 weeks have passed with a PHQ-9 still ≥ 10 and less than halved", () => {
    const days = RULESET_POLICY.notImprovingMinIntervalDays;
    expect(days).toBe(70);
    // 69 days: still in progress; 70 days: not improving.
    expect(treatToTargetStatus(at(18, "2026-01-01"), at(15, "2026-03-11"))).toBe("in-progress");
    expect(treatToTargetStatus(at(18, "2026-01-01"), at(15, "2026-03-12"))).toBe("not-improving");
    // Still 10 (positive) and more than half: not improving; below 10 but above half: in progress.
    expect(treatToTargetStatus(at(18, "2026-01-01"), at(10, "2026-06-01"))).toBe("not-improving");
    expect(treatToTargetStatus(at(18, "2026-01-01"), at(9.5, "2026-06-01"))).toBe("in-progress");
    // A baseline below 10 is not a treat-to-target episode that can fail.
    expect(treatToTargetStatus(at(9, "2026-01-01"), at(12, "2026-06-01"))).toBe("in-progress");
  });

  it("gives the change in points and whole percent", () => {
    expect(phq9Change(16, 8)).toEqual({ points: -8, percent: -50 });
    expect(phq9Change(12, 15)).toEqual({ points: 3, percent: 25 });
    expect(phq9Change(0, 3)).toEqual({ points: 3, percent: null });
    expect(phq9Change(null, 3)).toEqual({ points: null, percent: null });
  });
});

describe("export context", () => {
  it("describes the filters and names the file after them", () => {
    const filters = { status: "active", priority: ["urgent", "high"], overdue: false, cursor: "x" };
    expect(describeFilters(filters)).toBe("status=active; priority=urgent,high; overdue=false");
    expect(describeFilters({})).toBe("none");
    expect(exportFileName("worklist", filters, new Date("2026-11-26T12:00:00Z"))).toBe(
      "worklist-status-active-priority-urgent+high-2026-11-26.csv",
    );
    expect(exportFileName("audit", { q: "Zoë O'Neil" }, new Date("2026-11-26T12:00:00Z"))).toBe(
      "audit-q-Zo_O_Neil-2026-11-26.csv",
    );
  });
});
