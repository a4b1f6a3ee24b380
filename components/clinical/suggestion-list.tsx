import {
  SUGGESTION_CATEGORIES,
  type FlagCode,
  type SuggestionCategory,
} from "@/lib/clinical/constants";
import { getRule } from "@/lib/clinical/rules";
import type { Suggestion } from "@/lib/clinical/types";
import { EvidenceLinks } from "./evidence-links";
import { CATEGORY_LABEL } from "./labels";
import styles from "./clinical.module.css";

function triggeredText(codes: readonly FlagCode[]): string {
  return codes.map((code) => getRule(code).title).join("; ");
}

function SuggestionItem({ suggestion }: { suggestion: Suggestion }) {
  return (
    <li className={styles.suggestion}>
      <div className={styles.suggestionTitle}>{suggestion.title}</div>
      <p className={styles.suggestionDetail}>{suggestion.detail}</p>
      <div className={styles.small}>
        {suggestion.triggeredBy.length > 0 ? (
          <span>Because: {triggeredText(suggestion.triggeredBy)}. </span>
        ) : null}
        <EvidenceLinks sources={suggestion.sources} />
      </div>
    </li>
  );
}

/**
 * Suggestions grouped Act now · Assess · Treat · Refer · Lifestyle · Monitor; investigational ones
 * folded apart and labelled as not a recommendation.
 */
export function SuggestionList({
  suggestions,
  headingLevel = 3,
}: {
  suggestions: readonly Suggestion[];
  headingLevel?: 3 | 4;
}) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const byCategory = new Map<SuggestionCategory, Suggestion[]>();
  for (const suggestion of suggestions) {
    const list = byCategory.get(suggestion.category) ?? [];
    list.push(suggestion);
    byCategory.set(suggestion.category, list);
  }
  const investigational = byCategory.get("investigational") ?? [];
  const groups = SUGGESTION_CATEGORIES.filter((c) => c !== "investigational").filter(
    (c) => (byCategory.get(c) ?? []).length > 0,
  );
  if (groups.length === 0 && investigational.length === 0) {
    return <p className="muted">No suggestions: no flag calls for an action.</p>;
  }
  return (
    <div>
      {groups.map((category) => (
        <section key={category} className={styles.group} aria-label={CATEGORY_LABEL[category]}>
          <Heading className={styles.groupTitle}>{CATEGORY_LABEL[category]}</Heading>
          <ul className={styles.suggestions}>
            {(byCategory.get(category) ?? []).map((s) => (
              <SuggestionItem key={s.id} suggestion={s} />
            ))}
          </ul>
        </section>
      ))}
      {investigational.length > 0 ? (
        <details className={styles.investigational}>
          <summary>Investigational: not a recommendation ({investigational.length})</summary>
          <p className={styles.small}>
            Research directions named by the review, shown for information only. They are not part
            of the care plan.
          </p>
          <ul className={styles.suggestions}>
            {investigational.map((s) => (
              <SuggestionItem key={s.id} suggestion={s} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
