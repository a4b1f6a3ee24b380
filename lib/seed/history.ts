import type { Patient } from "@/db/schema";
import type { Observation } from "@/lib/clinical";
import { addDays } from "@/lib/server/dates";
import { createRandom } from "./random";

/** One visit of a seeded history: its date and the observations recorded at it. */
export interface SeedVisit {
  occurredOn: string;
  observations: Observation[];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** PHQ-9 items that sum to `total`, item 9 as given. */
function phq9Items(total: number, item9: number, random: () => number): number[] {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let left = clamp(total - item9, 0, 24);
  while (left > 0) {
    const i = Math.floor(random() * 8);
    if (items[i]! < 3) {
      items[i]! += 1;
      left -= 1;
    }
  }
  return items;
}

/** GDS-15 answers scoring `score` (items 1, 5, 7, 11, 13 score on "no"). */
function gdsAnswers(score: number, random: () => number): ("yes" | "no")[] {
  const reverse = new Set([0, 4, 6, 10, 12]);
  const depressive = new Set<number>();
  while (depressive.size < score) depressive.add(Math.floor(random() * 15));
  return Array.from({ length: 15 }, (_, i) => {
    const scores = depressive.has(i);
    return reverse.has(i) ? (scores ? "no" : "yes") : scores ? "yes" : "no";
  });
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * A plausible two-year history for one synthetic older adult: depression screens with some
 * patients improving and some worsening, DXA, FRAX, vitamin D, fractures, falls and medications,
 * with prevalences in the range reported for geriatric clinics (about a quarter with depressive
 * symptoms, a third to a half with low bone mass). Deterministic for a given seed.
 */
export function seedHistory(
  patient: Pick<Patient, "birthDate" | "sex">,
  today: string,
  seed: number,
): SeedVisit[] {
  const random = createRandom(seed);
  const chance = (p: number) => random() < p;
  // A few registered patients have not been seen yet: their page shows "no data", not "normal".
  if (chance(0.05)) return [];
  const female = patient.sex === "female";
  const visitCount = 1 + Math.floor(random() * 4); // 1–4 visits
  const firstOffset = 120 + Math.floor(random() * 600); // first visit 4–24 months ago
  const spacing = Math.floor(firstOffset / visitCount);
  const dates = Array.from({ length: visitCount }, (_, i) =>
    addDays(today, -firstOffset + i * spacing + Math.floor(random() * 20)),
  ).map((d) => (d > today ? today : d));

  // Depression: baseline PHQ-9 and a trajectory.
  const r = random();
  const baseline =
    r < 0.5
      ? Math.floor(random() * 5)
      : r < 0.72
        ? 5 + Math.floor(random() * 5)
        : r < 0.88
          ? 10 + Math.floor(random() * 5)
          : r < 0.96
            ? 15 + Math.floor(random() * 5)
            : 20 + Math.floor(random() * 6);
  const trajectory =
    baseline >= 10
      ? chance(0.45)
        ? "improving"
        : chance(0.3)
          ? "worsening"
          : "flat"
      : chance(0.1)
        ? "worsening"
        : "flat";
  const usesGds = chance(0.25);
  const suicidal = baseline >= 10 && chance(0.12);

  // Bone.
  const boneShift = female ? -0.6 : 0.1;
  const lowestT = round1(clamp(-1.0 + boneShift + (random() - 0.5) * 3.2, -4.2, 2.5));
  const hasDxa = chance(female ? 0.7 : 0.45);
  const hasFracture = chance(lowestT <= -2.5 ? 0.3 : 0.08);
  const fractureSite = (["wrist", "vertebral", "hip", "humerus", "rib"] as const)[
    Math.floor(random() * 5)
  ]!;
  const onBisphosphonate = lowestT <= -2.5 && chance(0.45);
  const onDenosumab = !onBisphosphonate && lowestT <= -2.8 && chance(0.2);
  const denosumabStops = onDenosumab && chance(0.3);
  const onSsri = baseline >= 10 && chance(0.5);
  const onBenzo = chance(0.07);
  const onGlucocorticoid = chance(0.05);
  const vitaminDBase = clamp(8 + random() * 38, 5, 90);
  const fallsRisk = chance(0.35);

  const visitsOut: SeedVisit[] = [];
  dates.forEach((date, index) => {
    const obs: Observation[] = [];
    const progress = visitCount === 1 ? 0 : index / (visitCount - 1);
    const delta =
      trajectory === "improving"
        ? -progress * baseline * 0.7
        : trajectory === "worsening"
          ? progress * 6
          : (random() - 0.5) * 3;
    const score = clamp(Math.round(baseline + delta), 0, 27);
    const item9 = suicidal && index === visitCount - 1 && score >= 10 ? 1 : 0;
    if (usesGds && index % 2 === 1) {
      obs.push({
        kind: "gds15",
        effective: date,
        answers: gdsAnswers(clamp(Math.round(score / 1.8), 0, 15), random),
      });
    } else if (chance(0.12) && score < 3) {
      obs.push({ kind: "phq2", effective: date, items: [Math.min(score, 3), 0] });
    } else {
      obs.push({ kind: "phq9", effective: date, items: phq9Items(score, item9, random) });
    }
    if (index === 0) {
      if (hasDxa) {
        obs.push({
          kind: "bmd",
          effective: date,
          site: "femoral_neck",
          tScore: lowestT,
          zScore: round1(lowestT + 1.2),
        });
        obs.push({
          kind: "bmd",
          effective: date,
          site: "lumbar_spine",
          tScore: round1(clamp(lowestT + random() * 0.9, -5, 3)),
        });
        if (chance(0.7)) {
          const major = round1(clamp(6 + -lowestT * 6 + random() * 8, 1, 60));
          const hip = round1(clamp(-lowestT * 1.4 + random() * 2 - 0.5, 0.1, 30));
          obs.push({
            kind: "frax",
            effective: date,
            majorOsteoporoticPct: major,
            hipPct: hip,
            withBmd: true,
          });
        }
      }
      if (hasFracture) {
        obs.push({
          kind: "fracture",
          effective: addDays(date, -Math.floor(random() * 300)),
          site: fractureSite,
          fragility: true,
        });
      }
      if (onSsri)
        obs.push({
          kind: "medication",
          effective: date,
          class: "ssri",
          name: chance(0.5) ? "sertraline" : "citalopram",
          startedOn: date,
        });
      if (onBenzo)
        obs.push({
          kind: "medication",
          effective: date,
          class: "benzodiazepine",
          name: "lorazepam",
        });
      if (onGlucocorticoid) {
        obs.push({
          kind: "medication",
          effective: date,
          class: "glucocorticoid",
          name: "prednisolone",
          prednisoloneMgPerDay: 5,
          startedOn: addDays(date, -120),
        });
      }
      if (onBisphosphonate)
        obs.push({
          kind: "medication",
          effective: date,
          class: "bisphosphonate",
          name: "alendronate",
          startedOn: date,
        });
      if (onDenosumab && !(denosumabStops && visitCount > 1)) {
        obs.push({
          kind: "medication",
          effective: date,
          class: "denosumab",
          name: "denosumab",
          startedOn: date,
        });
      }
    }
    if (onDenosumab && denosumabStops && visitCount > 1 && index === visitCount - 1) {
      // Recorded at the last visit: started at the first, stopped three weeks ago.
      const stopped = addDays(date, -21) > dates[0]! ? addDays(date, -21) : date;
      obs.push({
        kind: "medication",
        effective: date,
        class: "denosumab",
        name: "denosumab",
        startedOn: dates[0]!,
        stoppedOn: stopped,
      });
    }
    if (index === 0 || (index === visitCount - 1 && chance(0.5))) {
      const value = round1(
        clamp(vitaminDBase + (index > 0 ? 8 : 0) + (random() - 0.5) * 6, 4, 120),
      );
      obs.push(
        chance(0.3)
          ? { kind: "vitaminD", effective: date, value: round1(value * 2.496), unit: "nmol/L" }
          : { kind: "vitaminD", effective: date, value, unit: "ng/mL" },
      );
    }
    if (index === visitCount - 1 || chance(0.3)) {
      const falls = fallsRisk ? 1 + Math.floor(random() * 3) : 0;
      obs.push({
        kind: "falls",
        effective: date,
        countPast12Months: falls,
        injurious: falls > 0 && chance(0.25),
        unsteady: fallsRisk && chance(0.6),
        worriedAboutFalling: fallsRisk && chance(0.5),
      });
    }
    visitsOut.push({ occurredOn: date, observations: obs });
  });
  return visitsOut.sort((a, b) =>
    a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0,
  );
}
