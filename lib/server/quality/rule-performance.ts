import { sql, type SQL } from "drizzle-orm";
import type {
  Count,
  MetricGroup,
  QualityFilters,
  QualityMetric,
  QualityMetricsResponse,
} from "@/lib/api/quality";
import type { FlagCode } from "@/lib/clinical/constants";
import { getRule } from "@/lib/clinical/rules";
import { RESOLUTION_REASONS, RESOLUTION_REASON_LABEL } from "@/lib/api/worklist-values";
import type { CdsFeedbackCount } from "../cds";
import { metricHead, type Definition } from "./definitions";
import { cohortCte, periodFlagsWhere } from "./periods";
import { hideIfShown, num, publishParts, suppressCount } from "./suppression";

/* Rule performance: the flags each rule opened and how they ended, with CDS card feedback. */

/** A rule as people read it: its flag's name and the ruleset (the code stays in the group key). */
function ruleLabel(code: string, version: string): string {
  return `${getRule(code as FlagCode)?.title ?? code} (${version})`;
}

/**
 * One row per rule (flag code and ruleset version) × outcome, per rule, per month the flags
 * opened and for the period: flags `n` from patients `p`.
 */
export type RuleRow = {
  level: "month" | "outcome" | "rule" | "total";
  code: string | null;
  version: string | null;
  outcome: string | null;
  month: string | null;
  n: number;
  p: number;
};

export function rulePerformanceQuery(f: QualityFilters, siteIds: readonly string[]): SQL {
  return sql`with ${cohortCte(f, siteIds)},
  rf as (
    select f.code, f.ruleset_version as version, f.patient_id,
      date_trunc('month', f.opened_at at time zone 'UTC') as month,
      case when f.status <> 'resolved' then 'still-open'
           else coalesce(f.resolution_code, 'other') end as outcome
    from flags f join cohort c on c.id = f.patient_id
    where ${periodFlagsWhere(f)}
  )
  select
    case when grouping(month) = 0 then 'month'
         when grouping(outcome) = 0 then 'outcome'
         when grouping(code) = 0 then 'rule'
         else 'total' end as level,
    code, version, outcome, to_char(month, 'YYYY-MM') as month,
    count(*)::int as n, count(distinct patient_id)::int as p
  from rf
  group by grouping sets ((code, version, outcome), (code, version), (month), ())`;
}

const DEFINITION: Definition = {
  title: "Rule performance",
  definition:
    "Flags of patients in scope opened in the period, per flag code and ruleset version: how many opened, and how they have ended so far — each resolution reason a person gave, " +
    "no-longer-met (closed automatically when the rule stopped firing) or still open (open, acknowledged or snoozed). " +
    "Counts are of flags; a cell whose flags come from fewer than 11 patients is suppressed. Trend: flags opened per month.",
  source: "Product measure; ruleset versions as in CLINICAL-RULES.",
};

/** Resolution reasons in display order; anything else is listed after them. */
const OUTCOME_KEYS = [
  { key: "still-open", label: "Still open" },
  { key: "no-longer-met", label: "No longer met (automatic)" },
  ...RESOLUTION_REASONS.map((key) => ({ key, label: RESOLUTION_REASON_LABEL[key] })),
];

const rawOf = (r: RuleRow | undefined) => ({ n: num(r?.n), patients: num(r?.p) });

/**
 * Flags opened per rule (the rules partition the period's flags) and per outcome (the outcomes
 * partition the rule's), with the trend by month opened (the months partition the period).
 */
export function rulePerformanceMetric(months: readonly string[], rows: RuleRow[]): QualityMetric {
  const totalShown = suppressCount(rawOf(rows.find((r) => r.level === "total")));
  const ruleRows = rows
    .filter((r) => r.level === "rule")
    .sort((x, y) =>
      `${String(x.code)}@${String(x.version)}`.localeCompare(
        `${String(y.code)}@${String(y.version)}`,
      ),
    );
  const seenOutcomes = new Set(
    rows.filter((r) => r.level === "outcome").map((r) => String(r.outcome)),
  );
  const outcomeKeys = [
    ...OUTCOME_KEYS,
    ...[...seenOutcomes]
      .filter((o) => !OUTCOME_KEYS.some((k) => k.key === o))
      .sort()
      .map((o) => ({ key: o, label: o })),
  ];
  const firedShown = publishParts(totalShown, ruleRows.map(rawOf));
  const groups: MetricGroup[] = ruleRows.map((r, i) => {
    const code = String(r.code);
    const version = String(r.version);
    const fired = firedShown[i]!;
    const shown = publishParts(
      fired,
      outcomeKeys.map((k) =>
        rawOf(
          rows.find(
            (x) =>
              x.level === "outcome" &&
              x.code === r.code &&
              x.version === r.version &&
              x.outcome === k.key,
          ),
        ),
      ),
    );
    // When the row total is hidden, a lone visible outcome could still pin it down.
    const outcomes = typeof fired === "number" ? shown : shown.map(hideIfShown);
    const counts: Record<string, Count> = { fired };
    outcomeKeys.forEach((k, j) => {
      counts[k.key] = outcomes[j]!;
    });
    return {
      key: `${code}@${version}`,
      label: ruleLabel(code, version),
      value: typeof fired === "number" ? fired : null,
      numerator: fired,
      denominator: null,
      counts,
    };
  });
  const byMonth = new Map(rows.filter((r) => r.level === "month").map((r) => [String(r.month), r]));
  const monShown = publishParts(
    totalShown,
    months.map((m) => rawOf(byMonth.get(m))),
  );
  return {
    ...metricHead("rule-performance", DEFINITION, {
      section: "rule-performance",
      unit: "count",
      higherIsBetter: null,
    }),
    value: typeof totalShown === "number" ? totalShown : null,
    numerator: totalShown,
    denominator: null,
    countKeys: [{ key: "fired", label: "Opened" }, ...outcomeKeys],
    groups,
    series: months.map((month, i) => ({
      month,
      value: typeof monShown[i] === "number" ? monShown[i] : null,
      numerator: monShown[i]!,
      denominator: null,
    })),
  };
}

/**
 * Adds CDS Hooks card feedback (accepted / overridden; `rows` of cdsFeedbackCounts for the
 * request's period and sites) to the rule-performance metric, per flag code and ruleset version,
 * with the same small-cell rule. Feedback is filtered by period and site only: the EHR's cards
 * carry no age or sex of ours.
 */
export function addCdsFeedback(result: QualityMetricsResponse, rows: CdsFeedbackCount[]): void {
  const metric = result.metrics.find((m) => m.id === "rule-performance");
  if (!metric) return;
  metric.countKeys = [
    ...(metric.countKeys ?? []),
    { key: "cds-accepted", label: "CDS cards accepted" },
    { key: "cds-overridden", label: "CDS cards overridden" },
    { key: "cds-suggestions-accepted", label: "CDS suggestions accepted" },
  ];
  const groups = metric.groups ?? [];
  for (const group of groups) {
    group.counts = {
      ...(group.counts ?? {}),
      "cds-accepted": 0,
      "cds-overridden": 0,
      "cds-suggestions-accepted": 0,
    };
  }
  for (const r of rows) {
    if (!r.flagCode) continue;
    const key = `${r.flagCode}@${r.rulesetVersion ?? "?"}`;
    let group = groups.find((g) => g.key === key);
    if (!group) {
      group = {
        key,
        label: ruleLabel(r.flagCode, r.rulesetVersion ?? "?"),
        value: null,
        numerator: 0,
        denominator: null,
        counts: { fired: 0 },
      };
      groups.push(group);
    }
    group.counts = {
      ...(group.counts ?? {}),
      "cds-accepted": suppressCount({ n: r.accepted }),
      "cds-overridden": suppressCount({ n: r.overridden }),
      "cds-suggestions-accepted": suppressCount({ n: r.acceptedSuggestions }),
    };
  }
  metric.groups = groups;
  metric.definition +=
    " CDS Hooks columns: feedback the EHR sent on our cards in the period (accepted or overridden, and the card suggestions accepted with them), by the site of the matched patient; the age-band and sex filters do not apply to them.";
}
