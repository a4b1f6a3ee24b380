/**
 * Evidence catalogue (docs/CLINICAL-RULES.md §9). Every `sources` id of a flag, rule or suggestion
 * is a key here. Citations carry a DOI only where it was checked; otherwise the publisher's or the
 * organisation's own address.
 */

export interface EvidenceSource {
  readonly id: string;
  /** Short label for inline citation: "Kroenke 2001". */
  readonly label: string;
  readonly authors: string;
  readonly title: string;
  /** Journal with volume and pages, or publisher. */
  readonly publisher: string;
  /** Null for a continuously updated web resource. */
  readonly year: number | null;
  readonly doi?: string;
  readonly url: string;
  /** What this product uses it for, in one line. */
  readonly usedFor: string;
  /** Set when the catalogue entry still needs a check of the exact bibliographic record. */
  readonly verificationNote?: string;
}

function doiUrl(doi: string): string {
  return `https://doi.org/${doi}`;
}

const SOURCES = [
  {
    id: "li-2026-bone-brain-axis",
    label: "Li 2026 (review)",
    authors: "Li P, Gao Y, Zhao X",
    title:
      "The Bone–Brain Axis: Novel Insights into the Bidirectional Crosstalk in Depression and Osteoporosis",
    publisher: "Biomolecules 2026;16(2):213",
    year: 2026,
    doi: "10.3390/biom16020213",
    url: doiUrl("10.3390/biom16020213"),
    usedFor:
      "Why mood and bone are assessed together: integrated care, exercise for mood and bone, circadian modulation, investigational neuromodulation and bone-signal therapies.",
  },
  {
    id: "kroenke-2001-phq9",
    label: "Kroenke 2001",
    authors: "Kroenke K, Spitzer RL, Williams JBW",
    title: "The PHQ-9: validity of a brief depression severity measure",
    publisher: "J Gen Intern Med 2001;16(9):606–613",
    year: 2001,
    doi: "10.1046/j.1525-1497.2001.016009606.x",
    url: doiUrl("10.1046/j.1525-1497.2001.016009606.x"),
    usedFor:
      "PHQ-9 scoring, severity bands (5, 10, 15, 20), ≥ 10 as positive, and item 9 as a suicide-risk prompt.",
  },
  {
    id: "kroenke-2003-phq2",
    label: "Kroenke 2003",
    authors: "Kroenke K, Spitzer RL, Williams JBW",
    title: "The Patient Health Questionnaire-2: validity of a two-item depression screener",
    publisher: "Med Care 2003;41(11):1284–1292",
    year: 2003,
    url: "https://journals.lww.com/lww-medicalcare/",
    usedFor: "PHQ-2 positive at ≥ 3, followed by a PHQ-9.",
  },
  {
    id: "sheikh-yesavage-1986-gds",
    label: "Sheikh & Yesavage 1986",
    authors: "Sheikh JI, Yesavage JA",
    title: "Geriatric Depression Scale (GDS): recent evidence and development of a shorter version",
    publisher: "Clinical Gerontologist 1986;5(1–2):165–173",
    year: 1986,
    url: "https://www.tandfonline.com/journals/wcli20",
    usedFor: "GDS-15 answer scoring (reverse items 1, 5, 7, 11, 13) and the cut-offs ≥ 5 and ≥ 10.",
  },
  {
    id: "uspstf-2023-depression",
    label: "USPSTF 2023",
    authors: "US Preventive Services Task Force",
    title: "Screening for Depression and Suicide Risk in Adults: Recommendation Statement",
    publisher: "JAMA 2023 (US Preventive Services Task Force)",
    year: 2023,
    url: "https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/screening-depression-suicide-risk-adults",
    usedFor: "Screen adults, including those aged 65 or older, for depression (grade B).",
  },
  {
    id: "who-1994-bmd",
    label: "WHO 1994",
    authors: "WHO Study Group",
    title:
      "Assessment of fracture risk and its application to screening for postmenopausal osteoporosis (WHO Technical Report Series 843)",
    publisher: "World Health Organization, Geneva",
    year: 1994,
    url: "https://iris.who.int/handle/10665/39142",
    usedFor:
      "T-score categories: normal ≥ −1.0, low bone mass, osteoporosis ≤ −2.5, severe with fracture.",
  },
  {
    id: "iscd-2023",
    label: "ISCD 2023",
    authors: "International Society for Clinical Densitometry",
    title: "2023 ISCD Official Positions – Adult",
    publisher: "International Society for Clinical Densitometry",
    year: 2023,
    url: "https://iscd.org/official-positions-2023/",
    usedFor:
      "Who the WHO categories apply to (postmenopausal women, men ≥ 50), Z-score ≤ −2.0 below the expected range for age, DXA indications.",
  },
  {
    id: "bhof-2022",
    label: "BHOF 2022",
    authors: "LeBoff MS, Greenspan SL, Insogna KL, et al.",
    title: "The clinician's guide to prevention and treatment of osteoporosis",
    publisher: "Osteoporos Int 2022;33(10):2049–2102",
    year: 2022,
    doi: "10.1007/s00198-021-05900-y",
    url: doiUrl("10.1007/s00198-021-05900-y"),
    usedFor:
      "Treatment criteria (hip/vertebral fracture, T ≤ −2.5, low bone mass with FRAX hip ≥ 3 % or major ≥ 20 %), vitamin D 30–50 ng/mL, 800–1000 IU, calcium 1000–1200 mg, exercise.",
  },
  {
    id: "uspstf-2025-osteoporosis",
    label: "USPSTF 2025",
    authors: "US Preventive Services Task Force",
    title: "Screening for Osteoporosis to Prevent Fractures: Recommendation Statement",
    publisher: "US Preventive Services Task Force",
    year: 2025,
    url: "https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/osteoporosis-screening",
    usedFor: "Bone density screening of women aged 65 or older (grade B).",
  },
  {
    id: "iof-2020-fls-kpi",
    label: "Javaid 2020 (IOF)",
    authors: "Javaid MK, Sami A, Lems W, et al.",
    title:
      "A patient-level key performance indicator set to measure the effectiveness of fracture liaison services and guide quality improvement: a position paper of the IOF Capture the Fracture Working Group, National Osteoporosis Foundation and Fragility Fracture Network",
    publisher: "Osteoporos Int 2020;31(7):1193–1204",
    year: 2020,
    doi: "10.1007/s00198-020-05377-1",
    url: doiUrl("10.1007/s00198-020-05377-1"),
    usedFor:
      "Fracture liaison KPIs: risk assessment and DXA within 12 weeks, treatment within 16 weeks, on treatment at 52 weeks.",
  },
  {
    id: "iom-2011-vitamin-d",
    label: "IOM 2011",
    authors: "Institute of Medicine (Ross AC, Taylor CL, Yaktine AL, Del Valle HB, eds.)",
    title: "Dietary Reference Intakes for Calcium and Vitamin D",
    publisher: "The National Academies Press, Washington, DC",
    year: 2011,
    doi: "10.17226/13050",
    url: doiUrl("10.17226/13050"),
    usedFor:
      "25(OH)D < 12 ng/mL at risk of deficiency, 12–< 20 at risk of inadequacy, ≥ 20 sufficient, > 50 reason for concern.",
  },
  {
    id: "endocrine-2024-vitamin-d",
    label: "Endocrine Society 2024",
    authors: "Demay MB, Pittas AG, Bikle DD, et al.",
    title:
      "Vitamin D for the Prevention of Disease: An Endocrine Society Clinical Practice Guideline",
    publisher: "J Clin Endocrinol Metab 2024;109(8):1907–1947",
    year: 2024,
    doi: "10.1210/clinem/dgae290",
    url: doiUrl("10.1210/clinem/dgae290"),
    usedFor:
      "No routine 25(OH)D testing or follow-up testing in the general population, and no target levels; its scope excludes people with an indication for testing such as osteoporosis. Never cited for the 30–50 ng/mL target or for rechecking.",
  },
  {
    id: "acr-2022-giop",
    label: "ACR 2022",
    authors: "Humphrey MB, Russell L, Danila MI, et al.",
    title:
      "2022 American College of Rheumatology Guideline for the Prevention and Treatment of Glucocorticoid-Induced Osteoporosis",
    publisher: "Arthritis Rheumatol 2023;75(12):2088–2102",
    year: 2023,
    doi: "10.1002/art.42646",
    url: doiUrl("10.1002/art.42646"),
    usedFor:
      "≥ 2.5 mg/day prednisone-equivalent for > 3 months: fracture-risk assessment, BMD with vertebral imaging, FRAX if ≥ 40, calcium and vitamin D; denosumab needs follow-on therapy.",
  },
  {
    id: "cdc-steadi",
    label: "CDC STEADI",
    authors: "Centers for Disease Control and Prevention",
    title: "STEADI — Stopping Elderly Accidents, Deaths & Injuries",
    publisher: "Centers for Disease Control and Prevention",
    year: null,
    url: "https://www.cdc.gov/steadi/",
    usedFor:
      "Three key fall questions, yearly screening, multifactorial assessment after ≥ 2 or injurious falls, fall-risk-increasing drugs.",
  },
  {
    id: "khanassov-2018-ssri",
    label: "Khanassov 2018",
    authors: "Khanassov V, Hu J, Reeves D, van Marwijk H",
    title:
      "Selective serotonin reuptake inhibitor and selective serotonin and norepinephrine reuptake inhibitor use and risk of fractures in adults: a systematic review and meta-analysis",
    publisher: "Int J Geriatr Psychiatry 2018;33(12):1688–1708",
    year: 2018,
    url: "https://onlinelibrary.wiley.com/journal/10991166",
    usedFor: "SSRI use and fracture: RR 1.67 (1.56–1.79) in older adults; SNRI data insufficient.",
  },
  {
    id: "wu-2012-ssri",
    label: "Wu 2012",
    authors: "Wu Q, Bencaz AF, Hentz JG, Crowell MD",
    title:
      "Selective serotonin reuptake inhibitor treatment and risk of fractures: a meta-analysis of cohort and case–control studies",
    publisher: "Osteoporos Int 2012;23(1):365–375",
    year: 2012,
    doi: "10.1007/s00198-011-1778-8",
    url: doiUrl("10.1007/s00198-011-1778-8"),
    usedFor: "SSRI use and fracture: RR 1.72.",
  },
  {
    id: "eom-2012-ssri",
    label: "Eom 2012",
    authors: "Eom CS, Lee HK, Ye S, Park SM, Cho KH",
    title:
      "Use of selective serotonin reuptake inhibitors and risk of fracture: a systematic review and meta-analysis",
    publisher: "J Bone Miner Res 2012;27(5):1186–1195",
    year: 2012,
    doi: "10.1002/jbmr.1554",
    url: doiUrl("10.1002/jbmr.1554"),
    usedFor:
      "Fracture risk with SSRIs is raised early in treatment and persists with continued use.",
  },
  {
    id: "qiu-2018-depression-fracture",
    label: "Qiu 2018",
    authors: "Qiu L, Yang Q, Sun N, et al.",
    title:
      "Association between depression and the risk for fracture: a meta-analysis and systematic review",
    publisher: "BMC Psychiatry 2018;18:336",
    year: 2018,
    doi: "10.1186/s12888-018-1909-2",
    url: doiUrl("10.1186/s12888-018-1909-2"),
    usedFor: "Depression itself and fracture: HR 1.24 (1.14–1.35).",
  },
  {
    id: "ucsf-lab-vitamin-d",
    label: "UCSF laboratory",
    authors: "UCSF Department of Laboratory Medicine",
    title: "Lab Manual for UCSF Clinical Laboratories: Vitamin D, 25-Hydroxy",
    publisher: "University of California, San Francisco",
    year: 2016,
    url: "http://labmed.ucsf.edu/labmanual/db/data/tests/1002.html",
    usedFor:
      "No known benefit above 50 ng/mL; avoid > 100 ng/mL (possible toxicity); nmol/L = ng/mL × 2.496.",
  },
  {
    id: "holick-2007-vitamin-d",
    label: "Holick 2007",
    authors: "Holick MF",
    title: "Vitamin D deficiency",
    publisher: "N Engl J Med 2007;357(3):266–281",
    year: 2007,
    doi: "10.1056/NEJMra070553",
    url: doiUrl("10.1056/NEJMra070553"),
    usedFor: "Vitamin D intoxication with hypercalcaemia above 150 ng/mL of 25(OH)D.",
    verificationNote:
      "Unverified: the bibliographic record was confirmed, the 150 ng/mL figure was not checked against the full text here.",
  },
  {
    id: "ags-beers-2023",
    label: "AGS Beers 2023",
    authors: "2023 American Geriatrics Society Beers Criteria Update Expert Panel",
    title:
      "American Geriatrics Society 2023 updated AGS Beers Criteria for potentially inappropriate medication use in older adults",
    publisher: "J Am Geriatr Soc 2023;71(7):2052–2081",
    year: 2023,
    doi: "10.1111/jgs.18372",
    url: doiUrl("10.1111/jgs.18372"),
    usedFor:
      "Avoid fall-risk-increasing drugs (benzodiazepines, z-drugs, antipsychotics, opioids, antidepressants, antiepileptics) with a history of falls or fractures; SSRIs and hyponatraemia; sedatives in older adults.",
  },
  {
    id: "osteoporosis-drug-labels",
    label: "Prescribing information",
    authors:
      "US prescribing information of alendronate, risedronate, zoledronic acid and denosumab",
    title: "Prescribing information of the bisphosphonates and denosumab",
    publisher: "US Food and Drug Administration, Drugs@FDA",
    year: null,
    url: "https://www.accessdata.fda.gov/scripts/cder/daf/",
    usedFor:
      "Before starting: eGFR, calcium and 25(OH)D; bisphosphonates not below a creatinine clearance of 30–35 mL/min; denosumab and severe hypocalcaemia in advanced kidney disease; the follow-on after the last denosumab dose.",
    verificationNote:
      "Unverified: summarised from the products' labels as the clinical reference gives them; not checked against each current label here.",
  },
  {
    id: "aims-treat-to-target",
    label: "AIMS Center",
    authors: "AIMS Center, University of Washington",
    title: "Collaborative care: measurement-based treatment to target",
    publisher: "AIMS Center, University of Washington",
    year: null,
    url: "https://aims.uw.edu/",
    usedFor:
      "Treat to target: expect a 50 % PHQ-9 response in 10–12 weeks, otherwise adjust treatment (not-improving rule).",
  },
] as const satisfies readonly EvidenceSource[];

export type EvidenceId = (typeof SOURCES)[number]["id"];

/** The evidence catalogue, keyed by id (frozen). */
export const EVIDENCE: Readonly<Record<EvidenceId, EvidenceSource>> = Object.freeze(
  Object.fromEntries(SOURCES.map((source) => [source.id, Object.freeze(source)])) as Record<
    EvidenceId,
    EvidenceSource
  >,
);

/** All evidence ids in catalogue order. */
export const EVIDENCE_IDS: readonly EvidenceId[] = SOURCES.map((source) => source.id);

/** The catalogue entry for `id`, or undefined for an unknown id. */
export function getEvidence(id: string): EvidenceSource | undefined {
  return Object.prototype.hasOwnProperty.call(EVIDENCE, id)
    ? EVIDENCE[id as EvidenceId]
    : undefined;
}
