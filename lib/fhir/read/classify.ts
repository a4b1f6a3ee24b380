import {
  BMD_CODES,
  FALLS_CODES,
  FRAX_CODES,
  GDS15_TOTAL,
  KNOWN_UNUSED_LOINC,
  LOCAL,
  LOINC,
  PHQ2_PANEL,
  PHQ2_TOTAL,
  PHQ9_DIFFICULTY,
  PHQ9_ITEM_CODES,
  PHQ9_PANEL,
  PHQ9_TOTAL,
  VITAMIN_D_CODES,
  type BmdCode,
} from "../codes";
import type { FhirObservation } from "../types";
import { codeIn, codesIn } from "../values";

/** Which part of a PHQ-9 or PHQ-2 an Observation (or panel component) carries. */
export type PhqPart =
  | { type: "item"; index: number }
  | { type: "phq9-total" }
  | { type: "phq2-total" }
  | { type: "difficulty" };

export type Classified =
  | { type: "phq9-panel" }
  | { type: "phq2-panel" }
  | { type: "phq"; part: PhqPart }
  | { type: "gds15" }
  | { type: "bmd"; code: BmdCode; loinc: string }
  | { type: "vitaminD" }
  | { type: "frax" }
  | { type: "falls" }
  | { type: "unused"; why: string }
  | { type: "unknown" };

/** What an Observation is, from its LOINC code first, then our local codes. */
export function classifyObservation(obs: FhirObservation): Classified {
  const loinc = codesIn(obs.code, LOINC);
  for (const code of loinc) {
    if (code === PHQ9_PANEL) return { type: "phq9-panel" };
    if (code === PHQ2_PANEL) return { type: "phq2-panel" };
    const item = (PHQ9_ITEM_CODES as readonly string[]).indexOf(code);
    if (item >= 0) return { type: "phq", part: { type: "item", index: item } };
    if (code === PHQ9_TOTAL) return { type: "phq", part: { type: "phq9-total" } };
    if (code === PHQ2_TOTAL) return { type: "phq", part: { type: "phq2-total" } };
    if (code === PHQ9_DIFFICULTY) return { type: "phq", part: { type: "difficulty" } };
    if (code === GDS15_TOTAL) return { type: "gds15" };
    const bmd = BMD_CODES[code];
    if (bmd) return { type: "bmd", code: bmd, loinc: code };
    if ((VITAMIN_D_CODES as readonly string[]).includes(code)) return { type: "vitaminD" };
  }
  if (codeIn(obs.code, LOCAL.frax) === FRAX_CODES.panel) return { type: "frax" };
  if (codeIn(obs.code, LOCAL.falls) === FALLS_CODES.panel) return { type: "falls" };
  if (codesIn(obs.code, LOCAL.gds15).length) return { type: "gds15" };
  for (const code of loinc) {
    const why = KNOWN_UNUSED_LOINC[code];
    if (why) return { type: "unused", why };
  }
  return { type: "unknown" };
}
