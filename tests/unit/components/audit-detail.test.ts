import { describe, expect, it } from "vitest";
import { actionParts, detailFields, labelOf } from "@/components/audit/audit-log.utils";

describe("audit details for people", () => {
  it("labels keys in words", () => {
    expect(labelOf("nextDueOn")).toBe("Next due on");
    expect(labelOf("rows_total")).toBe("Rows total");
    expect(labelOf("count")).toBe("Count");
  });

  it("renders the detail as labelled fields, nested filters in one line", () => {
    expect(
      detailFields({
        count: 3,
        searched: true,
        filters: { status: "active", priority: ["urgent", "high"], cursor: undefined },
      }),
    ).toEqual([
      { label: "Count", value: "3" },
      { label: "Searched", value: "yes" },
      { label: "Filters", value: "Status: active; Priority: urgent, high" },
    ]);
    expect(detailFields({})).toEqual([]);
    expect(detailFields(null)).toEqual([]);
    expect(detailFields("text")).toEqual([{ label: "Detail", value: "text" }]);
  });

  it("splits an action at its dots", () => {
    expect(actionParts("worklist.treat-to-target.export")).toEqual([
      "worklist",
      "treat-to-target",
      "export",
    ]);
  });
});
