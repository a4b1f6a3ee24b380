import type { ObservationKind } from "../constants";
import { RULESET_POLICY } from "../policy";
import type {
  FractureObservation,
  FraxObservation,
  MedicationObservation,
  VitaminDObservation,
} from "../schemas";
import type { DepressionScreenKind } from "../types";
import type { VitaminDBand } from "../vitamin-d";

/*
 * The observations `assess` keeps, one shape per kind, each with its calendar day. Freshness is
 * decided here once (CLINICAL-RULES.md §2), for the selection, the flags and the data status alike.
 */

const FRESHNESS = RULESET_POLICY.freshness;

export interface Dated {
  /** Days since 1970-01-01 of `effective`. */
  readonly day: number;
  readonly effective: string;
}

export interface Phq9Entry extends Dated {
  /** Null when an item is unanswered (no prorating). */
  readonly total: number | null;
  /** The points of the answered items: the total when complete, else a lower bound of it. */
  readonly answered: number;
  readonly item9: number | null;
}

export interface ScoredEntry extends Dated {
  readonly total: number | null;
}

/**
 * A depression screen of any instrument that counts as a screen: complete, or incomplete with its
 * answered items already at the positive cut-off (§3), its answered points then standing as the
 * score ("at least N").
 */
export interface ScreenEntry extends Dated {
  readonly kind: DepressionScreenKind;
  readonly total: number;
  /** True when `total` is the lower bound of an incomplete questionnaire. */
  readonly atLeast: boolean;
}

export interface SiteEntry extends Dated {
  readonly t: number | null;
  readonly z: number | null;
}

export interface FraxEntry extends Dated {
  readonly obs: FraxObservation;
}

export interface VitaminDEntry extends Dated {
  readonly obs: VitaminDObservation;
  /** The value in ng/mL (the unit of every threshold). */
  readonly ng: number;
  readonly band: VitaminDBand;
}

export interface FractureEntry extends Dated {
  readonly obs: FractureObservation;
}

/** The latest falls screen; screens of one day merged, keeping every positive answer. */
export interface FallsEntry extends Dated {
  readonly count: number;
  readonly injurious: boolean;
  readonly unsteady: boolean;
  readonly worried: boolean;
}

export interface MedicationEntry extends Dated {
  readonly obs: MedicationObservation;
  /** `startedOn`, else the record's own date. */
  readonly startDay: number;
  readonly startedOn: string;
  readonly stopDay: number | null;
  /** Trimmed, lower-case name: matches a stop record to the record it ends. */
  readonly nameKey: string | null;
}

/** Older observations are ignored by the rules and reported as missing. */
export function isUsable(kind: ObservationKind, ageDays: number): boolean {
  const limit = FRESHNESS[kind].usableDays;
  return limit === null || ageDays <= limit;
}

/** Outside the `current` window: still used, but shown as stale and due again. */
export function isStale(kind: ObservationKind, ageDays: number): boolean {
  const limit = FRESHNESS[kind].currentDays;
  return limit !== null && ageDays > limit;
}

/** −1 / 0 / 1 ordering of optional names, missing first. */
export function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The last tie-break between medication records: the first name, then the later record. */
export function firstByNameThenLatest(a: MedicationEntry, b: MedicationEntry): boolean {
  const byName = compareText(a.obs.name, b.obs.name);
  return byName !== 0 ? byName < 0 : a.day > b.day;
}

/**
 * The best of the entries that qualify, or null. `better(a, b)` is true when `a` beats `b`; on a
 * tie the earlier entry stays, so callers make `better` a total order on what reaches the output.
 */
export function bestOf<T, U extends T>(
  entries: readonly T[],
  qualifies: (entry: T) => entry is U,
  better: (a: U, b: U) => boolean,
): U | null;
export function bestOf<T>(
  entries: readonly T[],
  qualifies: (entry: T) => boolean,
  better: (a: T, b: T) => boolean,
): T | null;
export function bestOf<T>(
  entries: readonly T[],
  qualifies: (entry: T) => boolean,
  better: (a: T, b: T) => boolean,
): T | null {
  let best: T | null = null;
  for (const entry of entries) {
    if (qualifies(entry) && (best === null || better(entry, best))) best = entry;
  }
  return best;
}
