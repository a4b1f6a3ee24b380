import { formatDate } from "@/lib/clinical/dates";
import { formatNumber, fractureSiteLabel, medicationClassLabel } from "@/lib/clinical/format";
import {
  gds15Band,
  gds15BandLabel,
  phq2Band,
  phq9Band,
  phq9BandLabel,
} from "@/lib/clinical/instruments";
import type { Observation } from "@/lib/clinical/schemas";
import { toNgPerMl, toNmolPerL } from "@/lib/clinical/vitamin-d";
import { gds15TotalOf, phq9TotalOf } from "@/components/charts/mood-trend.utils";
import { BMD_SITE_LABEL, KIND_LABEL } from "@/components/clinical/labels";

/** One entry of a list, so the kinds that come in numbers are named in the singular. */
const KIND_NAME: Readonly<Record<Observation["kind"], string>> = {
  ...KIND_LABEL,
  fracture: "Fracture",
  falls: "Falls",
  medication: "Medication",
};

/** The kind of an observation for a list ("PHQ-9", "DXA"). */
export function observationKindName(observation: Observation): string {
  return KIND_NAME[observation.kind];
}

function yesNoText(value: boolean | undefined): string {
  return value === undefined ? "not asked" : value ? "yes" : "no";
}

function score(value: number): string {
  return formatNumber(value, 1);
}

/** An entered observation in words, with its values and units, as it was recorded. */
export function describeObservation(observation: Observation): string {
  switch (observation.kind) {
    case "phq9": {
      const total = phq9TotalOf(observation);
      const items = observation.items;
      const item9 = items ? (items[8] ?? null) : null;
      const parts: string[] = [];
      if (total !== null) parts.push(`total ${total} (${phq9BandLabel(phq9Band(total))})`);
      else if (items) {
        const answered = items.filter((i) => i !== null).length;
        parts.push(`incomplete: ${answered} of 9 answered, no total`);
      }
      parts.push(
        items ? `item 9: ${item9 === null ? "not answered" : item9}` : "item 9 not recorded",
      );
      if (observation.difficulty !== undefined && observation.difficulty !== null) {
        parts.push(`difficulty ${observation.difficulty}`);
      }
      return parts.join("; ");
    }
    case "phq2": {
      const items = observation.items;
      const total =
        observation.total ??
        (items && items.every((i) => i !== null)
          ? items.reduce<number>((s, i) => s + (i ?? 0), 0)
          : null);
      return total === null
        ? "incomplete, no total"
        : `total ${total} (${phq2Band(total) === "positive" ? "positive" : "negative"})`;
    }
    case "gds15": {
      const total = gds15TotalOf(observation);
      if (total === null) {
        const answered = observation.answers?.filter((a) => a !== null).length ?? 0;
        return `incomplete: ${answered} of 15 answered, no total`;
      }
      return `total ${total} (${gds15BandLabel(gds15Band(total))})`;
    }
    case "bmd": {
      const parts = [BMD_SITE_LABEL[observation.site]];
      if (observation.tScore !== undefined) parts.push(`T-score ${score(observation.tScore)}`);
      if (observation.zScore !== undefined) parts.push(`Z-score ${score(observation.zScore)}`);
      return parts.join(" · ");
    }
    case "frax":
      return `major osteoporotic ${formatNumber(observation.majorOsteoporoticPct, 1)} %, hip ${formatNumber(observation.hipPct, 1)} % (${observation.withBmd ? "with" : "without"} BMD)`;
    case "vitaminD": {
      const ng = toNgPerMl(observation.value, observation.unit);
      const nmol = toNmolPerL(observation.value, observation.unit);
      return observation.unit === "ng/mL"
        ? `${formatNumber(observation.value, 1)} ng/mL (= ${formatNumber(nmol, 1)} nmol/L)`
        : `${formatNumber(observation.value, 1)} nmol/L (= ${formatNumber(ng, 1)} ng/mL)`;
    }
    case "fracture":
      return `${fractureSiteLabel(observation.site)} fracture on ${formatDate(observation.effective)}, ${observation.fragility ? "fragility" : "not fragility"}`;
    case "falls":
      return `${observation.countPast12Months} ${observation.countPast12Months === 1 ? "fall" : "falls"} in 12 months; injurious: ${yesNoText(observation.injurious)}; unsteady: ${yesNoText(observation.unsteady)}; worried about falling: ${yesNoText(observation.worriedAboutFalling)}`;
    case "medication": {
      const parts = [
        observation.name
          ? `${observation.name} (${medicationClassLabel(observation.class)})`
          : medicationClassLabel(observation.class),
      ];
      if (observation.prednisoloneMgPerDay !== undefined) {
        parts.push(`${formatNumber(observation.prednisoloneMgPerDay, 1)} mg/day`);
      }
      if (observation.startedOn) parts.push(`started ${formatDate(observation.startedOn)}`);
      if (observation.stoppedOn) parts.push(`stopped ${formatDate(observation.stoppedOn)}`);
      return parts.join(" · ");
    }
    default: {
      const unreachable: never = observation;
      return String(unreachable);
    }
  }
}
