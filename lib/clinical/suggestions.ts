import type { ObservationKind, SuggestionCategory } from "./constants";
import { SUGGESTION_CATEGORIES } from "./constants";
import type { EvidenceId } from "./evidence";

/**
 * Suggestion catalogue (docs/CLINICAL-RULES.md §9). `assess` decides which ones a patient gets and
 * which flags trigger them; the text here never states a threshold that is not in the rules.
 */
export interface SuggestionDefinition {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly category: SuggestionCategory;
  readonly sources: readonly EvidenceId[];
}

const DEFINITIONS = [
  {
    id: "suicide-risk-same-day",
    category: "act-now",
    title: "Same-day suicide-risk assessment and safety plan",
    detail:
      "PHQ-9 item 9 was answered above 0: assess suicide risk today, whatever the total, and agree a safety plan. Give the local crisis line (in the US, call or text 988) and do not leave a patient at imminent risk alone.",
    sources: ["kroenke-2001-phq9"],
  },
  {
    id: "vitamin-d-toxicity-action",
    category: "act-now",
    title: "Stop vitamin D supplements and check for hypercalcaemia",
    detail:
      "25(OH)D above 150 ng/mL: vitamin D intoxication with hypercalcaemia is reported at these levels. Stop vitamin D and calcium supplements, review every source and dose, and check serum calcium and creatinine today.",
    sources: ["holick-2007-vitamin-d", "ucsf-lab-vitamin-d"],
  },
  {
    id: "phq9-item9-ask",
    category: "assess",
    title: "Ask PHQ-9 item 9",
    detail:
      "The latest PHQ-9 has no answer to item 9 (thoughts of being better off dead or of self-harm), so suicide risk is unknown. When the total or the answered items reach 10 (moderate symptoms or worse), ask it today, before the patient leaves; otherwise at the next contact.",
    sources: ["kroenke-2001-phq9"],
  },
  {
    id: "depression-evaluate-treat",
    category: "assess",
    title: "Diagnostic evaluation and treatment or referral for depression",
    detail:
      "A positive screen is not a diagnosis: confirm with a clinical interview, then treat or refer, preferably through collaborative care. Weigh antidepressant choice against bone and fall risk: the fracture risk of SSRIs is raised early and persists with continued use, and SSRIs can lower sodium in older adults (check sodium when starting or changing the dose).",
    sources: [
      "uspstf-2023-depression",
      "aims-treat-to-target",
      "khanassov-2018-ssri",
      "eom-2012-ssri",
      "ags-beers-2023",
    ],
  },
  {
    id: "phq9-after-positive-phq2",
    category: "assess",
    title: "Administer a PHQ-9 after the positive PHQ-2",
    detail: "A PHQ-2 of 3 or more is followed by the full PHQ-9, including item 9.",
    sources: ["kroenke-2003-phq2", "kroenke-2001-phq9"],
  },
  {
    id: "depression-screen-due",
    category: "assess",
    title: "Screen for depression",
    detail:
      "No complete depression screen in the last year. Use the PHQ-9 or, for older adults, the GDS-15; USPSTF recommends screening adults including those aged 65 or older.",
    sources: ["uspstf-2023-depression", "kroenke-2001-phq9", "sheikh-yesavage-1986-gds"],
  },
  {
    id: "mood-screen-bone-patient",
    category: "assess",
    title: "PHQ-9 or GDS-15 for a patient with bone disease or a fragility fracture",
    detail:
      "Depression and osteoporosis often occur together and depression is associated with fractures: screen this patient's mood with the PHQ-9 or GDS-15.",
    sources: ["li-2026-bone-brain-axis", "qiu-2018-depression-fracture", "uspstf-2023-depression"],
  },
  {
    id: "dxa-frax-depressed-older-adult",
    category: "assess",
    title: "DXA and FRAX for a depressed older adult without a recent BMD",
    detail:
      "Depression is associated with bone loss and fractures: arrange a DXA and a FRAX estimate for this patient aged 50 or older with no usable bone density result.",
    sources: ["li-2026-bone-brain-axis", "qiu-2018-depression-fracture", "iscd-2023"],
  },
  {
    id: "dxa-scan-due",
    category: "assess",
    title: "Arrange a DXA scan",
    detail:
      "There is an indication for bone density testing (age, a fragility fracture or a bone-loss medication) and no usable DXA result.",
    sources: ["uspstf-2025-osteoporosis", "iscd-2023"],
  },
  {
    id: "steadi-falls-assessment",
    category: "assess",
    title: "STEADI falls screen and assessment",
    detail:
      "Ask the three key questions yearly and after any fall. Every positive answer calls for a STEADI assessment: gait, strength and balance, medications, orthostatic blood pressure, vision, feet and home hazards. Two or more falls, or an injurious fall, mark a higher risk.",
    sources: ["cdc-steadi"],
  },
  {
    id: "glucocorticoid-bone-care",
    category: "assess",
    title: "Glucocorticoid bone care (ACR 2022)",
    detail:
      "For 2.5 mg/day or more of prednisone or prednisolone (or an equivalent) for 3 months or more: assess fracture risk as soon as possible after starting, with BMD and vertebral fracture assessment, FRAX if aged 40 or older, calcium and vitamin D, and treatment according to risk.",
    sources: ["acr-2022-giop"],
  },
  {
    id: "vitamin-d-excess-review",
    category: "assess",
    title: "Review vitamin D dose",
    detail:
      "25(OH)D above 50 ng/mL brings no added benefit and is a reason for concern; avoid levels above 100 ng/mL. Above 100 ng/mL, stop vitamin D and calcium supplements and check serum calcium and creatinine; otherwise review supplements and doses.",
    sources: ["iom-2011-vitamin-d", "ucsf-lab-vitamin-d"],
  },
  {
    id: "osteoporosis-pharmacotherapy",
    category: "treat",
    title: "Discuss osteoporosis pharmacotherapy",
    detail:
      "A BHOF treatment criterion is met and no osteoporosis medicine is active: discuss treatment. Before starting, check eGFR, serum calcium and 25(OH)D, and correct a deficiency first. Bisphosphonates are not used below a creatinine clearance of 30–35 mL/min; denosumab can cause severe hypocalcaemia in advanced kidney disease (eGFR below 30: refer). If denosumab is chosen, plan follow-on therapy from the start, because stopping it without one risks rebound vertebral fractures.",
    sources: ["bhof-2022", "acr-2022-giop", "osteoporosis-drug-labels"],
  },
  {
    id: "denosumab-follow-on",
    category: "treat",
    title: "Start follow-on therapy after denosumab",
    detail:
      "Denosumab was stopped without another osteoporosis treatment: rebound vertebral fractures can follow. Start follow-on therapy (for example a bisphosphonate) about 6 months after the last injection, when the next dose would have been due; check kidney function and calcium first.",
    sources: ["acr-2022-giop", "bhof-2022", "osteoporosis-drug-labels"],
  },
  {
    id: "vitamin-d-calcium",
    category: "treat",
    title: "Vitamin D and calcium",
    detail:
      "Correct a low 25(OH)D; in osteoporosis keep it between 30 and 50 ng/mL, with vitamin D 800–1000 IU/day for adults aged 50 or older and calcium 1000–1200 mg/day (diet first).",
    sources: ["bhof-2022", "iom-2011-vitamin-d"],
  },
  {
    id: "depression-treat-to-target",
    category: "treat",
    title: "Adjust depression treatment (treat to target)",
    detail:
      "The PHQ-9 has not fallen by half after 10 weeks or more: review adherence and diagnosis, then change or intensify treatment, ideally with the collaborative-care team and psychiatric consultation.",
    sources: ["aims-treat-to-target", "kroenke-2001-phq9"],
  },
  {
    id: "antidepressant-bone-risk-review",
    category: "treat",
    title: "Weigh the antidepressant against bone and fall risk",
    detail:
      "SSRIs are associated with fractures (RR about 1.7); the risk is raised early and persists with continued use. Tricyclics add fall risk. SSRIs can lower sodium in older adults: check sodium when starting or changing the dose. Keep treating the depression, but review the choice and dose, and make sure bone protection and fall prevention are in place. Do not stop abruptly.",
    sources: [
      "khanassov-2018-ssri",
      "wu-2012-ssri",
      "eom-2012-ssri",
      "ags-beers-2023",
      "cdc-steadi",
    ],
  },
  {
    id: "fall-risk-drug-review",
    category: "treat",
    title: "Review fall-risk-increasing drugs",
    detail:
      "A patient with falls or a fragility fracture takes a fall-risk-increasing drug (sedatives, antipsychotics, opioids, antidepressants, antiepileptics): deprescribe, reduce or switch where possible. Taper: never stop a benzodiazepine, an antiepileptic or an antidepressant abruptly.",
    sources: ["ags-beers-2023", "cdc-steadi"],
  },
  {
    id: "fracture-liaison-referral",
    category: "refer",
    title: "Fracture liaison referral",
    detail:
      "After a fragility fracture: fracture-risk assessment and DXA within 12 weeks, treatment started within 16 weeks, still on treatment at 52 weeks (IOF Capture the Fracture KPIs).",
    sources: ["iof-2020-fls-kpi"],
  },
  {
    id: "integrated-care-plan",
    category: "refer",
    title: "Integrated mood–bone care plan",
    detail:
      "Depression and bone disease meet in this patient: agree one care plan across geriatrics, psychiatry and bone health rather than treating each in its own specialty.",
    sources: ["li-2026-bone-brain-axis"],
  },
  {
    id: "exercise-programme",
    category: "lifestyle",
    title: "Customized exercise programme",
    detail:
      "Resistance, balance and weight-bearing exercise, tailored to the patient: it helps bone and reduces falls (BHOF), and the review names it among interventions with potential for mood and bone together.",
    sources: ["bhof-2022", "cdc-steadi", "li-2026-bone-brain-axis"],
  },
  {
    id: "sleep-circadian",
    category: "lifestyle",
    title: "Sleep and circadian regularity",
    detail:
      "General advice: regular sleep and daily rhythms. The review describes circadian modulation of the bone–brain crosstalk, not a sleep treatment. Ask about sleep, and prefer non-drug measures to sedatives, which the Beers Criteria advise avoiding in older adults at risk of falls.",
    sources: ["li-2026-bone-brain-axis", "ags-beers-2023"],
  },
  {
    id: "rescreen-depression-due",
    category: "monitor",
    title: "Repeat the depression screen",
    detail:
      "The mood result behind a flag is more than 90 days old: repeat the PHQ-9 or GDS-15 to see where things stand now.",
    sources: ["uspstf-2023-depression", "kroenke-2001-phq9"],
  },
  {
    id: "repeat-dxa-due",
    category: "monitor",
    title: "Repeat DXA",
    detail:
      "The bone density result behind this is more than 2 years old and there is a reason to repeat it (low bone mass, osteoporosis treatment or a bone-loss medication). A normal DXA is not repeated every two years.",
    sources: ["iscd-2023", "bhof-2022"],
  },
  {
    id: "frax-recalculate-due",
    category: "monitor",
    title: "Recalculate FRAX",
    detail:
      "The FRAX result behind a flag is more than 2 years old: recalculate it with current risk factors and the latest BMD.",
    sources: ["bhof-2022"],
  },
  {
    id: "vitamin-d-recheck",
    category: "monitor",
    title: "Recheck 25(OH)D",
    detail:
      "The vitamin D result behind a flag is more than a year old, and there is an indication to test (a bone finding, a fragility fracture, a glucocorticoid or a low result): recheck it.",
    sources: ["bhof-2022", "iom-2011-vitamin-d"],
  },
  {
    id: "investigational-neuromodulation",
    category: "investigational",
    title: "Investigational: neuromodulation for mood and bone",
    detail:
      "Not a recommendation. The review lists neuromodulation among investigational approaches that may act on mood and bone together; evidence is preliminary. Mentioned for information and research only.",
    sources: ["li-2026-bone-brain-axis"],
  },
  {
    id: "investigational-bone-signal-therapy",
    category: "investigational",
    title: "Investigational: therapies aimed at bone-derived signals",
    detail:
      "Not a recommendation. The review describes bone-derived factors (osteocalcin, lipocalin 2, extracellular vesicles) acting on the brain as possible future targets; no such treatment is established. Mentioned for information and research only.",
    sources: ["li-2026-bone-brain-axis"],
  },
] as const satisfies readonly SuggestionDefinition[];

export type SuggestionId = (typeof DEFINITIONS)[number]["id"];

/** All suggestion ids, in catalogue order. */
export const SUGGESTION_IDS: readonly SuggestionId[] = DEFINITIONS.map(
  (definition) => definition.id,
);

function indexById(): Record<SuggestionId, SuggestionDefinition> {
  const byId: Partial<Record<SuggestionId, SuggestionDefinition>> = {};
  for (const definition of DEFINITIONS) byId[definition.id] = Object.freeze(definition);
  return byId as Record<SuggestionId, SuggestionDefinition>;
}

/** The suggestion catalogue, keyed by id. */
export const SUGGESTIONS: Readonly<Record<SuggestionId, SuggestionDefinition>> =
  Object.freeze(indexById());

/** Display order of suggestion categories (act-now first, investigational last). */
export const SUGGESTION_CATEGORY_RANK: Readonly<Record<SuggestionCategory, number>> = Object.freeze(
  Object.fromEntries(SUGGESTION_CATEGORIES.map((category, index) => [category, index])) as Record<
    SuggestionCategory,
    number
  >,
);

/** The "due" suggestion added when a flag rests on a stale observation of this kind (null: never stale). */
export function dueSuggestionFor(kind: ObservationKind): SuggestionId | null {
  switch (kind) {
    case "phq9":
    case "phq2":
    case "gds15":
      return "rescreen-depression-due";
    case "bmd":
      return "repeat-dxa-due";
    case "frax":
      return "frax-recalculate-due";
    case "vitaminD":
      return "vitamin-d-recheck";
    case "falls":
      return "steadi-falls-assessment";
    case "fracture":
    case "medication":
      return null;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
