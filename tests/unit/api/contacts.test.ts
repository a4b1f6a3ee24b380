import { describe, expect, it } from "vitest";
import {
  CONTACT_INTERVAL_DAYS,
  CONTACT_RETRY_DAYS,
  createContactSchema,
  isContactOverdue,
  nextContactDue,
} from "@/lib/api/contacts";
import { PRIORITIES } from "@/lib/clinical/constants";

describe("contact scheduling", () => {
  it("sets the next contact after the interval of the priority when the patient was reached", () => {
    expect(nextContactDue("2026-11-26", "urgent", "reached")).toBe("2026-11-27");
    expect(nextContactDue("2026-11-26", "high", "reached")).toBe("2026-12-03");
    expect(nextContactDue("2026-11-26", "medium", "reached")).toBe("2026-12-10");
    expect(nextContactDue("2026-11-26", "low", "reached")).toBe("2026-12-26");
    expect(nextContactDue("2026-11-26", "none", "reached")).toBe("2027-02-24");
  });

  it("retries sooner when the patient was not reached, never later than the interval", () => {
    expect(nextContactDue("2026-11-26", "high", "no-answer")).toBe("2026-11-28");
    expect(nextContactDue("2026-11-26", "low", "left-message")).toBe("2026-11-28");
    // An urgent patient is tried again the next day, not in two.
    expect(nextContactDue("2026-11-26", "urgent", "no-answer")).toBe("2026-11-27");
  });

  it("crosses months, years and leap days", () => {
    expect(nextContactDue("2028-02-28", "urgent", "reached")).toBe("2028-02-29");
    expect(nextContactDue("2026-12-31", "high", "reached")).toBe("2027-01-07");
  });

  it("keeps every interval positive and the retry no longer than any interval but the shortest", () => {
    for (const p of PRIORITIES) {
      expect(CONTACT_INTERVAL_DAYS[p]).toBeGreaterThan(0);
      const retry = nextContactDue("2026-01-01", p, "no-answer");
      expect(retry <= nextContactDue("2026-01-01", p, "reached")).toBe(true);
    }
    expect(CONTACT_RETRY_DAYS).toBeGreaterThan(0);
  });

  it("calls a contact overdue only once its due day has passed", () => {
    expect(isContactOverdue("2026-11-25", "2026-11-26")).toBe(true);
    expect(isContactOverdue("2026-11-26", "2026-11-26")).toBe(false);
    expect(isContactOverdue(null, "2026-11-26")).toBe(false);
  });
});

describe("contact body", () => {
  it("takes kind, outcome, an optional note and an optional due day", () => {
    expect(createContactSchema.parse({ kind: "call", outcome: "no-answer" })).toEqual({
      kind: "call",
      outcome: "no-answer",
      note: null,
    });
    expect(
      createContactSchema.parse({
        kind: "visit",
        outcome: "reached",
        note: "  Spoke with daughter ",
        nextDueOn: "2026-12-01",
      }),
    ).toEqual({
      kind: "visit",
      outcome: "reached",
      note: "Spoke with daughter",
      nextDueOn: "2026-12-01",
    });
  });

  it("refuses unknown kinds, outcomes, fields and dates", () => {
    expect(createContactSchema.safeParse({ kind: "fax", outcome: "reached" }).success).toBe(false);
    expect(createContactSchema.safeParse({ kind: "call", outcome: "busy" }).success).toBe(false);
    expect(
      createContactSchema.safeParse({ kind: "call", outcome: "reached", extra: 1 }).success,
    ).toBe(false);
    expect(
      createContactSchema.safeParse({ kind: "call", outcome: "reached", nextDueOn: "2026-02-30" })
        .success,
    ).toBe(false);
  });
});
