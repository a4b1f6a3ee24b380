import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONTACT_INTERVAL_DAYS, CONTACT_RETRY_DAYS } from "@/lib/api/contact-values";
import { MAX_SNOOZE_DAYS } from "@/lib/api/worklist";
import { whoCategory } from "@/lib/clinical/bone";
import {
  BONE_FINDING_CODES,
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
  CENTRAL_BMD_SITES,
  FALL_RISK_DRUG_CLASSES,
  FLAG_CODES,
  MEDICATION_CLASSES,
  OBSERVATION_KINDS,
  OSTEOPOROSIS_TREATMENT_CLASSES,
  SEVERITIES,
  type FlagCode,
} from "@/lib/clinical/constants";
import { EVIDENCE_IDS } from "@/lib/clinical/evidence";
import { GDS15_BANDS, PHQ9_BANDS, gds15Band, phq2Band, phq9Band } from "@/lib/clinical/instruments";
import { RULESET_POLICY, RULESET_VERSION, THRESHOLDS } from "@/lib/clinical/policy";
import { RULES, severityToPriority } from "@/lib/clinical/rules";
import {
  SUGGESTIONS,
  SUGGESTION_IDS,
  dueSuggestionFor,
  type SuggestionId,
} from "@/lib/clinical/suggestions";
import { VITAMIN_D_BANDS, vitaminDBand } from "@/lib/clinical/vitamin-d";
import { QUALITY_WINDOWS, SMALL_CELL_THRESHOLD } from "@/lib/server/quality";

/*
 * docs/CLINICAL-RULES.md is the clinicians' reference of the ruleset. Its tables are parsed here and
 * compared with the values the code exports, so that a threshold changed on one side only fails.
 * Tables are found by their first header cell, rows by the (backticked) key in their first cell.
 */

const DOC = readFileSync(
  path.resolve(import.meta.dirname, "../../../docs/CLINICAL-RULES.md"),
  "utf8",
);

interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function parseTables(markdown: string): Table[] {
  const tables: Table[] = [];
  let block: string[][] = [];
  const flush = (): void => {
    // A header, its separator line, then the rows.
    if (block.length >= 2) tables.push({ header: block[0]!, rows: block.slice(2) });
    block = [];
  };
  for (const line of markdown.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("|") && trimmed.endsWith("|")) {
      block.push(
        trimmed
          .slice(1, -1)
          .split("|")
          .map((cell) => cell.trim()),
      );
    } else {
      flush();
    }
  }
  flush();
  return tables;
}

const TABLES = parseTables(DOC);

/** The text without backticks. */
function plain(cell: string): string {
  return cell.replace(/`/g, "");
}

/** Every backticked token of a cell, in order. */
function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/** Tables whose header starts with these cells (case-insensitive). */
function tablesStartingWith(...first: string[]): Table[] {
  const found = TABLES.filter((table) =>
    first.every((cell, index) => table.header[index]?.toLowerCase() === cell.toLowerCase()),
  );
  if (found.length === 0) throw new Error(`no table with header ${first.join(" | ")}`);
  return found;
}

/** Rows of every table starting with `first`, by key, with cells by header name. */
function rowsByKey(...first: string[]): Map<string, Record<string, string>> {
  const rows = new Map<string, Record<string, string>>();
  for (const table of tablesStartingWith(...first)) {
    for (const row of table.rows) {
      const key = plain(row[0] ?? "");
      if (rows.has(key)) throw new Error(`${key} appears twice in the ${first[0]} tables`);
      rows.set(key, Object.fromEntries(table.header.map((name, i) => [name, row[i] ?? ""])));
    }
  }
  return rows;
}

/** A value as written in the document: a number (Unicode minus allowed), a list, a boolean or none. */
function valueOf(cell: string): unknown {
  const text = plain(cell).replace(/−/g, "-").trim();
  if (text === "none" || text === "no limit") return null;
  if (text === "true" || text === "false") return text === "true";
  if (text.includes(",")) return text.split(",").map((part) => Number(part.trim()));
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a value: ${cell}`);
  return value;
}

/** Every leaf of a nested object as a dotted path (arrays are leaves). */
function leaves(value: object, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, child] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof child === "object" && child !== null && !Array.isArray(child)) {
      for (const [leaf, leafValue] of leaves(child as object, name)) out.set(leaf, leafValue);
    } else {
      out.set(name, child);
    }
  }
  return out;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Checks a table of key → value rows against every leaf of `values`, both ways. */
function expectValues(rows: Map<string, Record<string, string>>, values: Map<string, unknown>) {
  expect(sorted(rows.keys())).toEqual(sorted(values.keys()));
  for (const [key, cells] of rows) {
    expect(valueOf(cells.value ?? ""), key).toEqual(values.get(key));
  }
}

type Comparison = { readonly op: "<" | "≤" | ">" | "≥"; readonly x: number };

/** "> −2.5 and < −1.0" → the comparisons a value must meet. */
function comparisons(cell: string): Comparison[] {
  return cell
    .replace(/−/g, "-")
    .split(" and ")
    .map((part) => {
      const match = /^(<|≤|>|≥)\s*(-?[\d.]+)$/.exec(part.trim());
      if (match === null) throw new Error(`not a condition: ${cell}`);
      return { op: match[1] as Comparison["op"], x: Number(match[2]) };
    });
}

function meets(value: number, conditions: readonly Comparison[]): boolean {
  return conditions.every(({ op, x }) =>
    op === "<" ? value < x : op === "≤" ? value <= x : op === ">" ? value > x : value >= x,
  );
}

/** At each boundary and just beside it, `classify` gives `band` exactly where the row says. */
function expectBoundaries(
  band: string,
  conditions: readonly Comparison[],
  classify: (value: number) => string,
): void {
  for (const { x } of conditions) {
    for (const value of [x - 1e-6, x, x + 1e-6]) {
      expect(classify(value) === band, `${band} at ${value}`).toBe(meets(value, conditions));
    }
  }
}

/** "5–9" → every whole number from 5 to 9. */
function range(cell: string): number[] {
  const match = /^(\d+)–(\d+)$/.exec(cell.trim());
  if (match === null) throw new Error(`not a range: ${cell}`);
  const from = Number(match[1]);
  const to = Number(match[2]);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Band tables of a questionnaire: in order, covering 0–max without gaps, each total in its band. */
function expectScoreBands(
  header: string,
  bands: readonly string[],
  max: number,
  band: (total: number) => string,
): void {
  const [table] = tablesStartingWith(header);
  const rows = table!.rows.map((row) => ({ band: plain(row[0]!), totals: range(row[1]!) }));
  expect(rows.map((row) => row.band)).toEqual(bands);
  expect(rows.flatMap((row) => row.totals)).toEqual(range(`0–${max}`));
  for (const row of rows) {
    for (const total of row.totals) expect(band(total), `${header} ${total}`).toBe(row.band);
  }
}

const SEVERITY_WORD = new RegExp(`\\b(${SEVERITIES.join("|")})\\b`, "g");

describe("docs/CLINICAL-RULES.md matches the ruleset", () => {
  it("names the ruleset version", () => {
    expect(ticked(rowsByKey("ruleset").get("version")?.value ?? "")).toEqual([RULESET_VERSION]);
  });

  it("lists every observation kind with its freshness windows", () => {
    expect(tablesStartingWith("kind", "what it holds")[0]!.rows.map((r) => plain(r[0]!))).toEqual([
      ...OBSERVATION_KINDS,
    ]);
    const rows = rowsByKey("kind", "current (days)");
    expect([...rows.keys()]).toEqual([...OBSERVATION_KINDS]);
    for (const kind of OBSERVATION_KINDS) {
      const cells = rows.get(kind)!;
      const window = RULESET_POLICY.freshness[kind];
      expect(valueOf(cells["current (days)"]!), `${kind} current`).toBe(window.currentDays);
      expect(valueOf(cells["usable (days)"]!), `${kind} usable`).toBe(window.usableDays);
    }
  });

  it("gives every published threshold, with its value and a catalogued source", () => {
    const rows = rowsByKey("threshold");
    expectValues(rows, leaves(THRESHOLDS));
    for (const [key, cells] of rows) {
      const sources = ticked(cells.source ?? "");
      expect(sources.length, `${key} has a source`).toBeGreaterThan(0);
      for (const id of sources) expect(EVIDENCE_IDS, `${key}: ${id}`).toContain(id);
    }
  });

  it("gives every policy value", () => {
    const policy = leaves(RULESET_POLICY);
    for (const key of [...policy.keys()]) if (key.startsWith("freshness.")) policy.delete(key);
    expectValues(rowsByKey("policy value"), policy);
  });

  it("gives the PHQ-9, PHQ-2 and GDS-15 bands", () => {
    expectScoreBands("PHQ-9 band", PHQ9_BANDS, THRESHOLDS.phq9.max, phq9Band);
    expectScoreBands("PHQ-2 band", ["negative", "positive"], THRESHOLDS.phq2.max, phq2Band);
    expectScoreBands("GDS-15 band", GDS15_BANDS, THRESHOLDS.gds15.max, gds15Band);
  });

  it("gives the WHO categories at their exact T-score boundaries", () => {
    const rows = rowsByKey("WHO category");
    expect(sorted(rows.keys())).toEqual(
      sorted(["normal", "low-bone-mass", "osteoporosis", "severe-osteoporosis"]),
    );
    for (const [category, cells] of rows) {
      const fracture = cells["fragility fracture"];
      const withFracture = fracture === "any" ? [false, true] : [fracture === "yes"];
      for (const fragility of withFracture) {
        expectBoundaries(category, comparisons(cells["lowest T-score"]!), (t) =>
          whoCategory(t, fragility),
        );
      }
    }
  });

  it("gives the vitamin D bands at their exact boundaries, in both units", () => {
    const rows = rowsByKey("vitamin D band");
    expect([...rows.keys()]).toEqual([...VITAMIN_D_BANDS]);
    for (const [band, cells] of rows) {
      const conditions = comparisons(cells["ng/mL"]!);
      expectBoundaries(band, conditions, vitaminDBand);
      const nmol = [...(cells["nmol/L"] ?? "").matchAll(/[\d.]+/g)].map((m) => Number(m[0]));
      expect(nmol.length, band).toBe(conditions.length);
      nmol.forEach((value, i) =>
        expect(value, `${band} nmol/L`).toBeCloseTo(
          conditions[i]!.x * THRESHOLDS.vitaminD.nmolPerNg,
          9,
        ),
      );
      for (const code of ticked(cells.flag ?? "")) expect(FLAG_CODES).toContain(code);
    }
  });

  it("sorts the medication classes as the rules do", () => {
    const rows = rowsByKey("medication class");
    expect([...rows.keys()]).toEqual([...MEDICATION_CLASSES]);
    const marked = (column: string): string[] =>
      [...rows].filter(([, cells]) => cells[column] === "yes").map(([key]) => key);
    expect(sorted(marked("fall-risk drug"))).toEqual(sorted(FALL_RISK_DRUG_CLASSES));
    expect(sorted(marked("osteoporosis treatment"))).toEqual(
      sorted(OSTEOPOROSIS_TREATMENT_CLASSES),
    );
    expect(sorted(marked("bone-risk antidepressant"))).toEqual(
      sorted(BONE_RISK_ANTIDEPRESSANT_CLASSES),
    );
  });

  it("defines its terms as the code does", () => {
    const rows = rowsByKey("term");
    const members = (term: string): string[] => sorted(ticked(rows.get(term)?.members ?? ""));
    expect(members("bone flag")).toEqual(sorted(BONE_FINDING_CODES));
    expect(members("central site")).toEqual(sorted(CENTRAL_BMD_SITES));
    expect(members("osteoporosis treatment")).toEqual(sorted(OSTEOPOROSIS_TREATMENT_CLASSES));
    expect(members("fall-risk drug")).toEqual(sorted(FALL_RISK_DRUG_CLASSES));
    expect(members("bone-risk antidepressant")).toEqual(sorted(BONE_RISK_ANTIDEPRESSANT_CLASSES));
  });

  it("lists every flag in order, with its severities and sources", () => {
    const rows = rowsByKey("flag");
    expect([...rows.keys()]).toEqual([...FLAG_CODES]);
    for (const rule of RULES) {
      const cells = rows.get(rule.code)!;
      const severities = new Set([...cells.severity!.matchAll(SEVERITY_WORD)].map((m) => m[1]!));
      expect(sorted(severities), `${rule.code} severity`).toEqual(sorted(rule.severities));
      expect(sorted(ticked(cells.sources!)), `${rule.code} sources`).toEqual(sorted(rule.sources));
    }
  });

  it("maps the most severe flag to the priority", () => {
    const rows = rowsByKey("most severe flag");
    expect(sorted(rows.keys())).toEqual(sorted(SEVERITIES));
    for (const severity of SEVERITIES) {
      expect(ticked(rows.get(severity)!.priority!)).toEqual([severityToPriority(severity)]);
    }
  });

  it("lists every suggestion in order, with its category, flags and sources", () => {
    const rows = rowsByKey("suggestion");
    expect([...rows.keys()]).toEqual([...SUGGESTION_IDS]);
    for (const id of SUGGESTION_IDS) {
      const cells = rows.get(id)!;
      const definition = SUGGESTIONS[id];
      expect(cells.category, `${id} category`).toBe(definition.category);
      expect(sorted(ticked(cells.sources!)), `${id} sources`).toEqual(sorted(definition.sources));
      for (const code of ticked(cells["given for"]!)) {
        expect(FLAG_CODES, `${id} given for`).toContain(code as FlagCode);
      }
    }
  });

  it("names the suggestion that renews each stale kind", () => {
    const rows = rowsByKey("stale kind");
    expect([...rows.keys()]).toEqual([...OBSERVATION_KINDS]);
    for (const kind of OBSERVATION_KINDS) {
      const [named] = ticked(rows.get(kind)!.suggestion!) as (SuggestionId | undefined)[];
      expect(named ?? null, kind).toBe(dueSuggestionFor(kind));
    }
  });

  it("lists the evidence catalogue", () => {
    expect([...rowsByKey("source").keys()]).toEqual([...EVIDENCE_IDS]);
  });

  it("gives the worklist and quality values", () => {
    const product = rowsByKey("product value");
    expectValues(
      product,
      new Map<string, unknown>([
        ["MAX_SNOOZE_DAYS", MAX_SNOOZE_DAYS],
        ["SMALL_CELL_THRESHOLD", SMALL_CELL_THRESHOLD],
        ...leaves(CONTACT_INTERVAL_DAYS, "CONTACT_INTERVAL_DAYS"),
        ["CONTACT_RETRY_DAYS", CONTACT_RETRY_DAYS],
      ]),
    );
    expectValues(rowsByKey("quality window"), leaves(QUALITY_WINDOWS));
  });
});

describe("the quality windows agree with the ruleset", () => {
  it("counts with the ages and intervals of the rules", () => {
    expect(QUALITY_WINDOWS.screeningAge).toBe(THRESHOLDS.olderAdultFromAge);
    expect(QUALITY_WINDOWS.screeningAge).toBe(THRESHOLDS.dxaIndication.womenFromAge);
    expect(QUALITY_WINDOWS.dxaAgeMen).toBe(THRESHOLDS.dxaIndication.menFromAge);
    expect(QUALITY_WINDOWS.lookbackDays).toBe(RULESET_POLICY.freshness.phq9.usableDays);
    expect(QUALITY_WINDOWS.dxaDays).toBe(RULESET_POLICY.dxaRepeatIntervalDays);
    expect(QUALITY_WINDOWS.fractureDxaDays).toBe(THRESHOLDS.fls.dxaWeeks * 7);
    expect(QUALITY_WINDOWS.fractureTreatmentDays).toBe(THRESHOLDS.fls.treatmentWeeks * 7);
  });
});
