import type {
  AssessInput,
  Assessment,
  Flag,
  FlagCode,
  MedicationClass,
  Observation,
  Patient,
} from "@/lib/clinical";

/** Fixed reference date of the unit tests. */
export const AS_OF = "2026-11-26";

const DAY_MS = 86_400_000;

/** ISO date `days` before `asOf` (test helper; the engine itself never builds Date objects). */
export function daysAgo(days: number, asOf = AS_OF): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** Birth date giving exactly `age` whole years on `asOf` (birthday today). */
export function bornAged(age: number, asOf = AS_OF): string {
  return `${String(Number(asOf.slice(0, 4)) - age).padStart(4, "0")}${asOf.slice(4)}`;
}

/** A postmenopausal woman aged exactly `age` on the fixtures' date. */
export function female(age: number): { birthDate: string; sex: "female"; postmenopausal: true } {
  return { birthDate: bornAged(age), sex: "female", postmenopausal: true };
}

/** A man aged exactly `age` on the fixtures' date. */
export function male(age: number): { birthDate: string; sex: "male" } {
  return { birthDate: bornAged(age), sex: "male" };
}

/** A quiet baseline: a 60-year-old man (WHO applicable, no age-based screens or DXA indication). */
export const QUIET_PATIENT: Patient = { birthDate: bornAged(60), sex: "male" };

export function makeInput(
  observations: Observation[],
  patient: Partial<Patient> = {},
  asOf = AS_OF,
): AssessInput {
  return { asOf, patient: { ...QUIET_PATIENT, ...patient }, observations };
}

export function codes(assessment: Assessment): FlagCode[] {
  return assessment.flags.map((flag) => flag.code);
}

export function flagOf(assessment: Assessment, code: FlagCode): Flag | undefined {
  return assessment.flags.find((flag) => flag.code === code);
}

/** Nine PHQ-9 items summing to `total`, with item 9 set to `item9`. */
export function phq9Items(total: number, item9 = 0): number[] {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let left = total - item9;
  for (let index = 0; index < 8 && left > 0; index += 1) {
    const value = Math.min(3, left);
    items[index] = value;
    left -= value;
  }
  if (left !== 0) throw new Error(`cannot build PHQ-9 total ${total} with item 9 = ${item9}`);
  return items;
}

export function phq9(total: number, ago = 0, item9 = 0): Observation {
  return { kind: "phq9", effective: daysAgo(ago), items: phq9Items(total, item9) };
}

export function phq9Total(total: number, ago = 0): Observation {
  return { kind: "phq9", effective: daysAgo(ago), total };
}

export function phq2(total: number, ago = 0): Observation {
  const first = Math.min(3, total);
  return { kind: "phq2", effective: daysAgo(ago), items: [first, total - first] };
}

/** GDS-15 answers scoring `score`: points are given first on the "yes" items, then the reverse items. */
export function gds15Answers(score: number): ("yes" | "no")[] {
  const reverse = new Set([1, 5, 7, 11, 13]);
  const answers: ("yes" | "no")[] = [];
  let left = score;
  for (let item = 1; item <= 15; item += 1) {
    const point = left > 0;
    if (point) left -= 1;
    if (reverse.has(item)) answers.push(point ? "no" : "yes");
    else answers.push(point ? "yes" : "no");
  }
  return answers;
}

export function gds15(score: number, ago = 0): Observation {
  return { kind: "gds15", effective: daysAgo(ago), answers: gds15Answers(score) };
}

export function bmdT(
  tScore: number,
  site: "lumbar_spine" | "total_hip" | "femoral_neck" | "radius_33" = "femoral_neck",
  ago = 0,
): Observation {
  return { kind: "bmd", effective: daysAgo(ago), site, tScore };
}

export function bmdZ(zScore: number, ago = 0): Observation {
  return { kind: "bmd", effective: daysAgo(ago), site: "lumbar_spine", zScore };
}

export function frax(major: number, hip: number, ago = 0): Observation {
  return {
    kind: "frax",
    effective: daysAgo(ago),
    majorOsteoporoticPct: major,
    hipPct: hip,
    withBmd: true,
  };
}

export function vitD(value: number, unit: "ng/mL" | "nmol/L" = "ng/mL", ago = 0): Observation {
  return { kind: "vitaminD", effective: daysAgo(ago), value, unit };
}

export function fracture(
  site: "hip" | "vertebral" | "wrist" | "humerus" | "pelvis" | "rib" | "other" = "wrist",
  ago = 100,
  fragility = true,
): Observation {
  return { kind: "fracture", effective: daysAgo(ago), site, fragility };
}

export function falls(
  count: number,
  extra: { injurious?: boolean; unsteady?: boolean; worriedAboutFalling?: boolean } = {},
  ago = 0,
): Observation {
  return { kind: "falls", effective: daysAgo(ago), countPast12Months: count, ...extra };
}

export function med(
  medicationClass: MedicationClass,
  extra: {
    name?: string;
    prednisoloneMgPerDay?: number;
    startedOn?: string;
    stoppedOn?: string;
    effective?: string;
  } = {},
): Observation {
  return { kind: "medication", effective: daysAgo(10), class: medicationClass, ...extra };
}
