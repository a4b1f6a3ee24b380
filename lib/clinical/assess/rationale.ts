import type { ObservationKind } from "../constants";
import { formatDate, formatElapsed } from "../dates";
import { formatNumber, fractureSiteLabel } from "../format";
import { gds15Band, gds15BandLabel, phq2Band, phq9Band, phq9BandLabel } from "../instruments";
import { RULESET_POLICY } from "../policy";
import type { DepressionScreenKind, FlagInput } from "../types";
import type { Dated, FractureEntry, ScreenEntry, VitaminDEntry } from "./entries";
import { isStale } from "./entries";
import type { Facts, FallsFacts } from "./facts";

/*
 * The words of a flag's rationale. A rule cites its facts through these pieces, so that a fact
 * cited by several flags (a fracture, the deciding screen, a falls screen) reads the same in each.
 */

/** A rationale fragment with the inputs it rests on. */
export interface Evidence {
  readonly text: string;
  readonly inputs: readonly FlagInput[];
}

/** "on 3 Mar 2026", with "(stale, 2 years ago)" outside the current window. */
export function when(asOfDay: number, kind: ObservationKind, dated: Dated): string {
  const text = `on ${formatDate(dated.effective)}`;
  return isStale(kind, asOfDay - dated.day)
    ? `${text} (stale, ${formatElapsed(asOfDay - dated.day)})`
    : text;
}

export function flagInput(
  asOfDay: number,
  kind: ObservationKind,
  dated: Dated,
  value: string | number,
): FlagInput {
  return {
    kind,
    effective: dated.effective,
    value,
    stale: isStale(kind, asOfDay - dated.day),
  };
}

export function fractureEvidence(asOfDay: number, fracture: FractureEntry): Evidence {
  return {
    text: `${fractureSiteLabel(fracture.obs.site)} fragility fracture on ${formatDate(fracture.effective)}`,
    inputs: [flagInput(asOfDay, "fracture", fracture, `${fracture.obs.site} fragility fracture`)],
  };
}

const SCREEN_NAMES: Readonly<Record<DepressionScreenKind, string>> = {
  phq9: "PHQ-9",
  phq2: "PHQ-2",
  gds15: "GDS-15",
};

function screenLabel(entry: ScreenEntry): string {
  // An incomplete questionnaire's answered points are a lower bound: no band is claimed for it.
  if (entry.atLeast) {
    return `${SCREEN_NAMES[entry.kind]} at least ${entry.total} (incomplete: answered items only)`;
  }
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

export function screenEvidence(asOfDay: number, screen: ScreenEntry): Evidence {
  return {
    text: `${screenLabel(screen)} ${when(asOfDay, screen.kind, screen)}`,
    inputs: [
      flagInput(
        asOfDay,
        screen.kind,
        screen,
        `${SCREEN_NAMES[screen.kind]} total ${screen.atLeast ? "at least " : ""}${screen.total}`,
      ),
    ],
  };
}

/** The positive STEADI answers of the falls screen; null when none is positive. */
export function fallsEvidence(asOfDay: number, falls: FallsFacts | null): Evidence | null {
  if (falls === null || !falls.atRisk) return null;
  const answers: string[] = [];
  if (falls.count > 0) {
    answers.push(
      `${falls.count} ${falls.count === 1 ? "fall" : "falls"} in 12 months${falls.injurious ? " (injurious)" : ""}`,
    );
  }
  if (falls.unsteady) answers.push("unsteady");
  if (falls.worried) answers.push("worried about falling");
  return {
    text: `${answers.join(", ")} ${when(asOfDay, "falls", falls)}`,
    inputs: [flagInput(asOfDay, "falls", falls, `STEADI: ${answers.join(", ")}`)],
  };
}

export function vitaminDEvidence(asOfDay: number, entry: VitaminDEntry): Evidence {
  const value =
    entry.obs.unit === "ng/mL"
      ? `${formatNumber(entry.obs.value, 1)} ng/mL`
      : `${formatNumber(entry.obs.value, 1)} nmol/L (${formatNumber(entry.ng, 1)} ng/mL)`;
  return {
    text: `25(OH)D ${value} ${when(asOfDay, "vitaminD", entry)}`,
    inputs: [flagInput(asOfDay, "vitaminD", entry, `25(OH)D ${entry.obs.value} ${entry.obs.unit}`)],
  };
}

/** Why there is no deciding screen, in the words of the screen-due and mood-unassessed flags. */
export const NO_SCREEN_TEXT = `no depression screen (complete, or positive by its answered items) within ${RULESET_POLICY.freshness.phq9.usableDays ?? 0} days`;

/** "no usable DXA (last 3 Mar 2014, 12 years ago)": the newest DXA, even when too old to use. */
export function noUsableDxaText(facts: Facts): string {
  const last = facts.newest.get("bmd");
  return `no usable DXA${last !== undefined ? ` (last ${formatDate(last.effective)}, ${formatElapsed(facts.asOfDay - last.day)})` : ""}`;
}
