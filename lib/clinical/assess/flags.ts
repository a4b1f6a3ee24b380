import type { FlagCode, Severity } from "../constants";
import { FLAG_CODES, SEVERITY_RANK } from "../constants";
import { getRule } from "../rules";
import type { Flag, FlagInput } from "../types";
import type { Evidence } from "./rationale";

/** What a rule module returns: a flag that fired, before the catalogue's words are added. */
export interface FiredFlag {
  readonly code: FlagCode;
  readonly severity: Severity;
  /** The facts it rests on, in the order the rationale cites them. */
  readonly evidence: readonly Evidence[];
  /** Appended to the rationale after the evidence. */
  readonly suffix: string;
}

export function fire(
  code: FlagCode,
  severity: Severity,
  evidence: readonly Evidence[],
  suffix = "",
): FiredFlag {
  return { code, severity, evidence, suffix };
}

const FLAG_ORDER = new Map<FlagCode, number>(FLAG_CODES.map((code, index) => [code, index]));

/** FLAG_CODES order. */
export function compareFlagCodes(a: FlagCode, b: FlagCode): number {
  return (FLAG_ORDER.get(a) ?? 0) - (FLAG_ORDER.get(b) ?? 0);
}

/** The output flag: the rule's title, thresholds and sources, and one rationale line. */
export function toFlag(fired: FiredFlag): Flag {
  const rule = getRule(fired.code);
  const inputs: FlagInput[] = [];
  const seenInputs = new Set<string>();
  const texts: string[] = [];
  for (const part of fired.evidence) {
    // Composite flags reuse the evidence of others: say each fact once.
    if (part.text !== "" && !texts.includes(part.text)) texts.push(part.text);
    for (const item of part.inputs) {
      const key = `${item.kind}|${item.effective}|${String(item.value)}`;
      if (seenInputs.has(key)) continue;
      seenInputs.add(key);
      inputs.push(item);
    }
  }
  return {
    code: fired.code,
    severity: fired.severity,
    title: rule.title,
    rationale: `${texts.join(" + ")}${fired.suffix}`,
    inputs,
    thresholds: rule.thresholds,
    sources: rule.sources,
  };
}

/** Most severe first, then FLAG_CODES order. */
export function sortFlags(flags: readonly Flag[]): Flag[] {
  return [...flags].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareFlagCodes(a.code, b.code),
  );
}
