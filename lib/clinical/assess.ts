import { hasAgeDxaIndication, isWhoApplicable, whoCategory } from "./bone";
import type { BmdSite, FlagCode, MedicationClass, ObservationKind, Severity } from "./constants";
import {
  BMD_SITES,
  BONE_FINDING_CODES,
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
  CENTRAL_BMD_SITES,
  FALL_RISK_DRUG_CLASSES,
  FLAG_CODES,
  FRACTURE_SITES,
  MEDICATION_CLASSES,
  OBSERVATION_KINDS,
  OSTEOPOROSIS_TREATMENT_CLASSES,
  SEVERITY_RANK,
} from "./constants";
import { ageOn, dayNumber, formatDate, formatElapsed } from "./dates";
import { bmdSiteLabel, formatNumber, fractureSiteLabel, medicationClassLabel } from "./format";
import {
  gds15Band,
  gds15BandLabel,
  gds15Total,
  phq2Band,
  phq2Total,
  phq9Band,
  phq9BandLabel,
  phq9Total,
} from "./instruments";
import { RULESET_POLICY, RULESET_VERSION, THRESHOLDS } from "./policy";
import { getRule, priorityFromFlags } from "./rules";
import type {
  AssessInput,
  FractureObservation,
  FraxObservation,
  MedicationObservation,
  VitaminDObservation,
} from "./schemas";
import type { SuggestionId } from "./suggestions";
import { SUGGESTION_CATEGORY_RANK, SUGGESTIONS, dueSuggestionFor } from "./suggestions";
import type {
  Assessment,
  DataStatus,
  DepressionScreenKind,
  Flag,
  FlagInput,
  Scores,
  SiteScore,
  Suggestion,
} from "./types";
import type { VitaminDBand } from "./vitamin-d";
import { toNgPerMl, toNmolPerL, vitaminDBandOf } from "./vitamin-d";

/*
 * The rules engine (CLINICAL-RULES.md §2–§9). One pass groups the observations and keeps, per kind,
 * the best candidate under a total order on the fields that reach the output, so the result does not
 * depend on input order. No zod here: `assess` takes validated input.
 */

const FRESHNESS = RULESET_POLICY.freshness;
const FLAG_ORDER = new Map<FlagCode, number>(FLAG_CODES.map((code, index) => [code, index]));
const SITE_ORDER = new Map<string, number>(FRACTURE_SITES.map((site, index) => [site, index]));
const MED_ORDER = new Map<MedicationClass, number>(
  MEDICATION_CLASSES.map((medicationClass, index) => [medicationClass, index]),
);
const OSTEOPOROSIS_TREATMENTS: ReadonlySet<MedicationClass> = new Set(
  OSTEOPOROSIS_TREATMENT_CLASSES,
);
const FALL_RISK_DRUGS: ReadonlySet<MedicationClass> = new Set(FALL_RISK_DRUG_CLASSES);
const BONE_RISK_ANTIDEPRESSANTS: ReadonlySet<MedicationClass> = new Set(
  BONE_RISK_ANTIDEPRESSANT_CLASSES,
);
/** §3 tie-break on one day: PHQ-9 over GDS-15 over PHQ-2. */
const SCREEN_RANK: Readonly<Record<DepressionScreenKind, number>> = { phq9: 3, gds15: 2, phq2: 1 };
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

interface Dated {
  readonly day: number;
  readonly effective: string;
}

interface Phq9Entry extends Dated {
  readonly total: number | null;
  readonly item9: number | null;
}

interface ScoredEntry extends Dated {
  readonly total: number | null;
}

interface ScreenEntry extends Dated {
  readonly kind: DepressionScreenKind;
  readonly total: number;
}

interface SiteEntry extends Dated {
  t: number | null;
  z: number | null;
}

interface FraxEntry extends Dated {
  readonly obs: FraxObservation;
}

interface VitaminDEntry extends Dated {
  readonly obs: VitaminDObservation;
  readonly ng: number;
  readonly band: VitaminDBand;
}

interface FractureEntry extends Dated {
  readonly obs: FractureObservation;
}

interface FallsEntry extends Dated {
  count: number;
  injurious: boolean;
  unsteady: boolean;
  worried: boolean;
}

interface MedicationEntry extends Dated {
  readonly obs: MedicationObservation;
  readonly startDay: number;
  readonly startedOn: string;
  readonly stopDay: number | null;
  readonly nameKey: string | null;
}

/** A rationale fragment with the inputs it rests on. */
interface Evidence {
  readonly text: string;
  readonly inputs: readonly FlagInput[];
}

function isUsable(kind: ObservationKind, ageDays: number): boolean {
  const limit = FRESHNESS[kind].usableDays;
  return limit === null || ageDays <= limit;
}

function isStale(kind: ObservationKind, ageDays: number): boolean {
  const limit = FRESHNESS[kind].currentDays;
  return limit !== null && ageDays > limit;
}

/** −1 / 0 / 1 ordering of optional names, missing first. */
function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Assesses one patient on `asOf` by CLINICAL-RULES.md (validated input; pure and deterministic). */
export function assess(input: AssessInput): Assessment {
  const asOf = input.asOf;
  const asOfDay = dayNumber(asOf);
  const { patient } = input;
  const age = ageOn(patient.birthDate, asOf);

  const lastDay = new Map<ObservationKind, Dated>();
  let phq9Latest: Phq9Entry | null = null;
  let phq9LatestDayHasItem9 = false;
  let item9Latest: Phq9Entry | null = null;
  const phq9Complete: Phq9Entry[] = [];
  let phq2Latest: ScoredEntry | null = null;
  let gds15Latest: ScoredEntry | null = null;
  let deciding: ScreenEntry | null = null;
  const sites = new Map<BmdSite, SiteEntry>();
  let bmdLatestUsable: Dated | null = null;
  let bmdLatestAny = Number.NEGATIVE_INFINITY;
  let frax: FraxEntry | null = null;
  let vitaminD: VitaminDEntry | null = null;
  let fragilityLatest: FractureEntry | null = null;
  let hipOrVertebralLatest: FractureEntry | null = null;
  let falls: FallsEntry | null = null;
  const medications: MedicationEntry[] = [];

  const considerScreen = (candidate: ScreenEntry): void => {
    if (
      deciding === null ||
      candidate.day > deciding.day ||
      (candidate.day === deciding.day &&
        (SCREEN_RANK[candidate.kind] > SCREEN_RANK[deciding.kind] ||
          (candidate.kind === deciding.kind && candidate.total > deciding.total)))
    ) {
      deciding = candidate;
    }
  };

  for (const obs of input.observations) {
    const day = dayNumber(obs.effective);
    const ageDays = asOfDay - day;
    const previous = lastDay.get(obs.kind);
    if (previous === undefined || day > previous.day) {
      lastDay.set(obs.kind, { day, effective: obs.effective });
    }
    if (!isUsable(obs.kind, ageDays)) continue;

    switch (obs.kind) {
      case "phq9": {
        const total = obs.items !== undefined ? phq9Total(obs.items) : (obs.total ?? null);
        const item9 = obs.items !== undefined ? (obs.items[8] ?? null) : null;
        const entry: Phq9Entry = { day, effective: obs.effective, total, item9 };
        if (phq9Latest === null || day > phq9Latest.day) {
          phq9Latest = entry;
          phq9LatestDayHasItem9 = item9 !== null;
        } else if (day === phq9Latest.day) {
          phq9LatestDayHasItem9 ||= item9 !== null;
          if (betterSameDayPhq9(entry, phq9Latest)) {
            phq9Latest = entry;
          }
        }
        // Safety: on one day, the highest item 9 answer counts.
        if (
          item9 !== null &&
          (item9Latest === null ||
            day > item9Latest.day ||
            (day === item9Latest.day && item9 > (item9Latest.item9 ?? -1)))
        ) {
          item9Latest = entry;
        }
        if (total !== null) {
          phq9Complete.push(entry);
          considerScreen({ kind: "phq9", day, effective: obs.effective, total });
        }
        break;
      }
      case "phq2": {
        const total = obs.items !== undefined ? phq2Total(obs.items) : (obs.total ?? null);
        phq2Latest = pickScored(phq2Latest, { day, effective: obs.effective, total });
        if (total !== null) considerScreen({ kind: "phq2", day, effective: obs.effective, total });
        break;
      }
      case "gds15": {
        const total = obs.answers !== undefined ? gds15Total(obs.answers) : (obs.total ?? null);
        gds15Latest = pickScored(gds15Latest, { day, effective: obs.effective, total });
        if (total !== null) considerScreen({ kind: "gds15", day, effective: obs.effective, total });
        break;
      }
      case "bmd": {
        if (day > bmdLatestAny) bmdLatestAny = day;
        if (bmdLatestUsable === null || day > bmdLatestUsable.day) {
          bmdLatestUsable = { day, effective: obs.effective };
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
        const band = vitaminDBandOf(obs.value, obs.unit);
        const entry: VitaminDEntry = {
          day,
          effective: obs.effective,
          obs,
          ng: toNgPerMl(obs.value, obs.unit),
          band,
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
        if (fragilityLatest === null || laterFracture(entry, fragilityLatest))
          fragilityLatest = entry;
        if (
          (obs.site === "hip" || obs.site === "vertebral") &&
          (hipOrVertebralLatest === null || laterFracture(entry, hipOrVertebralLatest))
        ) {
          hipOrVertebralLatest = entry;
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
        const startedOn = obs.startedOn ?? obs.effective;
        medications.push({
          day,
          effective: obs.effective,
          obs,
          startDay: obs.startedOn !== undefined ? dayNumber(obs.startedOn) : day,
          startedOn,
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

  // ---------------------------------------------------------------- helpers bound to asOf
  const staleOf = (kind: ObservationKind, day: number): boolean => isStale(kind, asOfDay - day);
  const when = (kind: ObservationKind, dated: Dated): string => {
    const text = `on ${formatDate(dated.effective)}`;
    return staleOf(kind, dated.day)
      ? `${text} (stale, ${formatElapsed(asOfDay - dated.day)})`
      : text;
  };
  const flagInput = (kind: ObservationKind, dated: Dated, value: string | number): FlagInput => ({
    kind,
    effective: dated.effective,
    value,
    stale: staleOf(kind, dated.day),
  });

  // ---------------------------------------------------------------- medications (§7)
  const active = activeMedications(medications, asOfDay);
  const activeClasses = new Set<MedicationClass>();
  for (const medication of active) activeClasses.add(medication.obs.class);
  const osteoporosisTreatmentActive = [...activeClasses].some((c) =>
    OSTEOPOROSIS_TREATMENTS.has(c),
  );
  const glucocorticoid = longTermGlucocorticoid(active, asOfDay);
  const boneLossMedication =
    glucocorticoid !== null ||
    activeClasses.has("aromatase_inhibitor") ||
    activeClasses.has("androgen_deprivation");

  // ---------------------------------------------------------------- bone (§4)
  const whoApplicable = isWhoApplicable(patient.sex, patient.postmenopausal, age);
  const lowestT = lowestSiteScore(sites, BMD_SITES, "t", asOfDay);
  const lowestCentralT = lowestSiteScore(sites, CENTRAL_BMD_SITES, "t", asOfDay);
  const lowestZ = lowestSiteScore(sites, BMD_SITES, "z", asOfDay);
  const anyFragility = fragilityLatest !== null;
  const recentFragility =
    fragilityLatest !== null &&
    asOfDay - fragilityLatest.day <= RULESET_POLICY.recentFragilityFractureDays;
  const fraxHigh =
    frax !== null &&
    (frax.obs.majorOsteoporoticPct >= THRESHOLDS.frax.majorOsteoporoticPct ||
      frax.obs.hipPct >= THRESHOLDS.frax.hipPct);
  const osteoporoticT = lowestT !== null && lowestT.value <= THRESHOLDS.who.osteoporosisMaxT;

  const flags = new Map<FlagCode, Flag>();
  const evidenceByFlag = new Map<FlagCode, readonly Evidence[]>();
  const addFlag = (
    code: FlagCode,
    severity: Severity,
    evidence: readonly Evidence[],
    suffix = "",
  ): void => {
    const rule = getRule(code);
    const inputs: FlagInput[] = [];
    const seenInputs = new Set<string>();
    const texts: string[] = [];
    for (const part of evidence) {
      // Composite flags reuse the evidence of others: say each fact once.
      if (part.text !== "" && !texts.includes(part.text)) texts.push(part.text);
      for (const item of part.inputs) {
        const key = `${item.kind}|${item.effective}|${String(item.value)}`;
        if (seenInputs.has(key)) continue;
        seenInputs.add(key);
        inputs.push(item);
      }
    }
    evidenceByFlag.set(code, evidence);
    flags.set(code, {
      code,
      severity,
      title: rule.title,
      rationale: `${texts.join(" + ")}${suffix}`,
      inputs,
      thresholds: rule.thresholds,
      sources: rule.sources,
    });
  };

  const tEvidence = (score: SiteScore): Evidence => ({
    text: `${bmdSiteLabel(score.site)} T ${formatNumber(score.value)} ${when("bmd", dayed(score))}`,
    inputs: [flagInput("bmd", dayed(score), `${score.site} T ${score.value}`)],
  });
  const fractureEvidence = (fracture: FractureEntry): Evidence => ({
    text: `${fractureSiteLabel(fracture.obs.site)} fragility fracture on ${formatDate(fracture.effective)}`,
    inputs: [flagInput("fracture", fracture, `${fracture.obs.site} fragility fracture`)],
  });
  const fraxEvidence = (entry: FraxEntry): Evidence => ({
    text: `FRAX major ${formatNumber(entry.obs.majorOsteoporoticPct, 1)} %, hip ${formatNumber(entry.obs.hipPct, 1)} % ${when("frax", entry)}`,
    inputs: [
      flagInput(
        "frax",
        entry,
        `FRAX major ${entry.obs.majorOsteoporoticPct} %, hip ${entry.obs.hipPct} %`,
      ),
    ],
  });

  if (whoApplicable && lowestT !== null && osteoporoticT && fragilityLatest !== null) {
    addFlag("bone.severe-osteoporosis", "high", [
      tEvidence(lowestT),
      fractureEvidence(fragilityLatest),
    ]);
  } else if (whoApplicable && lowestT !== null && osteoporoticT) {
    // No fragility fracture here (that would be severe), so the T-score alone decides.
    addFlag("bone.osteoporosis", "moderate", [tEvidence(lowestT)]);
  } else if (hipOrVertebralLatest !== null) {
    addFlag(
      "bone.osteoporosis",
      "moderate",
      [fractureEvidence(hipOrVertebralLatest)],
      " (clinical osteoporosis)",
    );
  } else if (
    whoApplicable &&
    lowestT !== null &&
    lowestT.value > THRESHOLDS.who.osteoporosisMaxT &&
    lowestT.value < THRESHOLDS.who.normalMinT
  ) {
    addFlag("bone.osteopenia", "low", [tEvidence(lowestT)]);
  }
  if (!whoApplicable && lowestZ !== null && lowestZ.value <= THRESHOLDS.lowForAgeMaxZ) {
    addFlag(
      "bone.low-for-age",
      "moderate",
      [
        {
          text: `${bmdSiteLabel(lowestZ.site)} Z ${formatNumber(lowestZ.value)} ${when("bmd", dayed(lowestZ))}`,
          inputs: [flagInput("bmd", dayed(lowestZ), `${lowestZ.site} Z ${lowestZ.value}`)],
        },
      ],
      " (below the expected range for age)",
    );
  }
  if (frax !== null && fraxHigh)
    addFlag("bone.high-fracture-risk", "moderate", [fraxEvidence(frax)]);

  const boneFindings: readonly FlagCode[] = BONE_FINDING_CODES.filter((code) => flags.has(code));
  const anyBoneFlag = boneFindings.length > 0;
  const moderateBoneFlag = boneFindings.some((code) => code !== "bone.osteopenia");
  const boneEvidence = (codes: readonly FlagCode[] = boneFindings): Evidence[] =>
    codes.flatMap((code) => evidenceByFlag.get(code) ?? []);

  // BHOF 2022 treatment criteria, for the population WHO categories apply to.
  if (whoApplicable && !osteoporosisTreatmentActive) {
    const criteria: Evidence[] = [];
    if (hipOrVertebralLatest !== null) criteria.push(fractureEvidence(hipOrVertebralLatest));
    if (lowestCentralT !== null && lowestCentralT.value <= THRESHOLDS.who.osteoporosisMaxT) {
      criteria.push(tEvidence(lowestCentralT));
    } else if (
      lowestCentralT !== null &&
      lowestCentralT.value < THRESHOLDS.who.normalMinT &&
      frax !== null &&
      fraxHigh
    ) {
      criteria.push(tEvidence(lowestCentralT), fraxEvidence(frax));
    }
    if (criteria.length > 0) {
      addFlag("bone.treatment-gap", "high", criteria, "; no osteoporosis treatment active");
    }
  }

  if (
    fragilityLatest !== null &&
    asOfDay - fragilityLatest.day <= THRESHOLDS.fls.followupWeeks * 7 &&
    bmdLatestAny < fragilityLatest.day
  ) {
    const weeks = Math.floor((asOfDay - fragilityLatest.day) / 7);
    addFlag(
      "bone.fracture-followup-due",
      "high",
      [fractureEvidence(fragilityLatest)],
      ` (${weeks} ${weeks === 1 ? "week" : "weeks"} ago), no DXA since`,
    );
  }

  // DXA indication and DXA due (§4).
  const dxaReasons: string[] = [];
  if (hasAgeDxaIndication(patient.sex, age)) dxaReasons.push(`age ${age}`);
  const adult = age >= RULESET_POLICY.adultFromAge;
  if (adult && fragilityLatest !== null) dxaReasons.push("fragility fracture");
  if (adult && boneLossMedication) dxaReasons.push("bone-loss medication");
  if (dxaReasons.length > 0) {
    const indication = `DXA indicated (${dxaReasons.join(", ")})`;
    if (bmdLatestUsable === null) {
      const last = lastDay.get("bmd");
      addFlag("bone.dxa-due", "low", [
        {
          text: `${indication}; no usable DXA${last !== undefined ? ` (last ${formatDate(last.effective)}, ${formatElapsed(asOfDay - last.day)})` : ""}`,
          inputs: [],
        },
      ]);
    } else if (asOfDay - bmdLatestUsable.day > RULESET_POLICY.dxaRepeatIntervalDays) {
      const repeatReasons: string[] = [];
      if (lowestT !== null && lowestT.value < THRESHOLDS.who.normalMinT) {
        repeatReasons.push(`lowest T ${formatNumber(lowestT.value)}`);
      }
      if (osteoporosisTreatmentActive) repeatReasons.push("on osteoporosis treatment");
      if (boneLossMedication) repeatReasons.push("on a bone-loss medication");
      if (repeatReasons.length > 0) {
        addFlag("bone.dxa-due", "low", [
          {
            text: `${indication}; last DXA ${when("bmd", bmdLatestUsable)}, ${repeatReasons.join(", ")}`,
            inputs: [flagInput("bmd", bmdLatestUsable, `last DXA ${bmdLatestUsable.effective}`)],
          },
        ]);
      }
    }
  }

  // ---------------------------------------------------------------- depression (§3)
  const screen = deciding as ScreenEntry | null;
  const screenEvidence = (entry: ScreenEntry): Evidence => ({
    text: `${screenLabel(entry)} ${when(entry.kind, entry)}`,
    inputs: [flagInput(entry.kind, entry, `${screenName(entry.kind)} total ${entry.total}`)],
  });
  let depressionPositive = false;
  if (screen !== null) {
    switch (screen.kind) {
      case "phq9":
        if (screen.total >= THRESHOLDS.phq9.positive) {
          depressionPositive = true;
          addFlag(
            "depression.positive",
            screen.total >= THRESHOLDS.phq9.moderatelySevere ? "high" : "moderate",
            [screenEvidence(screen)],
          );
          const reference = notImprovingReference(phq9Complete, screen);
          if (reference !== null && reference.total !== null) {
            addFlag(
              "depression.not-improving",
              "high",
              [
                screenEvidence(screen),
                {
                  // The baseline is old by definition: no "stale" note on it.
                  text: `earlier PHQ-9 ${reference.total} on ${formatDate(reference.effective)}`,
                  inputs: [flagInput("phq9", reference, `PHQ-9 total ${reference.total}`)],
                },
              ],
              `: less than a 50 % reduction in ${screen.day - reference.day} days`,
            );
          }
        } else if (screen.total >= THRESHOLDS.phq9.mild) {
          addFlag("depression.mild-symptoms", "low", [screenEvidence(screen)]);
        }
        break;
      case "gds15":
        if (screen.total >= THRESHOLDS.gds15.suggests) {
          depressionPositive = true;
          addFlag(
            "depression.positive",
            screen.total >= THRESHOLDS.gds15.probable ? "high" : "moderate",
            [screenEvidence(screen)],
          );
        }
        break;
      case "phq2":
        if (screen.total >= THRESHOLDS.phq2.positive) {
          depressionPositive = true;
          addFlag(
            "depression.positive",
            "moderate",
            [screenEvidence(screen)],
            "; follow with a PHQ-9",
          );
        }
        break;
      default: {
        const unreachable: never = screen.kind;
        return unreachable;
      }
    }
  }
  const noScreenText = `no complete depression screen within ${FRESHNESS.phq9.usableDays ?? 0} days`;
  const screenDueBoneReason = anyBoneFlag || recentFragility;
  if (screen === null && (age >= THRESHOLDS.olderAdultFromAge || screenDueBoneReason)) {
    const reasons: Evidence[] = [{ text: `${capitalize(noScreenText)}`, inputs: [] }];
    if (age >= THRESHOLDS.olderAdultFromAge) reasons.push({ text: `age ${age}`, inputs: [] });
    if (anyBoneFlag) reasons.push(...boneEvidence());
    if (recentFragility && fragilityLatest !== null)
      reasons.push(fractureEvidence(fragilityLatest));
    addFlag("depression.screen-due", "low", reasons);
  }

  // ---------------------------------------------------------------- safety (§3, §5)
  if (item9Latest !== null && (item9Latest.item9 ?? 0) >= 1) {
    const current = !staleOf("phq9", item9Latest.day);
    addFlag("safety.suicide-risk", current ? "critical" : "high", [
      {
        text: `PHQ-9 item 9 = ${item9Latest.item9 ?? 0} ${when("phq9", item9Latest)}`,
        inputs: [flagInput("phq9", item9Latest, `PHQ-9 item 9 = ${item9Latest.item9 ?? 0}`)],
      },
    ]);
  }
  if (phq9Latest !== null && !phq9LatestDayHasItem9) {
    const latest: Phq9Entry = phq9Latest;
    const what =
      latest.total !== null
        ? `PHQ-9 total ${latest.total} without item 9`
        : "PHQ-9 with item 9 unanswered";
    addFlag(
      "safety.suicide-item-unknown",
      "info",
      [
        {
          text: `Latest ${what} ${when("phq9", latest)}`,
          inputs: [flagInput("phq9", latest, what)],
        },
      ],
      ": suicide risk unknown",
    );
  }

  // ---------------------------------------------------------------- vitamin D (§5)
  if (vitaminD !== null) {
    const entry: VitaminDEntry = vitaminD;
    const value = vitaminDValueText(entry);
    const evidence: Evidence = {
      text: `25(OH)D ${value} ${when("vitaminD", entry)}`,
      inputs: [flagInput("vitaminD", entry, `25(OH)D ${entry.obs.value} ${entry.obs.unit}`)],
    };
    switch (entry.band) {
      case "toxic":
        addFlag("safety.vitamin-d-toxicity", "high", [evidence]);
        break;
      case "high":
        addFlag("vitd.high", "moderate", [evidence]);
        break;
      case "above-target":
        addFlag("vitd.above-target", "info", [evidence]);
        break;
      case "bone-target":
        break;
      case "sufficient":
        if (anyBoneFlag) addFlag("vitd.below-bone-target", "low", [evidence, ...boneEvidence()]);
        break;
      case "inadequate":
        addFlag("vitd.inadequate", "low", [evidence]);
        break;
      case "deficient":
        addFlag("vitd.deficient", "moderate", [evidence]);
        break;
      default: {
        const unreachable: never = entry.band;
        return unreachable;
      }
    }
  }

  // ---------------------------------------------------------------- falls (§6)
  let fallsAtRisk = false;
  let fallsEvidence: Evidence | null = null;
  if (falls !== null) {
    const entry: FallsEntry = falls;
    const answers: string[] = [];
    if (entry.count > 0) {
      answers.push(
        `${entry.count} ${entry.count === 1 ? "fall" : "falls"} in 12 months${entry.injurious ? " (injurious)" : ""}`,
      );
    }
    if (entry.unsteady) answers.push("unsteady");
    if (entry.worried) answers.push("worried about falling");
    fallsAtRisk = answers.length > 0;
    if (fallsAtRisk) {
      fallsEvidence = {
        text: `${answers.join(", ")} ${when("falls", entry)}`,
        inputs: [flagInput("falls", entry, `STEADI: ${answers.join(", ")}`)],
      };
      const multifactorial = entry.count >= THRESHOLDS.falls.multipleFalls || entry.injurious;
      addFlag("falls.at-risk", multifactorial ? "moderate" : "low", [fallsEvidence]);
    }
  } else if (age >= THRESHOLDS.olderAdultFromAge) {
    const last = lastDay.get("falls");
    addFlag("falls.screen-due", "low", [
      {
        text: `Age ${age}, no falls screen within ${FRESHNESS.falls.usableDays ?? 0} days${last !== undefined ? ` (last ${formatDate(last.effective)})` : ""}`,
        inputs: [],
      },
    ]);
  }

  // ---------------------------------------------------------------- medication flags (§7)
  const medicationEvidence = (classes: ReadonlySet<MedicationClass>): Evidence => {
    const chosen = representativeByClass(active, classes);
    return {
      text: `${chosen.map(medicationText).join(", ")} active`,
      inputs: chosen.map((entry) => flagInput("medication", entry, medicationValue(entry))),
    };
  };
  const activeBoneRiskAntidepressant = [...activeClasses].some((c) =>
    BONE_RISK_ANTIDEPRESSANTS.has(c),
  );
  if (activeBoneRiskAntidepressant && (anyBoneFlag || anyFragility || fallsAtRisk)) {
    const parts: Evidence[] = [medicationEvidence(BONE_RISK_ANTIDEPRESSANTS)];
    if (anyBoneFlag) parts.push(...boneEvidence());
    if (fragilityLatest !== null) parts.push(fractureEvidence(fragilityLatest));
    if (fallsEvidence !== null) parts.push(fallsEvidence);
    addFlag("meds.antidepressant-bone-risk", "moderate", parts);
  }
  if (glucocorticoid !== null) {
    const dose = glucocorticoid.obs.prednisoloneMgPerDay ?? 0;
    addFlag("meds.glucocorticoid-bone-risk", "moderate", [
      {
        text: `${glucocorticoid.obs.name ?? "glucocorticoid"} ${formatNumber(dose)} mg/day since ${formatDate(glucocorticoid.startedOn)} (${asOfDay - glucocorticoid.startDay} days)`,
        inputs: [
          flagInput(
            "medication",
            glucocorticoid,
            `${medicationValue(glucocorticoid)} ${dose} mg/day`,
          ),
        ],
      },
    ]);
  }
  const activeFallRiskDrug = [...activeClasses].some((c) => FALL_RISK_DRUGS.has(c));
  if (activeFallRiskDrug && fallsAtRisk && fallsEvidence !== null) {
    addFlag("meds.fall-risk-drugs", "moderate", [
      medicationEvidence(FALL_RISK_DRUGS),
      fallsEvidence,
    ]);
  }
  if (!osteoporosisTreatmentActive) {
    const stopped = recentlyStoppedDenosumab(medications, asOfDay);
    if (stopped !== null && stopped.stopDay !== null) {
      addFlag(
        "meds.denosumab-stopped",
        "high",
        [
          {
            text: `${stopped.obs.name ?? "denosumab"} stopped on ${formatDate(stopped.obs.stoppedOn ?? stopped.effective)} (${asOfDay - stopped.stopDay} days ago)`,
            inputs: [
              flagInput(
                "medication",
                stopped,
                `${medicationValue(stopped)} stopped ${stopped.obs.stoppedOn ?? ""}`,
              ),
            ],
          },
        ],
        "; no osteoporosis treatment active",
      );
    }
  }

  // ---------------------------------------------------------------- comorbidity (§8)
  const depressionFlag = flags.get("depression.positive");
  const depressionEvidence: Evidence | null =
    depressionFlag !== undefined && screen !== null ? screenEvidence(screen) : null;
  if (depressionPositive && depressionEvidence !== null && (anyBoneFlag || anyFragility)) {
    const parts: Evidence[] = [depressionEvidence, ...boneEvidence()];
    if (fragilityLatest !== null) parts.push(fractureEvidence(fragilityLatest));
    addFlag("comorbidity.bone-brain", "high", parts);
  }
  if (
    depressionPositive &&
    depressionEvidence !== null &&
    age >= THRESHOLDS.boneUnassessedFromAge &&
    bmdLatestUsable === null
  ) {
    const last = lastDay.get("bmd");
    addFlag("comorbidity.bone-unassessed", "moderate", [
      depressionEvidence,
      {
        text: `age ${age}, no usable DXA${last !== undefined ? ` (last ${formatDate(last.effective)}, ${formatElapsed(asOfDay - last.day)})` : ""}`,
        inputs: [],
      },
    ]);
  }
  if (screen === null && (moderateBoneFlag || recentFragility)) {
    const parts: Evidence[] = boneEvidence(
      boneFindings.filter((code) => code !== "bone.osteopenia"),
    );
    if (recentFragility && fragilityLatest !== null) parts.push(fractureEvidence(fragilityLatest));
    addFlag("comorbidity.mood-unassessed", "moderate", parts, `; ${noScreenText}`);
  }

  // ---------------------------------------------------------------- output
  const flagList = [...flags.values()].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (FLAG_ORDER.get(a.code) ?? 0) - (FLAG_ORDER.get(b.code) ?? 0),
  );

  const suggestions = buildSuggestions(flagList, {
    decidingKind: screen?.kind ?? null,
    screenDueBoneReason,
    hasUsableBmd: bmdLatestUsable !== null,
    currentScreen: screen !== null && !staleOf(screen.kind, screen.day),
  });

  const scores = buildScores({
    age,
    asOfDay,
    phq9Latest,
    phq2Latest,
    gds15Latest,
    screen,
    lowestT,
    lowestCentralT,
    lowestZ,
    whoApplicable,
    anyFragility,
    frax,
    fraxHigh,
    vitaminD,
    falls,
    activeClasses,
    osteoporosisTreatmentActive,
  });

  return {
    rulesetVersion: RULESET_VERSION,
    asOf,
    priority: priorityFromFlags(flagList),
    flags: flagList,
    suggestions,
    scores,
    dataStatus: buildDataStatus(lastDay, asOfDay),
  };
}

// ------------------------------------------------------------------ selection helpers

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

function dayed(score: SiteScore): Dated {
  return { day: dayNumber(score.effective), effective: score.effective };
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
 * The earlier PHQ-9 that shows no 50 % response, if any: complete, ≥ 10, at least 70 days (policy)
 * before the deciding one, and the deciding total more than half of it. When several qualify, the
 * most recent (then the highest) is cited; any one is enough to fire (the more sensitive reading).
 */
function notImprovingReference(
  entries: readonly Phq9Entry[],
  deciding: ScreenEntry,
): Phq9Entry | null {
  let best: Phq9Entry | null = null;
  for (const entry of entries) {
    if (entry.total === null || entry.total < THRESHOLDS.phq9.positive) continue;
    if (deciding.day - entry.day < RULESET_POLICY.notImprovingMinIntervalDays) continue;
    if (2 * deciding.total <= entry.total) continue;
    if (
      best === null ||
      entry.day > best.day ||
      (entry.day === best.day && entry.total > (best.total ?? -1))
    ) {
      best = entry;
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

/** The active glucocorticoid at ≥ 2.5 mg/day for > 90 days (ACR 2022), highest dose then longest. */
function longTermGlucocorticoid(
  active: readonly MedicationEntry[],
  asOfDay: number,
): MedicationEntry | null {
  let best: MedicationEntry | null = null;
  for (const entry of active) {
    if (entry.obs.class !== "glucocorticoid") continue;
    const dose = entry.obs.prednisoloneMgPerDay;
    // No recorded dose: the ≥ 2.5 mg/day criterion cannot be shown, so the rule does not fire.
    if (dose === undefined || dose < THRESHOLDS.glucocorticoid.minMgPerDay) continue;
    if (asOfDay - entry.startDay <= THRESHOLDS.glucocorticoid.moreThanDays) continue;
    if (best === null) {
      best = entry;
      continue;
    }
    const bestDose = best.obs.prednisoloneMgPerDay ?? 0;
    if (
      dose > bestDose ||
      (dose === bestDose &&
        (entry.startDay < best.startDay ||
          (entry.startDay === best.startDay &&
            (compareText(entry.obs.name, best.obs.name) < 0 ||
              (compareText(entry.obs.name, best.obs.name) === 0 && entry.day > best.day)))))
    ) {
      best = entry;
    }
  }
  return best;
}

/** The most recent denosumab stop within the policy window (ACR 2022: follow-on therapy needed). */
function recentlyStoppedDenosumab(
  entries: readonly MedicationEntry[],
  asOfDay: number,
): MedicationEntry | null {
  let best: MedicationEntry | null = null;
  for (const entry of entries) {
    if (entry.obs.class !== "denosumab" || entry.stopDay === null) continue;
    if (entry.stopDay > asOfDay) continue;
    if (asOfDay - entry.stopDay > RULESET_POLICY.denosumabStoppedWindowDays) continue;
    if (
      best === null ||
      best.stopDay === null ||
      entry.stopDay > best.stopDay ||
      (entry.stopDay === best.stopDay &&
        (compareText(entry.obs.name, best.obs.name) < 0 ||
          (compareText(entry.obs.name, best.obs.name) === 0 && entry.day > best.day)))
    ) {
      best = entry;
    }
  }
  return best;
}

/** One record per active class among `classes`: the most recently recorded, in MEDICATION_CLASSES order. */
function representativeByClass(
  active: readonly MedicationEntry[],
  classes: ReadonlySet<MedicationClass>,
): MedicationEntry[] {
  const chosen = new Map<MedicationClass, MedicationEntry>();
  for (const entry of active) {
    if (!classes.has(entry.obs.class)) continue;
    const current = chosen.get(entry.obs.class);
    if (
      current === undefined ||
      entry.day > current.day ||
      (entry.day === current.day && compareText(entry.obs.name, current.obs.name) < 0)
    ) {
      chosen.set(entry.obs.class, entry);
    }
  }
  return [...chosen.values()].sort(
    (a, b) => (MED_ORDER.get(a.obs.class) ?? 0) - (MED_ORDER.get(b.obs.class) ?? 0),
  );
}

// ------------------------------------------------------------------ text helpers

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}`;
}

function screenName(kind: DepressionScreenKind): string {
  switch (kind) {
    case "phq9":
      return "PHQ-9";
    case "phq2":
      return "PHQ-2";
    case "gds15":
      return "GDS-15";
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function screenLabel(entry: ScreenEntry): string {
  switch (entry.kind) {
    case "phq9":
      return `PHQ-9 ${entry.total} (${phq9BandLabel(phq9Band(entry.total))})`;
    case "phq2":
      return `PHQ-2 ${entry.total} (${phq2Band(entry.total)})`;
    case "gds15":
      return `GDS-15 ${entry.total} (${gds15BandLabel(gds15Band(entry.total))})`;
    default: {
      const unreachable: never = entry.kind;
      return unreachable;
    }
  }
}

function vitaminDValueText(entry: VitaminDEntry): string {
  return entry.obs.unit === "ng/mL"
    ? `${formatNumber(entry.obs.value, 1)} ng/mL`
    : `${formatNumber(entry.obs.value, 1)} nmol/L (${formatNumber(entry.ng, 1)} ng/mL)`;
}

function medicationText(entry: MedicationEntry): string {
  const label = medicationClassLabel(entry.obs.class);
  return entry.obs.name !== undefined ? `${entry.obs.name} (${label})` : label;
}

function medicationValue(entry: MedicationEntry): string {
  return entry.obs.name !== undefined ? `${entry.obs.class} ${entry.obs.name}` : entry.obs.class;
}

// ------------------------------------------------------------------ suggestions (§9)

interface SuggestionContext {
  readonly decidingKind: DepressionScreenKind | null;
  readonly screenDueBoneReason: boolean;
  readonly hasUsableBmd: boolean;
  /** The deciding depression screen exists and is current. */
  readonly currentScreen: boolean;
}

/** Suggestions a flag triggers by itself (stale inputs add their "due" suggestion on top). */
function suggestionsForFlag(code: FlagCode, context: SuggestionContext): readonly SuggestionId[] {
  switch (code) {
    case "safety.suicide-risk":
      return ["suicide-risk-same-day"];
    case "safety.suicide-item-unknown":
      return ["phq9-item9-ask"];
    case "safety.vitamin-d-toxicity":
      return ["vitamin-d-toxicity-action"];
    case "depression.positive":
      return context.decidingKind === "phq2"
        ? ["depression-evaluate-treat", "phq9-after-positive-phq2", "exercise-programme"]
        : ["depression-evaluate-treat", "exercise-programme"];
    case "depression.mild-symptoms":
      return ["exercise-programme"];
    case "depression.not-improving":
      return ["depression-treat-to-target"];
    case "depression.screen-due":
      return context.screenDueBoneReason ? ["mood-screen-bone-patient"] : ["depression-screen-due"];
    case "bone.severe-osteoporosis":
    case "bone.osteoporosis":
      return ["vitamin-d-calcium", "exercise-programme"];
    case "bone.osteopenia":
    case "bone.low-for-age":
    case "bone.high-fracture-risk":
      return ["exercise-programme"];
    case "bone.treatment-gap":
      return ["osteoporosis-pharmacotherapy", "vitamin-d-calcium"];
    case "bone.fracture-followup-due":
      return ["fracture-liaison-referral"];
    case "bone.dxa-due":
      return context.hasUsableBmd ? ["repeat-dxa-due"] : ["dxa-scan-due"];
    case "vitd.deficient":
    case "vitd.inadequate":
    case "vitd.below-bone-target":
      return ["vitamin-d-calcium"];
    case "vitd.above-target":
    case "vitd.high":
      return ["vitamin-d-excess-review"];
    case "falls.at-risk":
      return ["steadi-falls-assessment", "exercise-programme"];
    case "falls.screen-due":
      return ["steadi-falls-assessment"];
    case "meds.antidepressant-bone-risk":
      return ["antidepressant-bone-risk-review"];
    case "meds.glucocorticoid-bone-risk":
      return ["glucocorticoid-bone-care", "vitamin-d-calcium"];
    case "meds.fall-risk-drugs":
      return ["fall-risk-drug-review"];
    case "meds.denosumab-stopped":
      return ["denosumab-follow-on"];
    case "comorbidity.bone-brain":
      return [
        "integrated-care-plan",
        "exercise-programme",
        "sleep-circadian",
        "investigational-neuromodulation",
        "investigational-bone-signal-therapy",
      ];
    case "comorbidity.bone-unassessed":
      return ["dxa-frax-depressed-older-adult"];
    case "comorbidity.mood-unassessed":
      return ["mood-screen-bone-patient"];
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

function buildSuggestions(flags: readonly Flag[], context: SuggestionContext): Suggestion[] {
  const triggers = new Map<SuggestionId, Set<FlagCode>>();
  const add = (id: SuggestionId, code: FlagCode): void => {
    let set = triggers.get(id);
    if (set === undefined) {
      set = new Set();
      triggers.set(id, set);
    }
    set.add(code);
  };
  for (const flag of flags) {
    for (const id of suggestionsForFlag(flag.code, context)) add(id, flag.code);
    for (const item of flag.inputs) {
      if (!item.stale) continue;
      const due = dueSuggestionFor(item.kind);
      if (due === null) continue;
      // An old mood result next to a current complete screen (the baseline of "not improving", an
      // older PHQ-9 without item 9) needs no rescreen; a stale item 9 answer always does.
      if (
        due === "rescreen-depression-due" &&
        context.currentScreen &&
        flag.code !== "safety.suicide-risk"
      ) {
        continue;
      }
      add(due, flag.code);
    }
  }
  const result: Suggestion[] = [];
  for (const [id, codes] of triggers) {
    const definition = SUGGESTIONS[id];
    result.push({
      id,
      title: definition.title,
      detail: definition.detail,
      category: definition.category,
      triggeredBy: [...codes].sort((a, b) => (FLAG_ORDER.get(a) ?? 0) - (FLAG_ORDER.get(b) ?? 0)),
      sources: definition.sources,
    });
  }
  return result.sort(
    (a, b) =>
      SUGGESTION_CATEGORY_RANK[a.category] - SUGGESTION_CATEGORY_RANK[b.category] ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

// ------------------------------------------------------------------ scores and data status

interface ScoreParts {
  readonly age: number;
  readonly asOfDay: number;
  readonly phq9Latest: Phq9Entry | null;
  readonly phq2Latest: ScoredEntry | null;
  readonly gds15Latest: ScoredEntry | null;
  readonly screen: ScreenEntry | null;
  readonly lowestT: SiteScore | null;
  readonly lowestCentralT: SiteScore | null;
  readonly lowestZ: SiteScore | null;
  readonly whoApplicable: boolean;
  readonly anyFragility: boolean;
  readonly frax: FraxEntry | null;
  readonly fraxHigh: boolean;
  readonly vitaminD: VitaminDEntry | null;
  readonly falls: FallsEntry | null;
  readonly activeClasses: ReadonlySet<MedicationClass>;
  readonly osteoporosisTreatmentActive: boolean;
}

function buildScores(parts: ScoreParts): Scores {
  const stale = (kind: ObservationKind, day: number): boolean => isStale(kind, parts.asOfDay - day);
  const { phq9Latest, phq2Latest, gds15Latest, screen, frax, vitaminD, falls } = parts;
  return {
    age: parts.age,
    phq9:
      phq9Latest === null
        ? null
        : {
            total: phq9Latest.total,
            band: phq9Latest.total === null ? null : phq9Band(phq9Latest.total),
            item9: phq9Latest.item9,
            complete: phq9Latest.total !== null,
            effective: phq9Latest.effective,
            stale: stale("phq9", phq9Latest.day),
          },
    phq2:
      phq2Latest === null
        ? null
        : {
            total: phq2Latest.total,
            band: phq2Latest.total === null ? null : phq2Band(phq2Latest.total),
            complete: phq2Latest.total !== null,
            effective: phq2Latest.effective,
            stale: stale("phq2", phq2Latest.day),
          },
    gds15:
      gds15Latest === null
        ? null
        : {
            total: gds15Latest.total,
            band: gds15Latest.total === null ? null : gds15Band(gds15Latest.total),
            complete: gds15Latest.total !== null,
            effective: gds15Latest.effective,
            stale: stale("gds15", gds15Latest.day),
          },
    depressionScreen:
      screen === null
        ? null
        : {
            kind: screen.kind,
            total: screen.total,
            positive: isPositiveScreen(screen),
            effective: screen.effective,
            stale: stale(screen.kind, screen.day),
          },
    lowestTScore: parts.lowestT,
    lowestCentralTScore: parts.lowestCentralT,
    lowestZScore: parts.lowestZ,
    whoApplicable: parts.whoApplicable,
    whoCategory: !parts.whoApplicable
      ? "not-applicable"
      : parts.lowestT === null
        ? null
        : whoCategory(parts.lowestT.value, parts.anyFragility),
    frax:
      frax === null
        ? null
        : {
            majorOsteoporoticPct: frax.obs.majorOsteoporoticPct,
            hipPct: frax.obs.hipPct,
            withBmd: frax.obs.withBmd,
            high: parts.fraxHigh,
            effective: frax.effective,
            stale: stale("frax", frax.day),
          },
    vitaminD:
      vitaminD === null
        ? null
        : {
            value: vitaminD.obs.value,
            unit: vitaminD.obs.unit,
            ngPerMl: vitaminD.ng,
            nmolPerL: toNmolPerL(vitaminD.obs.value, vitaminD.obs.unit),
            band: vitaminD.band,
            effective: vitaminD.effective,
            stale: stale("vitaminD", vitaminD.day),
          },
    vitaminDNgPerMl: vitaminD === null ? null : vitaminD.ng,
    vitaminDBand: vitaminD === null ? null : vitaminD.band,
    falls:
      falls === null
        ? null
        : {
            countPast12Months: falls.count,
            injurious: falls.injurious,
            unsteady: falls.unsteady,
            worriedAboutFalling: falls.worried,
            atRisk: falls.count > 0 || falls.unsteady || falls.worried,
            effective: falls.effective,
            stale: stale("falls", falls.day),
          },
    activeMedicationClasses: MEDICATION_CLASSES.filter((c) => parts.activeClasses.has(c)),
    osteoporosisTreatmentActive: parts.osteoporosisTreatmentActive,
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

function buildDataStatus(
  lastDay: ReadonlyMap<ObservationKind, Dated>,
  asOfDay: number,
): DataStatus[] {
  return OBSERVATION_KINDS.map((kind): DataStatus => {
    const last = lastDay.get(kind);
    if (last === undefined) return { kind, status: "missing" };
    const ageDays = asOfDay - last.day;
    if (!isUsable(kind, ageDays)) return { kind, status: "missing", lastEffective: last.effective };
    return {
      kind,
      status: isStale(kind, ageDays) ? "stale" : "current",
      lastEffective: last.effective,
    };
  });
}
