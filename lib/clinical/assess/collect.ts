import type { BmdSite, ObservationKind } from "../constants";
import { FRACTURE_SITES } from "../constants";
import { dayNumber } from "../dates";
import { questionnaireAnsweredScore, questionnaireTotal } from "../observation-value";
import { THRESHOLDS } from "../policy";
import type { Observation } from "../schemas";
import type { DepressionScreenKind } from "../types";
import type { VitaminDBand } from "../vitamin-d";
import { toNgPerMl, vitaminDBandOf } from "../vitamin-d";
import type {
  Dated,
  FallsEntry,
  FractureEntry,
  FraxEntry,
  MedicationEntry,
  Phq9Entry,
  ScoredEntry,
  ScreenEntry,
  SiteEntry,
  VitaminDEntry,
} from "./entries";
import { isUsable } from "./entries";

/*
 * One pass over the observations (CLINICAL-RULES.md §2–§7). Per kind it keeps the best candidate
 * under a total order on the fields that reach the output, so the result does not depend on input
 * order. An observation older than its usable window counts only as the newest of its kind (the
 * data status, "last DXA 11 years ago").
 */

/** The depression screens kept. */
export interface MoodObservations {
  /** The latest PHQ-9 (complete or not): scores and the item 9 check. */
  readonly latestPhq9: Phq9Entry | null;
  /** Some PHQ-9 of the latest PHQ-9's day records an item 9 answer. */
  readonly latestPhq9DayHasItem9: boolean;
  /** The latest PHQ-9 that records an item 9 answer (the highest answer on its day). */
  readonly latestItem9: Phq9Entry | null;
  /** Every complete PHQ-9, in input order (the baselines of "not improving"). */
  readonly completePhq9s: readonly Phq9Entry[];
  readonly latestPhq2: ScoredEntry | null;
  readonly latestGds15: ScoredEntry | null;
  /**
   * The most recent screen that counts (PHQ-9 over GDS-15 over PHQ-2 on one day; §3): complete,
   * or incomplete and already positive by its answered items.
   */
  readonly decidingScreen: ScreenEntry | null;
}

/** The bone results kept (the DXA results per site are kept apart, in `sites`). */
export interface BoneObservations {
  /** The latest usable DXA of any site. */
  readonly latestBmd: Dated | null;
  readonly frax: FraxEntry | null;
  readonly latestFragilityFracture: FractureEntry | null;
  readonly latestHipOrVertebralFracture: FractureEntry | null;
}

/** What the pass keeps, before anything is derived from it. */
export interface Collected {
  /** The newest observation of each kind, usable or not ("last DXA 11 years ago"). */
  readonly newest: ReadonlyMap<ObservationKind, Dated>;
  readonly mood: MoodObservations;
  readonly bone: BoneObservations;
  /** The latest result per DXA site (the lower score when one day has two). */
  readonly sites: ReadonlyMap<BmdSite, SiteEntry>;
  /** The latest usable 25(OH)D (the more abnormal of one day). */
  readonly vitaminD: VitaminDEntry | null;
  /** The latest usable falls screen. */
  readonly falls: FallsEntry | null;
  /** Every usable medication record, in input order. */
  readonly medications: readonly MedicationEntry[];
}

type Draft<T> = { -readonly [K in keyof T]: T[K] };

const SITE_ORDER = new Map<string, number>(FRACTURE_SITES.map((site, index) => [site, index]));
/** §3 tie-break on one day: PHQ-9 over GDS-15 over PHQ-2. */
const SCREEN_RANK: Readonly<Record<DepressionScreenKind, number>> = { phq9: 3, gds15: 2, phq2: 1 };
/** The positive cut-off of each screen (§3). */
const POSITIVE_CUT_OFF: Readonly<Record<DepressionScreenKind, number>> = {
  phq9: THRESHOLDS.phq9.positive,
  gds15: THRESHOLDS.gds15.suggests,
  phq2: THRESHOLDS.phq2.positive,
};
/** How far a vitamin D band is from the target, for a same-day tie (the more abnormal result wins). */
const VITAMIN_D_EXTREMENESS: Readonly<Record<VitaminDBand, number>> = {
  toxic: 6,
  deficient: 5,
  high: 4,
  inadequate: 3,
  "above-target": 2,
  sufficient: 1,
  "bone-target": 0,
};

export function collectObservations(
  observations: readonly Observation[],
  asOfDay: number,
): Collected {
  const newest = new Map<ObservationKind, Dated>();
  let latestPhq9: Phq9Entry | null = null;
  let latestPhq9DayHasItem9 = false;
  let latestItem9: Phq9Entry | null = null;
  const completePhq9s: Phq9Entry[] = [];
  let latestPhq2: ScoredEntry | null = null;
  let latestGds15: ScoredEntry | null = null;
  let decidingScreen: ScreenEntry | null = null;
  const sites = new Map<BmdSite, Draft<SiteEntry>>();
  let latestBmd: Dated | null = null;
  let frax: FraxEntry | null = null;
  let vitaminD: VitaminDEntry | null = null;
  let latestFragilityFracture: FractureEntry | null = null;
  let latestHipOrVertebralFracture: FractureEntry | null = null;
  let falls: Draft<FallsEntry> | null = null;
  const medications: MedicationEntry[] = [];

  const considerScreen = (candidate: ScreenEntry): void => {
    if (
      decidingScreen === null ||
      candidate.day > decidingScreen.day ||
      (candidate.day === decidingScreen.day &&
        (SCREEN_RANK[candidate.kind] > SCREEN_RANK[decidingScreen.kind] ||
          (candidate.kind === decidingScreen.kind &&
            (candidate.total > decidingScreen.total ||
              // Equal scores: the complete questionnaire, so input order never matters.
              (candidate.total === decidingScreen.total &&
                !candidate.atLeast &&
                decidingScreen.atLeast)))))
    ) {
      decidingScreen = candidate;
    }
  };

  // A complete questionnaire is a screen; an incomplete one only when its answered items already
  // reach the positive cut-off (a lower bound: a missing item can only add), with that score.
  const considerQuestionnaire = (
    kind: DepressionScreenKind,
    day: number,
    effective: string,
    total: number | null,
    answered: number,
  ): void => {
    if (total !== null) considerScreen({ kind, day, effective, total, atLeast: false });
    else if (answered >= POSITIVE_CUT_OFF[kind])
      considerScreen({ kind, day, effective, total: answered, atLeast: true });
  };

  for (const obs of observations) {
    const day = dayNumber(obs.effective);
    const previous = newest.get(obs.kind);
    if (previous === undefined || day > previous.day) {
      newest.set(obs.kind, { day, effective: obs.effective });
    }
    if (!isUsable(obs.kind, asOfDay - day)) continue;

    switch (obs.kind) {
      case "phq9": {
        const total = questionnaireTotal(obs);
        const answered = questionnaireAnsweredScore(obs);
        const item9 = obs.items !== undefined ? (obs.items[8] ?? null) : null;
        const entry: Phq9Entry = { day, effective: obs.effective, total, answered, item9 };
        if (latestPhq9 === null || day > latestPhq9.day) {
          latestPhq9 = entry;
          latestPhq9DayHasItem9 = item9 !== null;
        } else if (day === latestPhq9.day) {
          latestPhq9DayHasItem9 ||= item9 !== null;
          if (betterSameDayPhq9(entry, latestPhq9)) {
            latestPhq9 = entry;
          }
        }
        // Safety: on one day, the highest item 9 answer counts.
        if (
          item9 !== null &&
          (latestItem9 === null ||
            day > latestItem9.day ||
            (day === latestItem9.day && item9 > (latestItem9.item9 ?? -1)))
        ) {
          latestItem9 = entry;
        }
        if (total !== null) completePhq9s.push(entry);
        considerQuestionnaire("phq9", day, obs.effective, total, answered);
        break;
      }
      case "phq2": {
        const total = questionnaireTotal(obs);
        latestPhq2 = pickScored(latestPhq2, { day, effective: obs.effective, total });
        considerQuestionnaire("phq2", day, obs.effective, total, questionnaireAnsweredScore(obs));
        break;
      }
      case "gds15": {
        const total = questionnaireTotal(obs);
        latestGds15 = pickScored(latestGds15, { day, effective: obs.effective, total });
        considerQuestionnaire("gds15", day, obs.effective, total, questionnaireAnsweredScore(obs));
        break;
      }
      case "bmd": {
        if (latestBmd === null || day > latestBmd.day) {
          latestBmd = { day, effective: obs.effective };
        }
        const t = obs.tScore ?? null;
        const z = obs.zScore ?? null;
        const current = sites.get(obs.site);
        if (current === undefined || day > current.day) {
          sites.set(obs.site, { day, effective: obs.effective, t, z });
        } else if (day === current.day) {
          // Two results for one site on one day: keep the lower of each score (the safer reading).
          if (t !== null && (current.t === null || t < current.t)) current.t = t;
          if (z !== null && (current.z === null || z < current.z)) current.z = z;
        }
        break;
      }
      case "frax": {
        if (
          frax === null ||
          day > frax.day ||
          (day === frax.day &&
            (obs.majorOsteoporoticPct > frax.obs.majorOsteoporoticPct ||
              (obs.majorOsteoporoticPct === frax.obs.majorOsteoporoticPct &&
                (obs.hipPct > frax.obs.hipPct ||
                  (obs.hipPct === frax.obs.hipPct && obs.withBmd && !frax.obs.withBmd)))))
        ) {
          frax = { day, effective: obs.effective, obs };
        }
        break;
      }
      case "vitaminD": {
        const entry: VitaminDEntry = {
          day,
          effective: obs.effective,
          obs,
          ng: toNgPerMl(obs.value, obs.unit),
          band: vitaminDBandOf(obs.value, obs.unit),
        };
        if (
          vitaminD === null ||
          day > vitaminD.day ||
          (day === vitaminD.day && moreAbnormal(entry, vitaminD))
        ) {
          vitaminD = entry;
        }
        break;
      }
      case "fracture": {
        if (!obs.fragility) break;
        const entry: FractureEntry = { day, effective: obs.effective, obs };
        if (latestFragilityFracture === null || laterFracture(entry, latestFragilityFracture)) {
          latestFragilityFracture = entry;
        }
        if (
          (obs.site === "hip" || obs.site === "vertebral") &&
          (latestHipOrVertebralFracture === null ||
            laterFracture(entry, latestHipOrVertebralFracture))
        ) {
          latestHipOrVertebralFracture = entry;
        }
        break;
      }
      case "falls": {
        const injurious = obs.injurious === true;
        const unsteady = obs.unsteady === true;
        const worried = obs.worriedAboutFalling === true;
        if (falls === null || day > falls.day) {
          falls = {
            day,
            effective: obs.effective,
            count: obs.countPast12Months,
            injurious,
            unsteady,
            worried,
          };
        } else if (day === falls.day) {
          // Two screens on one day: merge them, keeping every positive answer.
          falls.count = Math.max(falls.count, obs.countPast12Months);
          falls.injurious ||= injurious;
          falls.unsteady ||= unsteady;
          falls.worried ||= worried;
        }
        break;
      }
      case "medication": {
        medications.push({
          day,
          effective: obs.effective,
          obs,
          startDay: obs.startedOn !== undefined ? dayNumber(obs.startedOn) : day,
          startedOn: obs.startedOn ?? obs.effective,
          stopDay: obs.stoppedOn !== undefined ? dayNumber(obs.stoppedOn) : null,
          nameKey: obs.name !== undefined ? obs.name.trim().toLowerCase() : null,
        });
        break;
      }
      default: {
        const unreachable: never = obs;
        return unreachable;
      }
    }
  }

  return {
    newest,
    mood: {
      latestPhq9,
      latestPhq9DayHasItem9,
      latestItem9,
      completePhq9s,
      latestPhq2,
      latestGds15,
      decidingScreen,
    },
    bone: { latestBmd, frax, latestFragilityFracture, latestHipOrVertebralFracture },
    sites,
    vitaminD,
    falls,
    medications,
  };
}

/** Same-day PHQ-9 for display: complete over incomplete, then the higher total, then the higher item 9. */
function betterSameDayPhq9(a: Phq9Entry, b: Phq9Entry): boolean {
  if ((a.total !== null) !== (b.total !== null)) return a.total !== null;
  const totalA = a.total ?? -1;
  const totalB = b.total ?? -1;
  if (totalA !== totalB) return totalA > totalB;
  return (a.item9 ?? -1) > (b.item9 ?? -1);
}

function pickScored(current: ScoredEntry | null, candidate: ScoredEntry): ScoredEntry {
  if (current === null || candidate.day > current.day) return candidate;
  if (candidate.day < current.day) return current;
  // Same day: a complete questionnaire over an incomplete one, then the higher score.
  if (candidate.total !== null && (current.total === null || candidate.total > current.total)) {
    return candidate;
  }
  return current;
}

function moreAbnormal(a: VitaminDEntry, b: VitaminDEntry): boolean {
  const rankA = VITAMIN_D_EXTREMENESS[a.band];
  const rankB = VITAMIN_D_EXTREMENESS[b.band];
  if (rankA !== rankB) return rankA > rankB;
  // Same band: further from target (lower on the low side, higher on the high side).
  const lowSide = a.band === "deficient" || a.band === "inadequate" || a.band === "sufficient";
  if (a.ng !== b.ng) return lowSide ? a.ng < b.ng : a.ng > b.ng;
  if (a.obs.unit !== b.obs.unit) return a.obs.unit === "ng/mL";
  return a.obs.value > b.obs.value;
}

function laterFracture(a: FractureEntry, b: FractureEntry): boolean {
  if (a.day !== b.day) return a.day > b.day;
  return (SITE_ORDER.get(a.obs.site) ?? 0) < (SITE_ORDER.get(b.obs.site) ?? 0);
}
