import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "@/lib/server/csv";

// The one CSV writer behind the audit-log and quality exports.
describe("csvCell (formula-injection safe)", () => {
  it.each([
    ["plain", "plain"],
    ["<11", "<11"],
    ["=1+1", "'=1+1"],
    ["=HYPERLINK(1)", "'=HYPERLINK(1)"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['a "quoted", text', '"a ""quoted"", text"'],
    ["=a,b", `"'=a,b"`],
    ["=1,2", `"'=1,2"`],
    ["line\nbreak", '"line\nbreak"'],
  ])("%j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("writes null and undefined as empty, numbers as they are", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(-1.5)).toBe("-1.5");
  });

  it("joins rows with CRLF", () => {
    expect(
      toCsv([
        ["a", "b"],
        [1, null],
      ]),
    ).toBe("a,b\r\n1,\r\n");
  });
});
