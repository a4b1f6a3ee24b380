import fs from "node:fs";
import path from "node:path";
import { assess, validateObservations, type AssessInput, type Observation } from "@/lib/clinical";
import { quantile } from "./stats";

export const ASSESS_EXAMPLE = path.join(process.cwd(), "tests", "fixtures", "assess-input.json");

/** The example input of tests/fixtures (a typical patient: 12 observations). */
export function typicalInput(): AssessInput {
  return JSON.parse(fs.readFileSync(ASSESS_EXAMPLE, "utf8")) as AssessInput;
}

function shift(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/** The example's observations repeated back in time every 45 days: 200 observations. */
export function heavyInput(count = 200): AssessInput {
  const base = typicalInput();
  const observations: Observation[] = [];
  for (let k = 0; observations.length < count; k++) {
    for (const o of base.observations) {
      if (observations.length >= count) break;
      const copy: Record<string, unknown> = { ...o };
      for (const key of ["effective", "startedOn", "stoppedOn"]) {
        if (typeof copy[key] === "string") copy[key] = shift(copy[key], k * 45);
      }
      observations.push(copy as unknown as Observation);
    }
  }
  const checked = validateObservations(observations, base.asOf);
  if (checked.status !== "valid") throw new Error("heavy assess input is not valid");
  return { ...base, observations: checked.input };
}

export interface AssessFigures {
  observations: number;
  calls: number;
  medianUs: number;
  p99Us: number;
}

/** Times `calls` calls of `assess` one by one (after a warm-up), in microseconds. */
export function benchAssess(input: AssessInput, calls: number): AssessFigures {
  for (let i = 0; i < Math.min(2000, calls); i++) assess(input);
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    assess(input);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const list = Array.from(times);
  return {
    observations: input.observations.length,
    calls,
    medianUs: quantile(list, 0.5),
    p99Us: quantile(list, 0.99),
  };
}
