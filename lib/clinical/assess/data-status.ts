import { OBSERVATION_KINDS } from "../constants";
import type { DataStatus } from "../types";
import { isStale, isUsable } from "./entries";
import type { Facts } from "./facts";

/** One entry per observation kind (CLINICAL-RULES.md §2): current, stale, or missing. */
export function buildDataStatus(facts: Facts): DataStatus[] {
  return OBSERVATION_KINDS.map((kind): DataStatus => {
    const last = facts.newest.get(kind);
    if (last === undefined) return { kind, status: "missing" };
    const ageDays = facts.asOfDay - last.day;
    if (!isUsable(kind, ageDays)) return { kind, status: "missing", lastEffective: last.effective };
    return {
      kind,
      status: isStale(kind, ageDays) ? "stale" : "current",
      lastEffective: last.effective,
    };
  });
}
