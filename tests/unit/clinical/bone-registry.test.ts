import { describe, expect, it } from "vitest";
import { boneCareStatus } from "@/lib/clinical/bone-registry";
import { RULESET_POLICY } from "@/lib/clinical/policy";
import type { Observation } from "@/lib/clinical/schemas";

const patient = { birthDate: "1950-01-01", sex: "female" as const };
const at = (asOf: string, observations: Observation[]) =>
  boneCareStatus({ asOf, patient, observations });
const dxa = (effective: string, tScore: number): Observation => ({
  kind: "bmd",
  effective,
  site: "femoral_neck",
  tScore,
});
const med = (effective: string, extra: Record<string, string>): Observation =>
  ({ kind: "medication", effective, ...extra }) as Observation;

describe("bone care status", () => {
  it("on treatment: the follow-up DXA falls due the policy interval after the latest DXA", () => {
    expect(RULESET_POLICY.dxaRepeatIntervalDays).toBe(730);
    const s = at("2026-11-26", [
      dxa("2023-01-10", -2.2),
      dxa("2024-06-01", -2.7),
      med("2024-07-01", { class: "bisphosphonate", startedOn: "2024-06-20" }),
    ]);
    expect(s).toEqual({
      latestDxaOn: "2024-06-01",
      lowestTScore: -2.7,
      treatments: ["bisphosphonate"],
      treatmentStartedOn: "2024-06-20",
      followUpDxaDue: "2026-06-01",
    });
  });

  it("off treatment, or without a DXA, gives no follow-up date (the rules' DXA flag speaks)", () => {
    expect(at("2026-11-26", [dxa("2024-06-01", -2.7)]).followUpDxaDue).toBeNull();
    const noDxa = at("2026-11-26", [med("2026-01-01", { class: "denosumab" })]);
    expect(noDxa).toMatchObject({
      latestDxaOn: null,
      treatments: ["denosumab"],
      treatmentStartedOn: "2026-01-01",
      followUpDxaDue: null,
    });
  });

  it("a stopped treatment, or a later record of its stop, is not a treatment", () => {
    const stopped = at("2026-11-26", [
      dxa("2024-06-01", -2.7),
      med("2024-07-01", { class: "bisphosphonate" }),
      med("2025-07-01", { class: "bisphosphonate", stoppedOn: "2025-07-01" }),
    ]);
    expect(stopped).toMatchObject({ treatments: [], followUpDxaDue: null });
  });

  it("does not count other medicines", () => {
    const s = at("2024-06-30", [dxa("2024-06-01", -1.5), med("2024-06-02", { class: "ssri" })]);
    expect(s).toMatchObject({ treatments: [], treatmentStartedOn: null });
  });
});
