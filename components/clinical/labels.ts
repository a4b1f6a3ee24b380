import type { BmdSite, ObservationKind, SuggestionCategory } from "@/lib/clinical/constants";
import { formatDate, formatElapsed, daysBetween } from "@/lib/clinical/dates";
import type { DataStatus } from "@/lib/clinical/types";

/** Short names of the observation kinds, as clinicians say them. */
export const KIND_LABEL: Readonly<Record<ObservationKind, string>> = {
  phq9: "PHQ-9",
  phq2: "PHQ-2",
  gds15: "GDS-15",
  bmd: "DXA",
  frax: "FRAX",
  vitaminD: "Vitamin D",
  fracture: "Fractures",
  falls: "Falls screen",
  medication: "Medications",
};

/** BMD sites as a DXA report names them. */
export const BMD_SITE_LABEL: Readonly<Record<BmdSite, string>> = {
  lumbar_spine: "Lumbar spine",
  total_hip: "Total hip",
  femoral_neck: "Femoral neck",
  radius_33: "33% radius",
};

/** Category headings of the suggestion list (docs/CLINICAL-RULES.md §9), in display order. */
export const CATEGORY_LABEL: Readonly<Record<SuggestionCategory, string>> = {
  "act-now": "Act now",
  assess: "Assess",
  treat: "Treat",
  refer: "Refer",
  lifestyle: "Lifestyle",
  monitor: "Monitor",
  investigational: "Investigational",
};

/** Plain tooltips for the jargon of the instruments (UX: no jargon without a tooltip). */
export const TERM_HINT = {
  phq9: "PHQ-9: Patient Health Questionnaire, 9 items scored 0–3 (total 0–27). 10 or more is a positive depression screen; item 9 asks about thoughts of self-harm.",
  phq2: "PHQ-2: the first two PHQ-9 items (total 0–6). 3 or more is positive and is followed by a full PHQ-9.",
  gds15:
    "GDS-15: Geriatric Depression Scale, short form, 15 yes/no questions (total 0–15). 5 or more suggests depression; 10 or more almost always indicates it.",
  tScore:
    "T-score: bone density compared with a healthy young adult, in standard deviations. −1.0 or above is normal, between −1.0 and −2.5 is low bone mass, −2.5 or below is osteoporosis (WHO).",
  zScore:
    "Z-score: bone density compared with people of the same age and sex. −2.0 or below is below the expected range for age; used where WHO categories do not apply.",
  frax: "FRAX: 10-year probability of a major osteoporotic or hip fracture. It is computed with the official FRAX tool elsewhere; enter its result here. Major ≥ 20 % or hip ≥ 3 % is high risk (BHOF 2022).",
  vitaminD:
    "25-hydroxyvitamin D (total). nmol/L = ng/mL × 2.496. Below 12 ng/mL: at risk of deficiency; 30–50 ng/mL: the bone target in osteoporosis.",
} as const;

/** The status line of one data kind: "No PHQ-9 on record", "last DXA 3 years ago (stale)". */
export function dataStatusText(entry: DataStatus, today: string): string {
  const label = KIND_LABEL[entry.kind];
  const elapsed =
    entry.lastEffective !== undefined
      ? formatElapsed(Math.max(0, daysBetween(entry.lastEffective, today)))
      : null;
  switch (entry.status) {
    case "missing":
      if (entry.kind === "fracture") return "No fractures recorded";
      if (entry.kind === "medication") return "No medications recorded";
      return elapsed ? `Last ${label} ${elapsed}: too old to use` : `No ${label} on record`;
    case "stale":
      return `Last ${label} ${elapsed ?? ""} (stale)`.replace("  ", " ");
    case "current":
      return entry.lastEffective
        ? `${label} ${formatDate(entry.lastEffective)}`
        : `${label} current`;
    default: {
      const unreachable: never = entry.status;
      return unreachable;
    }
  }
}
