import type { FlagCode, ObservationKind, Priority, Severity } from "./constants";
import { FLAG_CODES, SEVERITY_RANK } from "./constants";
import type { EvidenceId } from "./evidence";
import { fromTable } from "./format";

/**
 * Machine-readable description of every flag (docs/CLINICAL-RULES.md §8), used by `assess` for
 * titles, thresholds and sources, and by the evidence page, which renders one anchor per code.
 */
export interface RuleDefinition {
  readonly code: FlagCode;
  /** Stable anchor for the evidence page: `rule-safety-suicide-risk`. */
  readonly anchor: string;
  readonly title: string;
  /** When the flag fires, in words. */
  readonly when: string;
  /** The severity rule, in words. */
  readonly severity: string;
  /** Every severity the flag can take. */
  readonly severities: readonly Severity[];
  readonly thresholds: readonly string[];
  readonly sources: readonly EvidenceId[];
  /** Observation kinds the flag rests on: a new observation of one of them re-opens a snoozed flag. */
  readonly kinds: readonly ObservationKind[];
  /** True when the rule rests on a product policy value (shown as such in the UI). */
  readonly usesPolicy: boolean;
}

const MOOD: readonly ObservationKind[] = ["phq9", "phq2", "gds15"];
const BONE_FINDINGS: readonly ObservationKind[] = ["bmd", "frax", "fracture"];

type RuleSpec = Omit<RuleDefinition, "code" | "anchor">;

const SPECS: { readonly [K in FlagCode]: RuleSpec } = {
  "safety.suicide-risk": {
    title: "Suicide risk: PHQ-9 item 9 positive",
    when: "Among the usable PHQ-9s that record an item 9 answer (complete or not), the most recent has item 9 ≥ 1.",
    severity: "Critical if that PHQ-9 is current (≤ 90 days old), high if stale.",
    severities: ["critical", "high"],
    thresholds: ["PHQ-9 item 9 ≥ 1", "current ≤ 90 days (policy)"],
    sources: ["kroenke-2001-phq9"],
    kinds: ["phq9"],
    usesPolicy: true,
  },
  "safety.suicide-item-unknown": {
    title: "PHQ-9 item 9 not answered",
    when: "The latest usable PHQ-9 has no item 9 answer (a total entered alone, or item 9 unanswered).",
    severity:
      "High if that PHQ-9's total or answered items are ≥ 10 (ask item 9 today, before the patient leaves), else moderate.",
    severities: ["high", "moderate"],
    thresholds: ["PHQ-9 item 9 missing", "total or answered items ≥ 10: ask today"],
    sources: ["kroenke-2001-phq9"],
    kinds: ["phq9"],
    usesPolicy: false,
  },
  "safety.vitamin-d-toxicity": {
    title: "Vitamin D in the toxic range",
    when: "Latest usable 25(OH)D > 150 ng/mL (> 374.4 nmol/L).",
    severity: "High.",
    severities: ["high"],
    thresholds: ["25(OH)D > 150 ng/mL"],
    sources: ["holick-2007-vitamin-d", "ucsf-lab-vitamin-d"],
    kinds: ["vitaminD"],
    usesPolicy: false,
  },
  "depression.positive": {
    title: "Positive depression screen",
    when: 'The deciding screen (the most recent usable PHQ-9, GDS-15 or PHQ-2 that is complete, or incomplete with its answered items already at the cut-off) is PHQ-9 ≥ 10, GDS-15 ≥ 5 or PHQ-2 ≥ 3; an incomplete one counts with its answered points ("at least N").',
    severity: "High if PHQ-9 ≥ 15 or GDS-15 ≥ 10, else moderate.",
    severities: ["high", "moderate"],
    thresholds: [
      "PHQ-9 ≥ 10 (≥ 15 high)",
      "GDS-15 ≥ 5 (≥ 10 high; policy cut-offs)",
      "PHQ-2 ≥ 3",
      "incomplete: answered items at the cut-off",
    ],
    sources: [
      "kroenke-2001-phq9",
      "kroenke-2003-phq2",
      "sheikh-yesavage-1986-gds",
      "uspstf-2023-depression",
    ],
    kinds: MOOD,
    usesPolicy: true,
  },
  "depression.mild-symptoms": {
    title: "Mild depressive symptoms",
    when: "The deciding screen is a complete PHQ-9 of 5–9.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["PHQ-9 5–9"],
    sources: ["kroenke-2001-phq9"],
    kinds: MOOD,
    usesPolicy: false,
  },
  "depression.not-improving": {
    title: "Depression not improving",
    when: "The deciding screen is a complete PHQ-9 ≥ 10 and more than half of an earlier complete usable PHQ-9 ≥ 10 dated ≥ 70 days before it.",
    severity: "High.",
    severities: ["high"],
    thresholds: ["PHQ-9 ≥ 10", "less than a 50 % reduction", "≥ 70 days apart (policy)"],
    sources: ["aims-treat-to-target", "kroenke-2001-phq9"],
    kinds: MOOD,
    usesPolicy: true,
  },
  "depression.screen-due": {
    title: "Depression screen due",
    when: "No usable depression screen (complete, or positive by its answered items), and age ≥ 65, any bone flag or a fragility fracture within 730 days.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["no complete PHQ-9, PHQ-2 or GDS-15 within 365 days (policy)", "age ≥ 65"],
    sources: ["uspstf-2023-depression", "li-2026-bone-brain-axis"],
    kinds: [...MOOD, ...BONE_FINDINGS],
    usesPolicy: true,
  },
  "bone.severe-osteoporosis": {
    title: "Severe (established) osteoporosis",
    when: "WHO categories apply, lowest T-score ≤ −2.5 and any fragility fracture.",
    severity: "High.",
    severities: ["high"],
    thresholds: ["T ≤ −2.5 with a fragility fracture"],
    sources: ["who-1994-bmd", "iscd-2023"],
    kinds: ["bmd", "fracture"],
    usesPolicy: true,
  },
  "bone.osteoporosis": {
    title: "Osteoporosis",
    when: "Not severe, and (WHO categories apply and lowest T-score ≤ −2.5, or a hip or vertebral fragility fracture).",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["T ≤ −2.5", "hip or vertebral fragility fracture"],
    sources: ["who-1994-bmd", "iscd-2023", "bhof-2022"],
    kinds: ["bmd", "fracture"],
    usesPolicy: true,
  },
  "bone.osteopenia": {
    title: "Low bone mass (osteopenia)",
    when: "WHO categories apply and −2.5 < lowest T-score < −1.0, and no osteoporosis flag.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["−2.5 < T < −1.0"],
    sources: ["who-1994-bmd", "iscd-2023"],
    kinds: ["bmd", "fracture"],
    usesPolicy: true,
  },
  "bone.low-for-age": {
    title: "Bone density below the expected range for age",
    when: "WHO categories do not apply (premenopausal women, men under 50) and a Z-score ≤ −2.0.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["Z ≤ −2.0"],
    sources: ["iscd-2023"],
    kinds: ["bmd"],
    usesPolicy: true,
  },
  "bone.high-fracture-risk": {
    title: "High 10-year fracture risk (FRAX)",
    when: "Latest usable FRAX: major osteoporotic fracture ≥ 20 % or hip fracture ≥ 3 %.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["FRAX major osteoporotic ≥ 20 %", "FRAX hip ≥ 3 %"],
    sources: ["bhof-2022"],
    kinds: ["frax"],
    usesPolicy: false,
  },
  "bone.treatment-gap": {
    title: "Meets osteoporosis treatment criteria, not treated",
    when: "A BHOF treatment criterion is met (hip or vertebral fragility fracture; T ≤ −2.5 at femoral neck, total hip or lumbar spine; or low bone mass with FRAX hip ≥ 3 % or major ≥ 20 %) and no osteoporosis treatment is active.",
    severity: "High.",
    severities: ["high"],
    thresholds: [
      "hip or vertebral fragility fracture",
      "central T ≤ −2.5",
      "−2.5 < central T < −1.0 with FRAX hip ≥ 3 % or major ≥ 20 %",
    ],
    sources: ["bhof-2022"],
    kinds: ["bmd", "frax", "fracture", "medication"],
    usesPolicy: true,
  },
  "bone.fracture-followup-due": {
    title: "Fracture follow-up due: no DXA since the fracture",
    when: "A fragility fracture within the last 52 weeks with no BMD dated on or after the fracture.",
    severity: "High.",
    severities: ["high"],
    thresholds: ["fracture within 52 weeks (364 days)", "DXA within 12 weeks (IOF KPI)"],
    sources: ["iof-2020-fls-kpi"],
    kinds: ["fracture", "bmd"],
    usesPolicy: false,
  },
  "bone.dxa-due": {
    title: "DXA due",
    when: "A DXA indication (women ≥ 65, men ≥ 70, other or unknown sex ≥ 65, a fragility fracture, a bone-loss medication) and either no usable BMD, or a latest BMD older than 730 days with a reason to repeat (lowest T < −1.0, osteoporosis treatment, bone-loss medication).",
    severity: "Low.",
    severities: ["low"],
    thresholds: [
      "women ≥ 65",
      "men ≥ 70",
      "other/unknown sex ≥ 65 (policy)",
      "repeat after 730 days (policy)",
    ],
    sources: ["uspstf-2025-osteoporosis", "iscd-2023"],
    kinds: ["bmd", "fracture", "medication"],
    usesPolicy: true,
  },
  "vitd.deficient": {
    title: "Vitamin D: at risk of deficiency",
    when: "Latest usable 25(OH)D < 12 ng/mL (< 29.952 nmol/L).",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["25(OH)D < 12 ng/mL"],
    sources: ["iom-2011-vitamin-d"],
    kinds: ["vitaminD"],
    usesPolicy: false,
  },
  "vitd.inadequate": {
    title: "Vitamin D: at risk of inadequacy",
    when: "Latest usable 25(OH)D ≥ 12 and < 20 ng/mL.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["12 ≤ 25(OH)D < 20 ng/mL"],
    sources: ["iom-2011-vitamin-d"],
    kinds: ["vitaminD"],
    usesPolicy: false,
  },
  "vitd.below-bone-target": {
    title: "Vitamin D below the bone target",
    when: "Latest usable 25(OH)D ≥ 20 and < 30 ng/mL with any bone flag.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["20 ≤ 25(OH)D < 30 ng/mL", "target 30–50 ng/mL in osteoporosis"],
    sources: ["bhof-2022", "iom-2011-vitamin-d"],
    kinds: ["vitaminD", ...BONE_FINDINGS],
    usesPolicy: false,
  },
  "vitd.above-target": {
    title: "Vitamin D above target",
    when: "Latest usable 25(OH)D > 50 and ≤ 100 ng/mL (no added benefit; reason for concern above 50).",
    severity: "Info.",
    severities: ["info"],
    thresholds: ["50 < 25(OH)D ≤ 100 ng/mL"],
    sources: ["iom-2011-vitamin-d", "ucsf-lab-vitamin-d"],
    kinds: ["vitaminD"],
    usesPolicy: false,
  },
  "vitd.high": {
    title: "Vitamin D high",
    when: "Latest usable 25(OH)D > 100 and ≤ 150 ng/mL.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["100 < 25(OH)D ≤ 150 ng/mL"],
    sources: ["ucsf-lab-vitamin-d"],
    kinds: ["vitaminD"],
    usesPolicy: false,
  },
  "falls.at-risk": {
    title: "At risk of falls (STEADI)",
    when: "A STEADI key question is positive in the latest usable falls screen: a fall in the past 12 months, feels unsteady, or worries about falling.",
    severity: "Low; moderate with ≥ 2 falls or an injurious fall.",
    severities: ["low", "moderate"],
    thresholds: [
      "≥ 1 fall, unsteady or worried",
      "≥ 2 falls or injurious: multifactorial assessment",
    ],
    sources: ["cdc-steadi"],
    kinds: ["falls"],
    usesPolicy: false,
  },
  "falls.screen-due": {
    title: "Falls screen due",
    when: "Age ≥ 65 and no falls screen within 365 days.",
    severity: "Low.",
    severities: ["low"],
    thresholds: ["age ≥ 65", "yearly screen"],
    sources: ["cdc-steadi"],
    kinds: ["falls"],
    usesPolicy: false,
  },
  "meds.antidepressant-bone-risk": {
    title: "Antidepressant with bone or fall risk",
    when: "An active SSRI or TCA with a bone flag, a fragility fracture or a positive falls screen.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["SSRI: fracture RR 1.67 (1.56–1.79)"],
    sources: ["khanassov-2018-ssri", "wu-2012-ssri", "eom-2012-ssri"],
    kinds: ["medication", ...BONE_FINDINGS, "falls"],
    usesPolicy: false,
  },
  "meds.glucocorticoid-bone-risk": {
    title: "Long-term glucocorticoid: bone care needed",
    when: "An active glucocorticoid at ≥ 2.5 mg/day prednisone-equivalent that is planned for 3 months or more (from its start) or has run > 90 days (from startedOn, else from the record date).",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["≥ 2.5 mg/day", "planned ≥ 3 months, or run > 90 days"],
    sources: ["acr-2022-giop"],
    kinds: ["medication"],
    usesPolicy: false,
  },
  "meds.fall-risk-drugs": {
    title: "Fall-risk-increasing drug with falls or a fracture",
    when: "An active benzodiazepine, z-drug, antipsychotic, opioid, TCA, SSRI, SNRI or antiepileptic with a positive falls screen or any fragility fracture.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["STEADI fall-risk-increasing drugs", "falls or a fragility fracture (Beers 2023)"],
    sources: ["ags-beers-2023", "cdc-steadi"],
    kinds: ["medication", "falls", "fracture"],
    usesPolicy: false,
  },
  "meds.denosumab-stopped": {
    title: "Denosumab stopped without follow-on therapy",
    when: "Denosumab stopped within the last 365 days and no other osteoporosis treatment active (rebound vertebral fractures).",
    severity: "High.",
    severities: ["high"],
    thresholds: ["stopped ≤ 365 days ago (policy)"],
    sources: ["acr-2022-giop", "bhof-2022"],
    kinds: ["medication"],
    usesPolicy: true,
  },
  "comorbidity.bone-brain": {
    title: "Depression and bone disease together",
    when: "A positive depression screen with any bone flag or a fragility fracture.",
    severity: "High.",
    severities: ["high"],
    thresholds: ["depression.positive", "bone flag or fragility fracture"],
    sources: ["li-2026-bone-brain-axis", "qiu-2018-depression-fracture"],
    kinds: [...MOOD, ...BONE_FINDINGS],
    usesPolicy: false,
  },
  "comorbidity.bone-unassessed": {
    title: "Depressed older adult without a bone assessment",
    when: "A positive depression screen, age ≥ 50 and no usable BMD.",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["age ≥ 50", "no BMD within 3650 days (policy)"],
    sources: ["li-2026-bone-brain-axis", "qiu-2018-depression-fracture"],
    kinds: [...MOOD, "bmd"],
    usesPolicy: true,
  },
  "comorbidity.mood-unassessed": {
    title: "Bone disease without a mood screen",
    when: "A bone flag of moderate or higher, or a fragility fracture within 730 days, and no usable depression screen (complete, or positive by its answered items).",
    severity: "Moderate.",
    severities: ["moderate"],
    thresholds: ["moderate or higher bone flag", "fragility fracture within 730 days (policy)"],
    sources: ["li-2026-bone-brain-axis", "uspstf-2023-depression"],
    kinds: [...MOOD, ...BONE_FINDINGS],
    usesPolicy: true,
  },
};

function freezeRule(code: FlagCode): RuleDefinition {
  const spec = SPECS[code];
  return Object.freeze({
    code,
    anchor: `rule-${code.replace(/\./g, "-")}`,
    ...spec,
    severities: Object.freeze([...spec.severities]),
    thresholds: Object.freeze([...spec.thresholds]),
    sources: Object.freeze([...spec.sources]),
    kinds: Object.freeze([...new Set(spec.kinds)]),
  });
}

/** Every flag rule, in FLAG_CODES order. */
export const RULES: readonly RuleDefinition[] = Object.freeze(FLAG_CODES.map(freezeRule));

const RULE_BY_CODE = new Map<FlagCode, RuleDefinition>(RULES.map((rule) => [rule.code, rule]));

/** The rule of a flag code. */
export function getRule(code: FlagCode): RuleDefinition {
  const rule = RULE_BY_CODE.get(code);
  if (rule === undefined) throw new Error(`Unknown flag code: ${code}`);
  return rule;
}

/** Observation kinds a flag code rests on (a new one re-opens a snoozed flag; docs/CLINICAL-RULES.md §8). */
export function flagKinds(code: FlagCode): ObservationKind[] {
  return [...getRule(code).kinds];
}

/** Assessment priority implied by one severity (§8: critical → urgent, high → high, moderate → medium, low → low, info → none). */
export const severityToPriority = fromTable<Severity, Priority>({
  critical: "urgent",
  high: "high",
  moderate: "medium",
  low: "low",
  info: "none",
});

/** Priority of an assessment from its flags (§8): that of the most severe flag, `none` without flags. */
export function priorityFromFlags(flags: readonly { readonly severity: Severity }[]): Priority {
  let worst: Severity | null = null;
  for (const flag of flags) {
    if (worst === null || SEVERITY_RANK[flag.severity] > SEVERITY_RANK[worst])
      worst = flag.severity;
  }
  return worst === null ? "none" : severityToPriority(worst);
}
