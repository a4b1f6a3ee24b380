import { isWhoApplicable } from "../bone";
import type { BmdSite, MedicationClass, Sex } from "../constants";
import { BMD_SITES, CENTRAL_BMD_SITES, OSTEOPOROSIS_TREATMENT_CLASSES } from "../constants";
import { ageOn, dayNumber } from "../dates";
import { RULESET_POLICY, THRESHOLDS } from "../policy";
import type { AssessInput } from "../schemas";
import type { SiteScore } from "../types";
import type { BoneObservations, Collected, MoodObservations } from "./collect";
import { collectObservations } from "./collect";
import type { FallsEntry, MedicationEntry, ScreenEntry, SiteEntry } from "./entries";
import { bestOf, firstByNameThenLatest, isStale } from "./entries";

/*
 * What the rules read: the observations grouped, the best candidate of each kind chosen, and the
 * classifications that more than one rule, score or suggestion rests on, each decided here once.
 * Read-only: the rule modules never see another module's working state.
 */

export interface MoodFacts extends MoodObservations {
  /** The deciding screen is positive: PHQ-9 ≥ 10, GDS-15 ≥ 5 or PHQ-2 ≥ 3. */
  readonly positiveScreen: boolean;
  /** The deciding screen exists and is within its `current` window. */
  readonly currentScreen: boolean;
}

export interface BoneFacts extends BoneObservations {
  /** WHO categories and BHOF criteria apply (§4). */
  readonly whoApplicable: boolean;
  /** Lowest T of the latest result per site, all sites. */
  readonly lowestT: SiteScore | null;
  /** Lowest T at femoral neck, total hip or lumbar spine (BHOF criteria). */
  readonly lowestCentralT: SiteScore | null;
  readonly lowestZ: SiteScore | null;
  /** FRAX major ≥ 20 % or hip ≥ 3 % (BHOF 2022). */
  readonly fraxHigh: boolean;
  /** A fragility fracture within the policy window (prompts a mood screen). */
  readonly recentFragilityFracture: boolean;
}

export interface FallsFacts extends FallsEntry {
  /** A STEADI key question is positive: a fall, unsteady or worried about falling. */
  readonly atRisk: boolean;
}

export interface MedicationFacts {
  /** Every usable medication record, in input order. */
  readonly records: readonly MedicationEntry[];
  /** Records not stopped on or before `asOf`, nor superseded by a later stop (§7). */
  readonly active: readonly MedicationEntry[];
  readonly activeClasses: ReadonlySet<MedicationClass>;
  readonly osteoporosisTreatmentActive: boolean;
  /** The active glucocorticoid at ≥ 2.5 mg/day, planned long-term or run > 90 days, if any. */
  readonly longTermGlucocorticoid: MedicationEntry | null;
  /** A long-term glucocorticoid, an aromatase inhibitor or androgen deprivation therapy. */
  readonly boneLossMedication: boolean;
}

export interface Facts extends Pick<Collected, "newest" | "vitaminD"> {
  readonly asOf: string;
  readonly asOfDay: number;
  /** Whole years on `asOf`. */
  readonly age: number;
  readonly sex: Sex;
  readonly mood: MoodFacts;
  readonly bone: BoneFacts;
  /** The latest usable falls screen. */
  readonly falls: FallsFacts | null;
  readonly medications: MedicationFacts;
}

const OSTEOPOROSIS_TREATMENTS: ReadonlySet<MedicationClass> = new Set(
  OSTEOPOROSIS_TREATMENT_CLASSES,
);

/** The facts of one patient on `asOf` (validated input). */
export function collectFacts(input: AssessInput): Facts {
  const { asOf, patient } = input;
  const asOfDay = dayNumber(asOf);
  const age = ageOn(patient.birthDate, asOf);
  const seen = collectObservations(input.observations, asOfDay);
  const screen = seen.mood.decidingScreen;
  const { sites } = seen;
  const fragility = seen.bone.latestFragilityFracture;
  const frax = seen.bone.frax;
  const falls = seen.falls;
  const active = activeMedications(seen.medications, asOfDay);
  const activeClasses = new Set<MedicationClass>();
  for (const medication of active) activeClasses.add(medication.obs.class);
  const longTermGlucocorticoid = findLongTermGlucocorticoid(active, asOfDay);

  return {
    asOf,
    asOfDay,
    age,
    sex: patient.sex,
    newest: seen.newest,
    // Listed, not spread: spread copies of these objects (whose fields are null for one patient and
    // set for the next) came out as slow objects in V8, and every rule reading them slowed down.
    mood: {
      latestPhq9: seen.mood.latestPhq9,
      latestPhq9DayHasItem9: seen.mood.latestPhq9DayHasItem9,
      latestItem9: seen.mood.latestItem9,
      completePhq9s: seen.mood.completePhq9s,
      latestPhq2: seen.mood.latestPhq2,
      latestGds15: seen.mood.latestGds15,
      decidingScreen: screen,
      positiveScreen: screen !== null && isPositiveScreen(screen),
      currentScreen: screen !== null && !isStale(screen.kind, asOfDay - screen.day),
    },
    bone: {
      latestBmd: seen.bone.latestBmd,
      frax,
      latestFragilityFracture: fragility,
      latestHipOrVertebralFracture: seen.bone.latestHipOrVertebralFracture,
      whoApplicable: isWhoApplicable(patient.sex, patient.postmenopausal, age),
      lowestT: lowestSiteScore(sites, BMD_SITES, "t", asOfDay),
      lowestCentralT: lowestSiteScore(sites, CENTRAL_BMD_SITES, "t", asOfDay),
      lowestZ: lowestSiteScore(sites, BMD_SITES, "z", asOfDay),
      fraxHigh:
        frax !== null &&
        (frax.obs.majorOsteoporoticPct >= THRESHOLDS.frax.majorOsteoporoticPct ||
          frax.obs.hipPct >= THRESHOLDS.frax.hipPct),
      recentFragilityFracture:
        fragility !== null && asOfDay - fragility.day <= RULESET_POLICY.recentFragilityFractureDays,
    },
    vitaminD: seen.vitaminD,
    falls:
      falls === null
        ? null
        : {
            day: falls.day,
            effective: falls.effective,
            count: falls.count,
            injurious: falls.injurious,
            unsteady: falls.unsteady,
            worried: falls.worried,
            atRisk: falls.count > 0 || falls.unsteady || falls.worried,
          },
    medications: {
      records: seen.medications,
      active,
      activeClasses,
      osteoporosisTreatmentActive: [...activeClasses].some((c) => OSTEOPOROSIS_TREATMENTS.has(c)),
      longTermGlucocorticoid,
      boneLossMedication:
        longTermGlucocorticoid !== null ||
        activeClasses.has("aromatase_inhibitor") ||
        activeClasses.has("androgen_deprivation"),
    },
  };
}

function isPositiveScreen(screen: ScreenEntry): boolean {
  switch (screen.kind) {
    case "phq9":
      return screen.total >= THRESHOLDS.phq9.positive;
    case "phq2":
      return screen.total >= THRESHOLDS.phq2.positive;
    case "gds15":
      return screen.total >= THRESHOLDS.gds15.suggests;
    default: {
      const unreachable: never = screen.kind;
      return unreachable;
    }
  }
}

function lowestSiteScore(
  sites: ReadonlyMap<BmdSite, SiteEntry>,
  order: readonly BmdSite[],
  field: "t" | "z",
  asOfDay: number,
): SiteScore | null {
  let best: SiteScore | null = null;
  for (const site of order) {
    const entry = sites.get(site);
    if (entry === undefined) continue;
    const value = entry[field];
    if (value === null) continue;
    // Strict "<": on equal values the first site in BMD_SITES order is reported.
    if (best === null || value < best.value) {
      best = {
        value,
        site,
        effective: entry.effective,
        stale: isStale("bmd", asOfDay - entry.day),
      };
    }
  }
  return best;
}

/**
 * Active medications (§7): recorded and not stopped on or before `asOf`. A record is also treated as
 * stopped when a record of the same class (and the same name, when both are named) reports a
 * `stoppedOn` on or after its own date: the later record supersedes it. Otherwise an old "active"
 * entry would keep a stopped denosumab or steroid alive forever.
 */
function activeMedications(
  entries: readonly MedicationEntry[],
  asOfDay: number,
): MedicationEntry[] {
  const stops = entries.filter((entry) => entry.stopDay !== null && entry.stopDay <= asOfDay);
  return entries.filter((entry) => {
    if (entry.stopDay !== null && entry.stopDay <= asOfDay) return false;
    return !stops.some(
      (stop) =>
        stop.obs.class === entry.obs.class &&
        stop.stopDay !== null &&
        stop.stopDay >= entry.day &&
        (stop.nameKey === null || entry.nameKey === null || stop.nameKey === entry.nameKey),
    );
  });
}

/**
 * The active glucocorticoid at ≥ 2.5 mg/day planned for 3 months or more, or run for > 90 days
 * (ACR 2022), highest dose then longest.
 */
function findLongTermGlucocorticoid(
  active: readonly MedicationEntry[],
  asOfDay: number,
): MedicationEntry | null {
  return bestOf(
    active,
    (entry) => {
      const dose = entry.obs.prednisoloneMgPerDay;
      // No recorded dose: the ≥ 2.5 mg/day criterion cannot be shown, so the rule does not fire.
      return (
        entry.obs.class === "glucocorticoid" &&
        dose !== undefined &&
        dose >= THRESHOLDS.glucocorticoid.minMgPerDay &&
        // A course planned for 3 months or more counts from its start (ACR 2022: assess at the
        // start); otherwise once it has run past the duration.
        (entry.obs.plannedLongTerm === true ||
          asOfDay - entry.startDay > THRESHOLDS.glucocorticoid.moreThanDays)
      );
    },
    (a, b) => {
      const doseA = a.obs.prednisoloneMgPerDay ?? 0;
      const doseB = b.obs.prednisoloneMgPerDay ?? 0;
      if (doseA !== doseB) return doseA > doseB;
      if (a.startDay !== b.startDay) return a.startDay < b.startDay;
      return firstByNameThenLatest(a, b);
    },
  );
}
