import {
  BMD_SITES,
  type BmdSite,
  type FractureSite,
  type GdsAnswer,
  type MedicationClass,
  type VitaminDUnit,
} from "@/lib/clinical/constants";

/*
 * The visit form as plain data, and its shaping into observations of the assess contract
 * (docs/CLINICAL-RULES.md §1). Only filled sections produce observations; numbers the user typed are
 * kept as text until shaping, so a mistyped value reaches validation (and its message reaches the
 * field) instead of disappearing.
 */

export type ItemAnswer = 0 | 1 | 2 | 3 | null;
/** A yes / no question that may be left unanswered. */
export type YesNo = boolean | null;

export interface FractureRow {
  id: string;
  site: FractureSite | "";
  /** Date of the fracture (required: it never defaults to the visit date). */
  effective: string;
  fragility: YesNo;
}

export interface MedicationRow {
  id: string;
  name: string;
  medicationClass: MedicationClass | "";
  /** Prednisolone-equivalent mg/day (glucocorticoids only). */
  doseMgPerDay: string;
  /** Glucocorticoids only: the course is planned for 3 months or more (null: not asked). */
  plannedLongTerm?: YesNo;
  startedOn: string;
  stoppedOn: string;
}

export interface VisitFormState {
  occurredOn: string;
  depressionInstrument: "phq9" | "phq2";
  phq9: ItemAnswer[];
  phq9Difficulty: ItemAnswer;
  phq2: ItemAnswer[];
  gds15: (GdsAnswer | null)[];
  /** DXA date; empty means the visit date. */
  bmdEffective: string;
  bmd: Record<BmdSite, { tScore: string; zScore: string }>;
  fraxEffective: string;
  fraxMajorPct: string;
  fraxHipPct: string;
  fraxWithBmd: YesNo;
  vitaminDEffective: string;
  vitaminDValue: string;
  vitaminDUnit: VitaminDUnit;
  fractures: FractureRow[];
  fallsCount: string;
  fallsInjurious: YesNo;
  fallsUnsteady: YesNo;
  fallsWorried: YesNo;
  medications: MedicationRow[];
}

/** An empty form for a visit on `occurredOn`. */
export function emptyVisitForm(occurredOn: string): VisitFormState {
  return {
    occurredOn,
    depressionInstrument: "phq9",
    phq9: Array.from({ length: 9 }, () => null),
    phq9Difficulty: null,
    phq2: [null, null],
    gds15: Array.from({ length: 15 }, () => null),
    bmdEffective: "",
    bmd: {
      lumbar_spine: { tScore: "", zScore: "" },
      total_hip: { tScore: "", zScore: "" },
      femoral_neck: { tScore: "", zScore: "" },
      radius_33: { tScore: "", zScore: "" },
    },
    fraxEffective: "",
    fraxMajorPct: "",
    fraxHipPct: "",
    fraxWithBmd: null,
    vitaminDEffective: "",
    vitaminDValue: "",
    vitaminDUnit: "ng/mL",
    fractures: [],
    fallsCount: "",
    fallsInjurious: null,
    fallsUnsteady: null,
    fallsWorried: null,
    medications: [],
  };
}

/**
 * A number typed by a person: "" → undefined (not entered); "−2.7" (typographic minus) and "2,5"
 * (decimal comma) are read as numbers; anything else is returned as typed, so that validation
 * reports it at its field.
 */
export function parseEnteredNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const normalized = trimmed.replace(/^[−–]/, "-").replace(",", ".");
  const value = Number(normalized);
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(normalized) && Number.isFinite(value) ? value : trimmed;
}

/** A field key of the form, e.g. "phq9.items.8", "bmd.femoral_neck.tScore", "medications.m2.class". */
export type FieldKey = string;

/**
 * Where the fields of one shaped observation live in the form: error paths below the observation
 * ("items.3") are prefixed with `prefix`, except those listed in `aliases` (a shared date field).
 */
export interface FieldTarget {
  prefix: string;
  aliases?: Readonly<Record<string, FieldKey>>;
}

export interface ShapedVisit {
  /** The observations to send, in paper order. */
  observations: Record<string, unknown>[];
  /** `targets[i]` tells where the fields of `observations[i]` are. */
  targets: FieldTarget[];
}

function withDefined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

function dateOr(text: string, fallback: string): string {
  return text.trim() === "" ? fallback : text.trim();
}

function optionalDate(text: string): string | undefined {
  return text.trim() === "" ? undefined : text.trim();
}

function yesNo(value: YesNo): boolean | undefined {
  return value === null ? undefined : value;
}

/**
 * Shapes the form into observations (docs/CLINICAL-RULES.md §1). Only filled sections produce one; a
 * partly answered PHQ-9 keeps `null` for the unanswered items (the engine treats it as
 * incomplete, but still reads a recorded item 9). Dates left empty become the visit date, except a
 * fracture's, which must be given.
 */
export function shapeVisit(state: VisitFormState): ShapedVisit {
  const observations: Record<string, unknown>[] = [];
  const targets: FieldTarget[] = [];
  const visitDate = state.occurredOn;
  const push = (observation: Record<string, unknown>, target: FieldTarget): void => {
    observations.push(observation);
    targets.push(target);
  };

  if (state.depressionInstrument === "phq9") {
    if (state.phq9.some((a) => a !== null) || state.phq9Difficulty !== null) {
      push(
        withDefined({
          kind: "phq9",
          effective: visitDate,
          items: [...state.phq9],
          difficulty: state.phq9Difficulty ?? undefined,
        }),
        { prefix: "phq9", aliases: { effective: "occurredOn" } },
      );
    }
  } else if (state.phq2.some((a) => a !== null)) {
    push(
      { kind: "phq2", effective: visitDate, items: [...state.phq2] },
      { prefix: "phq2", aliases: { effective: "occurredOn" } },
    );
  }

  if (state.gds15.some((a) => a !== null)) {
    push(
      { kind: "gds15", effective: visitDate, answers: [...state.gds15] },
      { prefix: "gds15", aliases: { effective: "occurredOn" } },
    );
  }

  for (const site of BMD_SITES) {
    const entry = state.bmd[site];
    const tScore = parseEnteredNumber(entry.tScore);
    const zScore = parseEnteredNumber(entry.zScore);
    if (tScore === undefined && zScore === undefined) continue;
    push(
      withDefined({
        kind: "bmd",
        effective: dateOr(state.bmdEffective, visitDate),
        site,
        tScore,
        zScore,
      }),
      { prefix: `bmd.${site}`, aliases: { effective: "bmd.effective" } },
    );
  }

  const major = parseEnteredNumber(state.fraxMajorPct);
  const hip = parseEnteredNumber(state.fraxHipPct);
  if (major !== undefined || hip !== undefined) {
    push(
      withDefined({
        kind: "frax",
        effective: dateOr(state.fraxEffective, visitDate),
        majorOsteoporoticPct: major,
        hipPct: hip,
        withBmd: yesNo(state.fraxWithBmd),
      }),
      { prefix: "frax" },
    );
  }

  const vitaminD = parseEnteredNumber(state.vitaminDValue);
  if (vitaminD !== undefined) {
    push(
      {
        kind: "vitaminD",
        effective: dateOr(state.vitaminDEffective, visitDate),
        value: vitaminD,
        unit: state.vitaminDUnit,
      },
      { prefix: "vitaminD" },
    );
  }

  for (const row of state.fractures) {
    if (row.site === "" && row.effective.trim() === "" && row.fragility === null) continue;
    push(
      withDefined({
        kind: "fracture",
        effective: optionalDate(row.effective),
        site: row.site === "" ? undefined : row.site,
        fragility: yesNo(row.fragility),
      }),
      { prefix: `fractures.${row.id}` },
    );
  }

  const fallsCount = parseEnteredNumber(state.fallsCount);
  if (
    fallsCount !== undefined ||
    state.fallsInjurious !== null ||
    state.fallsUnsteady !== null ||
    state.fallsWorried !== null
  ) {
    push(
      withDefined({
        kind: "falls",
        effective: visitDate,
        countPast12Months: fallsCount,
        injurious: yesNo(state.fallsInjurious),
        unsteady: yesNo(state.fallsUnsteady),
        worriedAboutFalling: yesNo(state.fallsWorried),
      }),
      { prefix: "falls", aliases: { effective: "occurredOn" } },
    );
  }

  for (const row of state.medications) {
    const name = row.name.trim();
    if (name === "" && row.medicationClass === "") continue;
    const glucocorticoid = row.medicationClass === "glucocorticoid";
    push(
      withDefined({
        kind: "medication",
        effective: visitDate,
        class: row.medicationClass === "" ? undefined : row.medicationClass,
        name: name === "" ? undefined : name,
        prednisoloneMgPerDay: glucocorticoid ? parseEnteredNumber(row.doseMgPerDay) : undefined,
        plannedLongTerm: glucocorticoid ? yesNo(row.plannedLongTerm ?? null) : undefined,
        startedOn: optionalDate(row.startedOn),
        stoppedOn: optionalDate(row.stoppedOn),
      }),
      {
        prefix: `medications.${row.id}`,
        aliases: { effective: "occurredOn", prednisoloneMgPerDay: `medications.${row.id}.dose` },
      },
    );
  }

  return { observations, targets };
}

/** True when the form holds anything that would be saved. */
export function hasEntries(state: VisitFormState): boolean {
  return shapeVisit(state).observations.length > 0;
}

/** Today in the browser's time zone, as YYYY-MM-DD (the visit date default and its maximum). */
export function localToday(now: Date = new Date()): string {
  const y = String(now.getFullYear()).padStart(4, "0");
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

let rowCounter = 0;

/** A form-local row id (stable keys and field keys for added rows). */
export function newRowId(prefix: string): string {
  rowCounter += 1;
  return `${prefix}${rowCounter}`;
}
