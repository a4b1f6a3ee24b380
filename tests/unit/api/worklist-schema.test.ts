import { describe, expect, it } from "vitest";
import { flagActionSchema, worklistQuerySchema } from "@/lib/api/worklist";

describe("flag action bodies", () => {
  it.each([
    [
      { action: "snooze", version: 2, until: "2026-12-24", reason: "DXA booked" },
      { until: "2026-12-24" },
    ],
    [
      { action: "snooze", version: 2, snoozedUntil: "2026-12-24", reason: "DXA booked" },
      { until: "2026-12-24" },
    ],
    [{ action: "resolve", version: 1, resolutionCode: "treated" }, { reason: "treated" }],
    [{ action: "assign", version: 1, assignee: "me" }, { assigneeId: "me" }],
    [{ action: "note", version: 3, note: " called " }, { note: "called" }],
  ])("accepts %j", (body, expected) => {
    const parsed = flagActionSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject(expected);
  });

  it.each([
    { action: "snooze", version: 1, until: "2026-12-24" },
    {
      action: "snooze",
      version: 1,
      until: "2026-12-24",
      snoozedUntil: "2026-12-25",
      reason: "x y z",
    },
    { action: "resolve", version: 1, reason: "other" },
    { action: "resolve", version: 1, reason: "fixed" },
    { action: "note", version: 1, note: "" },
    { action: "acknowledge" },
    { action: "acknowledge", version: 0 },
    { action: "delete", version: 1 },
    { version: 1 },
  ])("refuses %j", (body) => {
    expect(flagActionSchema.safeParse(body).success).toBe(false);
  });
});

describe("worklist query", () => {
  it("defaults to active flags of anyone and accepts comma lists of priorities", () => {
    expect(worklistQuerySchema.parse({})).toMatchObject({
      status: "active",
      assignee: "anyone",
      overdue: false,
      limit: 25,
    });
    expect(worklistQuerySchema.parse({ priority: "urgent,high" }).priority).toEqual([
      "urgent",
      "high",
    ]);
    expect(worklistQuerySchema.parse({ code: "bone" }).code).toBe("bone");
  });
  it("refuses unknown filters and values", () => {
    expect(worklistQuerySchema.safeParse({ priority: "extreme" }).success).toBe(false);
    expect(worklistQuerySchema.safeParse({ code: "bone.broken" }).success).toBe(false);
    expect(worklistQuerySchema.safeParse({ sort: "name" }).success).toBe(false);
  });
});
