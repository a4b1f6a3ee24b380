import { describe, expect, it } from "vitest";
import { barAvailability, dayAfter, doneMessage } from "@/components/worklist/flag-actions.utils";

const open = { severity: "high", status: "open" } as const;
const acked = { severity: "medium", status: "acknowledged" } as const;
const critical = { severity: "critical", status: "open" } as const;
const resolved = { severity: "low", status: "resolved" } as const;

describe("the drawer's action bar", () => {
  it("disables every action, saying why, while no flag is chosen", () => {
    const why = barAvailability([], true);
    expect(Object.values(why)).toEqual(Array(5).fill("Choose one or more flags first."));
  });

  it("allows every action on open flags of lower severity", () => {
    expect(barAvailability([open, acked], true)).toEqual({
      acknowledge: null,
      assign: null,
      note: null,
      snooze: null,
      resolve: null,
    });
  });

  it("refuses a snooze while a critical flag is chosen, and says so", () => {
    const why = barAvailability([open, critical], true);
    expect(why.snooze).toMatch(/critical flag cannot be snoozed/);
    expect(why.acknowledge).toBeNull();
    expect(why.resolve).toBeNull();
  });

  it("acknowledges only when an open flag is chosen", () => {
    expect(barAvailability([acked], true).acknowledge).toMatch(/Only an open flag/);
  });

  it("leaves management to roles that have it", () => {
    const why = barAvailability([open], false);
    expect(why.acknowledge).toBeNull();
    expect(why.assign).toMatch(/Your role/);
    expect(why.snooze).toMatch(/Your role/);
  });

  it("acts on nothing resolved", () => {
    const why = barAvailability([resolved], true);
    expect(why.note).toMatch(/resolved/);
    expect(why.acknowledge).toMatch(/resolved/);
  });

  it("counts what was done and starts a snooze tomorrow", () => {
    expect(doneMessage("acknowledge", 2)).toBe("Acknowledged 2 flags.");
    expect(doneMessage("note", 1)).toBe("Note added to 1 flag.");
    expect(dayAfter("2026-12-31")).toBe("2027-01-01");
  });
});
