import { describe, expect, it } from "vitest";
import { assess } from "@/lib/clinical";
import {
  assessInputFromPrefetch,
  cardsForAssessment,
  cdsDiscovery,
  clampSummary,
  indicatorFor,
  missingPrefetch,
  CDS_SUMMARY_MAX,
} from "@/lib/fhir";
import { usCorePrefetch } from "../../fixtures/us-core";

describe("CDS Hooks mapping", () => {
  it("discovery has one patient-view service with four prefetch templates", () => {
    const { services } = cdsDiscovery();
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ hook: "patient-view", id: "bone-brain-axis" });
    expect(Object.keys(services[0]!.prefetch as object)).toEqual([
      "patient",
      "observations",
      "medications",
      "conditions",
    ]);
  });

  it.each([
    ["critical", "critical"],
    ["high", "warning"],
    ["moderate", "warning"],
    ["low", "info"],
    ["info", "info"],
  ] as const)("severity %s → indicator %s", (severity, indicator) => {
    expect(indicatorFor(severity)).toBe(indicator);
  });

  it("keeps summaries under 140 characters", () => {
    const long = "word ".repeat(60);
    expect(clampSummary(long).length).toBeLessThanOrEqual(CDS_SUMMARY_MAX);
    expect(clampSummary(long).endsWith("…")).toBe(true);
    expect(clampSummary("Short")).toBe("Short");
  });

  it("reports missing prefetch keys; null is no data, except for the Patient", () => {
    expect(missingPrefetch(undefined)).toEqual([
      "patient",
      "observations",
      "medications",
      "conditions",
    ]);
    expect(
      missingPrefetch({ patient: {}, observations: null, medications: {}, conditions: {} }),
    ).toEqual([]);
    expect(missingPrefetch({ patient: null, observations: {}, medications: null })).toEqual([
      "patient",
      "conditions",
    ]);
  });

  it("leaves out data dated after asOf and says so", () => {
    const read = assessInputFromPrefetch(usCorePrefetch(), "2022-01-01");
    if (read.status !== "ok") throw new Error(read.reason);
    expect(read.input.observations.map((o) => o.kind)).toEqual(["bmd", "bmd"]);
    expect(read.notUnderstood).toEqual([expect.stringContaining("2022-11-29 is in the future")]);
  });

  it("builds one card per flag with source, detail, link and uuid", () => {
    const read = assessInputFromPrefetch(usCorePrefetch(), "2022-12-01");
    if (read.status !== "ok") throw new Error(read.reason);
    let n = 0;
    const issued = cardsForAssessment(assess(read.input), {
      baseUrl: "https://bbc.example",
      patientLink: { label: "Open", url: "https://bbc.example/patients" },
      notUnderstood: [],
      newUuid: () => `uuid-${++n}`,
      ehrPatientReference: "Patient/example",
    });
    const card = issued.find((c) => c.flagCode === "depression.positive")!.card;
    expect(card).toMatchObject({
      indicator: "warning",
      source: {
        label: "Bone–Brain Care",
        url: "https://bbc.example/evidence#rule-depression-positive",
        topic: { code: "depression.positive" },
      },
      links: [{ label: "Open", url: "https://bbc.example/patients", type: "absolute" }],
    });
    expect(card.detail).toMatch(/PHQ-9/);
    expect(card.detail).toMatch(/\*\*Evidence:\*\* \[Kroenke 2001\]/);
    expect(new Set(issued.map((c) => c.card.uuid)).size).toBe(issued.length);
  });
});
