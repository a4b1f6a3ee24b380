import {
  MAX_MEDICATION_NAME_LENGTH,
  MEDICATION_CLASSES,
  type MedicationClass,
} from "@/lib/clinical";
import {
  LOCAL,
  MEDICATION_NAMES,
  PREDNISOLONE_EQUIVALENT_NAMES,
  RXNORM,
  RXNORM_INGREDIENTS,
} from "../codes";
import type { CodeableConcept, FhirMedicationRequest } from "../types";
import {
  codeIn,
  codesIn,
  codings,
  dateOf,
  describeCodes,
  extension,
  isRecord,
  quantityOf,
  unitOf,
} from "../values";
import type { LocatedResource, ReadContext } from "./context";

const SKIPPED_MEDICATION_STATUSES = [
  "entered-in-error",
  "cancelled",
  "draft",
  "not-taken",
  "unknown",
];

/** The medication of a MedicationRequest or MedicationStatement: inline, referenced, or by name. */
function medicationConcept(ctx: ReadContext, item: LocatedResource): CodeableConcept | undefined {
  const med = item.resource as FhirMedicationRequest;
  if (isRecord(med.medicationCodeableConcept)) return med.medicationCodeableConcept;
  const target = ctx.resolve(med.medicationReference);
  if (target && isRecord(target.resource.code)) return target.resource.code;
  if (isRecord(med.medicationReference) && typeof med.medicationReference.display === "string") {
    return { text: med.medicationReference.display };
  }
  return undefined;
}

/** A MedicationRequest or MedicationStatement: its class, dates and (glucocorticoids) daily dose. */
export function readMedication(ctx: ReadContext, item: LocatedResource): void {
  const med = item.resource as FhirMedicationRequest;
  const status = med.status ?? "active";
  if (SKIPPED_MEDICATION_STATUSES.includes(status)) {
    ctx.information(`${item.path}.status`, `Skipped: medication status "${status}".`);
    return;
  }
  const concept = medicationConcept(ctx, item);
  const classified = classifyMedication(concept);
  if (classified.status !== "ok") {
    const what = describeCodes(concept);
    ctx.unusable(
      "code-invalid",
      `${item.path}.medication[x]`,
      classified.status === "ambiguous"
        ? `Medication ${what} matches more than one class (${classified.classes.join(", ")}).`
        : `Medication ${what} is not one this service can classify.`,
    );
    return;
  }
  const period = extension(med, LOCAL.medicationPeriodExtension)?.valuePeriod;
  const statementPeriod = isRecord(med.effectivePeriod) ? med.effectivePeriod : undefined;
  const startedOn = dateOf(period?.start) ?? dateOf(statementPeriod?.start);
  const stoppedOn = dateOf(period?.end) ?? dateOf(statementPeriod?.end);
  const recorded =
    med.resourceType === "MedicationStatement"
      ? (dateOf(med.dateAsserted) ?? dateOf(med.effectiveDateTime) ?? startedOn)
      : dateOf(med.authoredOn);
  const active = !["completed", "stopped"].includes(status);
  if (!active && !stoppedOn) {
    if (ctx.options.mode === "import") {
      ctx.issue(
        "error",
        "required",
        `${item.path}.status`,
        `A ${status} medication needs its stop date (effectivePeriod.end or the ${LOCAL.medicationPeriodExtension} extension).`,
      );
    }
    return;
  }
  const observation: Record<string, unknown> = { kind: "medication", class: classified.cls };
  const effective = recorded ?? ctx.options.defaultMedicationDate;
  if (effective) observation.effective = effective;
  if (classified.name) observation.name = classified.name.slice(0, MAX_MEDICATION_NAME_LENGTH);
  if (startedOn) observation.startedOn = startedOn;
  if (stoppedOn) observation.stoppedOn = stoppedOn;
  if (classified.cls === "glucocorticoid" && classified.prednisoloneEquivalent) {
    const dose = dailyDoseMg(
      med.resourceType === "MedicationStatement" ? med.dosage : med.dosageInstruction,
    );
    if (dose.status === "ok") observation.prednisoloneMgPerDay = dose.mgPerDay;
    // A course the sender states as lasting 3 months or more counts from its start (ACR 2022).
    const planned = plannedDurationDays(med);
    if (planned !== null) observation.plannedLongTerm = planned >= LONG_TERM_COURSE_DAYS;
    else if (dose.status === "unknown") {
      ctx.issue(
        "warning",
        "value",
        `${item.path}.dosageInstruction`,
        `The daily ${classified.name ?? "glucocorticoid"} dose could not be read (${dose.reason}); it is left out.`,
      );
    }
  }
  ctx.observations.push({ observation, sources: [item.path] });
}

type MedicationClassification =
  | { status: "ok"; cls: MedicationClass; name?: string; prednisoloneEquivalent: boolean }
  | { status: "ambiguous"; classes: MedicationClass[] }
  | { status: "unknown" };

function wordsMatch(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^a-z])${escaped}([^a-z]|$)`).test(text);
}

/** Medication class by our class code, then RxNorm ingredient code, then name; never guessed. */
export function classifyMedication(concept: CodeableConcept | undefined): MedicationClassification {
  const local = codeIn(concept, LOCAL.medicationClass);
  const text = (isRecord(concept) && typeof concept.text === "string" ? concept.text : "").trim();
  const displays = codings(concept)
    .map((c) => c.display)
    .filter((d): d is string => typeof d === "string");
  const haystack = [text, ...displays].join(" | ").toLowerCase();
  const names = Object.keys(MEDICATION_NAMES).filter((n) => wordsMatch(haystack, n));
  const isPred = PREDNISOLONE_EQUIVALENT_NAMES.some((n) => wordsMatch(haystack, n));
  if (local && (MEDICATION_CLASSES as readonly string[]).includes(local)) {
    // Our own export writes a glucocorticoid dose as prednisolone-equivalent whatever the drug.
    return {
      status: "ok",
      cls: local as MedicationClass,
      ...(text ? { name: text } : {}),
      prednisoloneEquivalent: isPred || local === "glucocorticoid",
    };
  }
  for (const code of codesIn(concept, RXNORM)) {
    const known = RXNORM_INGREDIENTS[code];
    if (known) {
      return {
        status: "ok",
        cls: known.cls,
        name: text || known.name,
        prednisoloneEquivalent:
          (PREDNISOLONE_EQUIVALENT_NAMES as readonly string[]).includes(known.name) || isPred,
      };
    }
  }
  const classes = [...new Set(names.map((n) => MEDICATION_NAMES[n]!))];
  if (classes.length === 1) {
    return {
      status: "ok",
      cls: classes[0]!,
      name: text || displays[0] || names[0]!,
      prednisoloneEquivalent: isPred,
    };
  }
  if (classes.length > 1) return { status: "ambiguous", classes };
  return { status: "unknown" };
}

/** "3 months or more", in days (UCUM months of 30 days give 90 for three). */
const LONG_TERM_COURSE_DAYS = 90;
const UCUM_DAYS: Readonly<Record<string, number>> = { d: 1, wk: 7, mo: 30, a: 365 };

/**
 * The planned length of a course in days, where the sender states one: the dosage's
 * timing.repeat.boundsDuration, else the dispense request's expectedSupplyDuration; null when
 * neither is given in a time unit.
 */
function plannedDurationDays(med: FhirMedicationRequest): number | null {
  const dosages: unknown =
    med.resourceType === "MedicationStatement" ? med.dosage : med.dosageInstruction;
  const first = Array.isArray(dosages) && isRecord(dosages[0]) ? dosages[0] : undefined;
  const repeat =
    first && isRecord(first.timing) && isRecord(first.timing.repeat)
      ? first.timing.repeat
      : undefined;
  const dispense = isRecord(med.dispenseRequest) ? med.dispenseRequest : undefined;
  for (const duration of [repeat?.boundsDuration, dispense?.expectedSupplyDuration]) {
    if (!isRecord(duration) || typeof duration.value !== "number") continue;
    const unit = typeof duration.code === "string" ? duration.code : duration.unit;
    const perUnit = typeof unit === "string" ? UCUM_DAYS[unit] : undefined;
    if (perUnit !== undefined) return duration.value * perUnit;
  }
  return null;
}

/** mg per day from a dose in mg and a timing (frequency per period in d or wk). */
function dailyDoseMg(
  dosages: unknown,
): { status: "ok"; mgPerDay: number } | { status: "none" } | { status: "unknown"; reason: string } {
  const dosage =
    Array.isArray(dosages) && isRecord(dosages[0])
      ? (dosages[0] as { doseAndRate?: unknown; timing?: unknown })
      : undefined;
  if (!dosage) return { status: "none" };
  const dose =
    Array.isArray(dosage.doseAndRate) && isRecord(dosage.doseAndRate[0])
      ? quantityOf(dosage.doseAndRate[0].doseQuantity)
      : undefined;
  if (typeof dose?.value !== "number") return { status: "none" };
  if (unitOf(dose) !== "mg")
    return { status: "unknown", reason: `dose unit "${unitOf(dose) ?? "(none)"}" is not mg` };
  const repeat =
    isRecord(dosage.timing) && isRecord(dosage.timing.repeat) ? dosage.timing.repeat : undefined;
  if (!repeat) return { status: "unknown", reason: "no timing" };
  const frequency = typeof repeat.frequency === "number" ? repeat.frequency : 1;
  const period = typeof repeat.period === "number" ? repeat.period : NaN;
  const days = repeat.periodUnit === "d" ? period : repeat.periodUnit === "wk" ? period * 7 : NaN;
  if (!(days > 0)) return { status: "unknown", reason: "timing is not per day or week" };
  const mgPerDay = (dose.value * frequency) / days;
  return mgPerDay > 0
    ? { status: "ok", mgPerDay: Math.round(mgPerDay * 1000) / 1000 }
    : { status: "none" };
}
