import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  EVIDENCE,
  EVIDENCE_IDS,
  FLAG_CODES,
  OBSERVATION_KINDS,
  RULES,
  RULESET_POLICY,
  RULESET_VERSION,
  SEVERITIES,
  SUGGESTIONS,
  SUGGESTION_IDS,
  flagKinds,
  getEvidence,
  observationValueNum,
  priorityFromFlags,
  severityToPriority,
} from "@/lib/clinical";
import type { Observation } from "@/lib/clinical";

const REQUIRED_SOURCES = [
  "li-2026-bone-brain-axis",
  "kroenke-2001-phq9",
  "kroenke-2003-phq2",
  "sheikh-yesavage-1986-gds",
  "uspstf-2023-depression",
  "who-1994-bmd",
  "iscd-2023",
  "bhof-2022",
  "uspstf-2025-osteoporosis",
  "iof-2020-fls-kpi",
  "iom-2011-vitamin-d",
  "endocrine-2024-vitamin-d",
  "acr-2022-giop",
  "cdc-steadi",
  "khanassov-2018-ssri",
  "wu-2012-ssri",
  "qiu-2018-depression-fracture",
  "ucsf-lab-vitamin-d",
  "holick-2007-vitamin-d",
  "ags-beers-2023",
  "osteoporosis-drug-labels",
  "aims-treat-to-target",
];

describe("evidence catalogue", () => {
  it("holds every source the rules require, with a full citation", () => {
    for (const id of REQUIRED_SOURCES) expect(EVIDENCE_IDS, id).toContain(id);
    for (const id of EVIDENCE_IDS) {
      const source = getEvidence(id);
      expect(source?.id).toBe(id);
      expect(source?.authors).toBeTruthy();
      expect(source?.title).toBeTruthy();
      expect(source?.publisher).toBeTruthy();
      expect(source?.url).toMatch(/^https?:\/\//);
      expect(source?.usedFor).toBeTruthy();
      if (source?.doi !== undefined) expect(source.url).toBe(`https://doi.org/${source.doi}`);
    }
    expect(EVIDENCE["li-2026-bone-brain-axis"].doi).toBe("10.3390/biom16020213");
    expect(getEvidence("nope")).toBeUndefined();
    expect(getEvidence("toString")).toBeUndefined();
  });

  it("every cited source exists", () => {
    const cited = [
      ...RULES.flatMap((rule) => rule.sources),
      ...SUGGESTION_IDS.flatMap((id) => SUGGESTIONS[id].sources),
    ];
    for (const id of cited) expect(getEvidence(id), id).toBeDefined();
  });
});

describe("rules", () => {
  it("describe every flag code once, with a unique anchor", () => {
    expect(RULES.map((rule) => rule.code)).toEqual([...FLAG_CODES]);
    expect(new Set(RULES.map((rule) => rule.anchor)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.title && rule.when && rule.severity).toBeTruthy();
      expect(rule.thresholds.length).toBeGreaterThan(0);
      expect(rule.sources.length).toBeGreaterThan(0);
      for (const severity of rule.severities) expect(SEVERITIES).toContain(severity);
    }
  });

  it("flagKinds names observation kinds", () => {
    for (const code of FLAG_CODES) {
      const kinds = flagKinds(code);
      expect(kinds.length).toBeGreaterThan(0);
      for (const kind of kinds) expect(OBSERVATION_KINDS).toContain(kind);
    }
    expect(flagKinds("safety.suicide-risk")).toEqual(["phq9"]);
    expect(flagKinds("meds.fall-risk-drugs").sort()).toEqual(["falls", "fracture", "medication"]);
  });

  it("maps severity to priority", () => {
    expect(SEVERITIES.map(severityToPriority)).toEqual(["urgent", "high", "medium", "low", "none"]);
    expect(priorityFromFlags([])).toBe("none");
    expect(
      priorityFromFlags([{ severity: "low" }, { severity: "high" }, { severity: "info" }]),
    ).toBe("high");
  });
});

describe("ruleset policy", () => {
  it("is versioned and deeply frozen", () => {
    expect(RULESET_VERSION).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    expect(Object.isFrozen(RULESET_POLICY)).toBe(true);
    expect(Object.isFrozen(RULESET_POLICY.freshness.phq9)).toBe(true);
    expect(Object.isFrozen(RULESET_POLICY.dueDays)).toBe(true);
  });

  it("holds the policy values of the spec", () => {
    expect(RULESET_POLICY.dueDays).toEqual({
      critical: 0,
      high: 7,
      moderate: 30,
      low: 90,
      info: null,
    });
    expect(RULESET_POLICY.dxaRepeatIntervalDays).toBe(730);
    expect(RULESET_POLICY.notImprovingMinIntervalDays).toBe(70);
    expect(RULESET_POLICY.prorateIncompleteQuestionnaires).toBe(false);
    expect(RULESET_POLICY.whoApplicability).toEqual({
      postmenopausalUnknownFromAge: 50,
      otherOrUnknownSexFromAge: 50,
    });
    expect(RULESET_POLICY.dxaIndicationOtherOrUnknownSexFromAge).toBe(65);
  });
});

describe("observationValueNum", () => {
  const e = "2026-11-01";
  it.each<[Observation, number | null]>([
    [{ kind: "phq9", effective: e, items: [1, 1, 1, 1, 1, 1, 1, 1, 2] }, 10],
    [{ kind: "phq9", effective: e, items: [1, 1, 1, 1, 1, 1, 1, 1, null] }, null],
    [{ kind: "phq9", effective: e, total: 7 }, 7],
    [{ kind: "phq2", effective: e, items: [2, 3] }, 5],
    [{ kind: "gds15", effective: e, total: 6 }, 6],
    [{ kind: "bmd", effective: e, site: "total_hip", tScore: -2.1, zScore: -1 }, -2.1],
    [{ kind: "bmd", effective: e, site: "total_hip", zScore: -1 }, -1],
    [{ kind: "frax", effective: e, majorOsteoporoticPct: 21, hipPct: 3, withBmd: true }, 21],
    [{ kind: "vitaminD", effective: e, value: 49.92, unit: "nmol/L" }, 20],
    [{ kind: "falls", effective: e, countPast12Months: 2 }, 2],
    [{ kind: "fracture", effective: e, site: "hip", fragility: true }, null],
    [{ kind: "medication", effective: e, class: "ssri" }, null],
  ])("%j → %s", (obs, value) => {
    const result = observationValueNum(obs);
    if (value === null) expect(result).toBeNull();
    else expect(result).toBeCloseTo(value, 10);
  });
});

describe("purity of lib/clinical", () => {
  const dir = path.resolve(import.meta.dirname, "../../../lib/clinical");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".ts"),
  );

  it.each(files)("%s imports only zod and siblings, reads no clock, draws no random", (file) => {
    const source = readFileSync(path.join(dir, file), "utf8");
    const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1] ?? "");
    const inside = (specifier: string): boolean =>
      path.resolve(dir, path.dirname(file), specifier).startsWith(`${dir}${path.sep}`);
    for (const specifier of imports)
      expect(specifier === "zod" || (specifier.startsWith(".") && inside(specifier))).toBe(true);
    expect(source).not.toMatch(/Date\.now|new Date\(\s*\)|Math\.random|performance\.now/);
  });
});
