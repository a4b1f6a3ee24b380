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

describe("worklist rows under a status filter", () => {
  it("shows only the snoozed flags under the snoozed filter, every flag otherwise", async () => {
    const { flagsShown } = await import("@/components/worklist/worklist-filters.utils");
    const flags = [
      { id: "a", status: "open" },
      { id: "b", status: "snoozed" },
      { id: "c", status: "acknowledged" },
    ];
    expect(flagsShown(flags, "snoozed").map((f) => f.id)).toEqual(["b"]);
    expect(flagsShown(flags, "open").map((f) => f.id)).toEqual(["a"]);
    expect(flagsShown(flags, "acknowledged").map((f) => f.id)).toEqual(["c"]);
    expect(flagsShown(flags, null).map((f) => f.id)).toEqual(["a", "b", "c"]);
    expect(flagsShown(flags, "all")).toHaveLength(3);
  });
});
