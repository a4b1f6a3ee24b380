import { BMD_SCORE_UNITS, FALLS_CODES, FRAX_CODES, LOCAL, type BmdCode } from "../codes";
import type { FhirObservation, ObservationComponent } from "../types";
import { booleanValue, codeIn, integerValue, quantityOf, unitOf } from "../values";
import type { LocatedResource, ReadContext } from "./context";

/** T- and Z-scores of one site, side and date, merged into one bmd observation. */
export type BmdScores = Map<
  string,
  { t?: number; z?: number; effective: string; site: string; sources: string[] }
>;

/** One DXA T- or Z-score, added to the scores of its site, side and date. */
export function readBmd(
  ctx: ReadContext,
  item: LocatedResource,
  code: BmdCode,
  merged: BmdScores,
): void {
  const q = ctx.datedQuantity(item, "A T- or Z-score");
  if (!q) return;
  const { effective, unit } = q;
  if (unit !== undefined && !(BMD_SCORE_UNITS as readonly string[]).includes(unit)) {
    ctx.unusable(
      "value",
      `${item.path}.valueQuantity.code`,
      `Unit "${unit}" is not a T- or Z-score unit: send UCUM ${BMD_SCORE_UNITS.join(", ")} (areal BMD in g/cm² is not used).`,
    );
    return;
  }
  const key = `${code.site}|${code.side}|${effective}`;
  const entry = merged.get(key) ?? { effective, site: code.site, sources: [] };
  const field = code.score === "t" ? "t" : "z";
  if (entry[field] !== undefined) {
    ctx.unusable(
      "duplicate",
      item.path,
      `A second ${code.score.toUpperCase()}-score for ${code.site} (${code.side}) on ${effective}.`,
    );
    return;
  }
  entry[field] = q.value;
  entry.sources.push(item.path);
  merged.set(key, entry);
}

/** The merged T- and Z-scores as bmd observations. */
export function addBmdObservations(ctx: ReadContext, merged: BmdScores): void {
  for (const entry of merged.values()) {
    ctx.observations.push({
      observation: {
        kind: "bmd",
        effective: entry.effective,
        site: entry.site,
        ...(entry.t !== undefined ? { tScore: entry.t } : {}),
        ...(entry.z !== undefined ? { zScore: entry.z } : {}),
      },
      sources: entry.sources,
    });
  }
}

/** UCUM ng/mL or nmol/L, whatever the case it was sent in; else null. */
function vitaminDUnit(unit: string | undefined): "ng/mL" | "nmol/L" | null {
  if (unit === "ng/mL" || unit === "nmol/L") return unit;
  if (unit?.toLowerCase() === "ng/ml") return "ng/mL";
  if (unit?.toLowerCase() === "nmol/l") return "nmol/L";
  return null;
}

export function readVitaminD(ctx: ReadContext, item: LocatedResource): void {
  const q = ctx.datedQuantity(item, "25-hydroxyvitamin D");
  if (!q) return;
  const unit = vitaminDUnit(q.unit);
  if (!unit) {
    ctx.unusable(
      "value",
      `${item.path}.valueQuantity.code`,
      `Unit ${q.unit === undefined ? "(none)" : `"${q.unit}"`} is not accepted for 25-hydroxyvitamin D: send ng/mL or nmol/L (UCUM).`,
    );
    return;
  }
  ctx.observations.push({
    observation: { kind: "vitaminD", effective: q.effective, value: q.value, unit },
    sources: [item.path],
  });
}

/** The first component of an Observation with `system|code`, and its index. */
function componentOf(
  obs: FhirObservation,
  system: string,
  code: string,
): { component: ObservationComponent; index: number } | undefined {
  const list = Array.isArray(obs.component) ? obs.component : [];
  const index = list.findIndex((c) => codeIn(c.code, system) === code);
  return index >= 0 ? { component: list[index]!, index } : undefined;
}

/** FRAX: one Observation with the two 10-year probabilities (%) and whether BMD was used. */
export function readFrax(ctx: ReadContext, item: LocatedResource): void {
  const obs = item.resource as FhirObservation;
  const effective = ctx.dateOrIssue(item);
  if (!effective) return;
  const pct = (code: string): number | undefined => {
    const found = componentOf(obs, LOCAL.frax, code);
    if (!found) {
      ctx.unusable(
        "required",
        `${item.path}.component`,
        `FRAX needs a component ${LOCAL.frax}|${code}.`,
      );
      return undefined;
    }
    const q = quantityOf(found.component.valueQuantity);
    const path = `${item.path}.component[${found.index}].valueQuantity`;
    if (typeof q?.value !== "number") {
      ctx.unusable("required", `${path}.value`, `FRAX ${code} needs a numeric value.`);
      return undefined;
    }
    if (unitOf(q) !== "%") {
      ctx.unusable(
        "value",
        `${path}.code`,
        `FRAX ${code} must be in % (UCUM "%"), not "${unitOf(q) ?? "(none)"}".`,
      );
      return undefined;
    }
    return q.value;
  };
  const major = pct(FRAX_CODES.major);
  const hip = pct(FRAX_CODES.hip);
  const withBmdComponent = componentOf(obs, LOCAL.frax, FRAX_CODES.withBmd);
  const withBmd = withBmdComponent ? booleanValue(withBmdComponent.component) : null;
  if (withBmd === null) {
    ctx.unusable(
      "required",
      `${item.path}.component`,
      `FRAX needs a component ${LOCAL.frax}|${FRAX_CODES.withBmd} (valueBoolean).`,
    );
    return;
  }
  if (major === undefined || hip === undefined) return;
  ctx.observations.push({
    observation: { kind: "frax", effective, majorOsteoporoticPct: major, hipPct: hip, withBmd },
    sources: [item.path],
  });
}

const FALLS_FLAGS = [
  ["injurious", FALLS_CODES.injurious],
  ["unsteady", FALLS_CODES.unsteady],
  ["worriedAboutFalling", FALLS_CODES.worried],
] as const;

/** The STEADI falls screen: a count of falls and optional yes/no answers, as components. */
export function readFalls(ctx: ReadContext, item: LocatedResource): void {
  const obs = item.resource as FhirObservation;
  const effective = ctx.dateOrIssue(item);
  if (!effective) return;
  const countComponent = componentOf(obs, LOCAL.falls, FALLS_CODES.count);
  const count = countComponent ? integerValue(countComponent.component) : null;
  if (!count || "error" in count) {
    ctx.unusable(
      "required",
      `${item.path}.component`,
      `Falls needs a component ${LOCAL.falls}|${FALLS_CODES.count} with a whole number.`,
    );
    return;
  }
  const observation: Record<string, unknown> = {
    kind: "falls",
    effective,
    countPast12Months: count.value,
  };
  for (const [field, code] of FALLS_FLAGS) {
    const found = componentOf(obs, LOCAL.falls, code);
    if (!found) continue;
    const value = booleanValue(found.component);
    if (value === null) {
      ctx.unusable(
        "value",
        `${item.path}.component[${found.index}]`,
        `Falls ${code} must be true or false.`,
      );
      return;
    }
    observation[field] = value;
  }
  ctx.observations.push({ observation, sources: [item.path] });
}
